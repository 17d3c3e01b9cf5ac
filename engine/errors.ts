// One tagged error per failure a user can act on (Effect's Data.TaggedError, fields not strings).
// The CLI maps each to a single line and an exit code; `message` is that line.
import * as Data from "effect/Data"

export class UnknownTarget extends Data.TaggedError("UnknownTarget")<{ readonly target: string; readonly known: readonly string[] }> {
  override get message() {
    return `unknown target '${this.target}' — known stages: ${this.known.join(", ")}`
  }
}

export class BadParam extends Data.TaggedError("BadParam")<{ readonly stage: string; readonly path: string; readonly problem: string }> {
  override get message() {
    return `bad param ${this.stage ? `${this.stage}.` : ""}${this.path}: ${this.problem}`
  }
}

/** Data files the run needs are absent (all of them, named at once); `hint` says how to get them. */
export class MissingData extends Data.TaggedError("MissingData")<{ readonly files: readonly string[]; readonly hint: string }> {
  override get message() {
    return `missing data file${this.files.length > 1 ? "s" : ""} ${this.files.join(", ")} — ${this.hint}`
  }
}

/** A data file exists but its content is not what the stage expects. */
export class BadData extends Data.TaggedError("BadData")<{ readonly file: string; readonly problem: string }> {
  override get message() {
    return `bad data in ${this.file}: ${this.problem}`
  }
}

export class CorruptBlob extends Data.TaggedError("CorruptBlob")<{ readonly hash: string; readonly path: string }> {
  override get message() {
    return `corrupt cache blob ${this.hash} (${this.path}) — it will be recomputed`
  }
}

export class StageFailed extends Data.TaggedError("StageFailed")<{ readonly node: string; readonly cause: unknown }> {
  override get message() {
    const c = this.cause
    const why = c instanceof Error ? c.message : String(c)
    return `${this.node} failed: ${why.split("\n")[0]}`
  }
}

export class CacheLocked extends Data.TaggedError("CacheLocked")<{ readonly key: string; readonly holder: string }> {
  override get message() {
    return `cache entry ${this.key} is locked by ${this.holder}`
  }
}

export type UserError = UnknownTarget | BadParam | MissingData | BadData | CorruptBlob | StageFailed

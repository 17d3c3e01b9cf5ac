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

/** A data file the run needs is absent; `hint` says how to get it (e.g. which `pipeline fetch`). */
export class MissingData extends Data.TaggedError("MissingData")<{ readonly file: string; readonly hint: string }> {
  override get message() {
    return `missing data file ${this.file} — ${this.hint}`
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

/**
 * A file operation around a node failed (not the stage's own computation): no space, no permission,
 * a read-only filesystem. `disk` names the mount point holding `path` (ENOSPC says which disk is full).
 */
export class FileSystemFault extends Data.TaggedError("FileSystemFault")<{
  readonly code: string
  readonly path: string
  readonly doing: string
  readonly disk?: string
}> {
  override get message() {
    const where = this.disk ? ` on the disk mounted at ${this.disk}` : ""
    switch (this.code) {
      case "ENOSPC":
        return `no space left${where} while ${this.doing} (${this.path}) — free space there and run again`
      case "EDQUOT":
        return `disk quota exceeded${where} while ${this.doing} (${this.path})`
      case "EACCES":
      case "EPERM":
        return `permission denied while ${this.doing}: ${this.path} is not writable by this user`
      case "EROFS":
        return `read-only filesystem${where} while ${this.doing} (${this.path})`
      default:
        return `${this.code} while ${this.doing} (${this.path})`
    }
  }
}

export class CacheLocked extends Data.TaggedError("CacheLocked")<{ readonly key: string; readonly holder: string }> {
  override get message() {
    return `cache entry ${this.key} is locked by ${this.holder}`
  }
}

export type UserError = UnknownTarget | BadParam | MissingData | BadData | CorruptBlob | StageFailed

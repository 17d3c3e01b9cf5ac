// The compute-node side of the SLURM executor: `pipeline exec-node SPEC` (hidden) runs one node
// from a job spec the submitter wrote to the shared cache, against the same workspace and store,
// through the same stage call as the local executor, so the bytes are the same. An array job's
// tasks share one list of specs and pick theirs by SLURM_ARRAY_TASK_ID.
import { readFileSync } from "node:fs"
import type { DataSpec } from "../data.js"
import { initHash } from "../hash.js"
import { workspace } from "../workspace.js"
import { readInputBytes, storeResult, type InputEntry } from "./executor.js"
import { loadStage, runNode } from "./invoke.js"

export interface JobSpec {
  /** workspace root (the directory of pipeline.ts) on the shared filesystem */
  readonly root: string
  readonly key: string
  readonly node: string
  readonly stage: string
  readonly modulePath: string
  /** the stage's code fingerprint when submitted: a job never computes a key with other code */
  readonly codeHash: string
  readonly params: Record<string, unknown>
  readonly inputs: Record<string, InputEntry>
  /** the declared data files (paths on the shared filesystem), held to the hashes of the key */
  readonly data: DataSpec
}

/** An array job's list: task i runs specs[i]. */
export interface ArraySpec {
  readonly specs: readonly string[]
}

/** `pipeline exec-node FILE` (bin/pipeline.mjs): exit 0 with the record written, or 1 and one line. */
export async function execNodeMain(file: string | undefined): Promise<number> {
  try {
    if (!file) throw new Error("exec-node needs a job spec file (it is run by SLURM jobs, not by hand)")
    await initHash()
    return await execNode(file)
  } catch (e) {
    process.stderr.write(`pipeline: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`)
    if (process.env.PIPELINE_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`)
    return 1
  }
}

export async function execNode(file: string): Promise<number> {
  let spec = JSON.parse(readFileSync(file, "utf8")) as JobSpec | ArraySpec
  if ("specs" in spec) {
    const i = Number(process.env.SLURM_ARRAY_TASK_ID)
    const one = spec.specs[i]
    if (!one) throw new Error(`array task ${process.env.SLURM_ARRAY_TASK_ID} has no spec in ${file}`)
    spec = JSON.parse(readFileSync(one, "utf8")) as JobSpec
  }
  const ws = workspace(spec.root)
  // the submitter follows this log: "▸ d/t label" is progress, "· …" this wrapper, the rest the stage's log
  const say = (m: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${spec.node}: ${m}\n`)
  const done = ws.store.readRecord(spec.key)
  if (done && ws.store.recordIsUsable(done, true)) {
    say(`· already computed (key ${spec.key}); nothing to do`)
    return 0
  }
  const stage = await loadStage(spec.modulePath, spec.stage)
  const code = ws.code(stage).hash
  if (code !== spec.codeHash) throw new Error(`the code of stage ${spec.stage} changed after this job was submitted; run \`pipeline run\` again`)
  say(`· computing on ${process.env.SLURMD_NODENAME ?? "this host"} (job ${process.env.SLURM_JOB_ID ?? "?"}, key ${spec.key})`)
  const t0 = Date.now()
  let lastProgress = 0
  const bytes = await runNode(stage, { params: spec.params, inputs: readInputBytes(ws.store, spec.inputs), data: spec.data ?? {}, node: spec.node }, {
    progress: (d, t, label) => {
      if (Date.now() - lastProgress < 2_000 && d !== t) return
      lastProgress = Date.now()
      say(`▸ ${d}/${t}${label ? ` ${label}` : ""}`)
    },
    log: say,
  })
  storeResult(ws.store, { key: spec.key, node: spec.node, stage: spec.stage }, bytes, t0)
  say(`· done in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  return 0
}

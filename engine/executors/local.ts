// The local executor: a node runs in this process, or, when its stage declares resources (training,
// SMACOF), in a worker thread of its own so the pool uses every core and one model's memory does not
// leak into the next.
import * as Effect from "effect/Effect"
import { availableParallelism } from "node:os"
import { StageFailed } from "../errors.js"
import type { Workspace } from "../workspace.js"
import { storeResult, type Executor } from "./executor.js"
import { runNode } from "./invoke.js"
import { runInWorker } from "./worker.js"

export function localExecutor(ws: Workspace, opts: { jobs?: number; inlineHeavy?: boolean } = {}): Executor {
  return {
    name: "local",
    slots: Math.max(1, opts.jobs ?? availableParallelism()),
    compute: ({ node, key, encoded, data }, cb) =>
      Effect.tryPromise({
        try: async (signal) => {
          const t0 = Date.now()
          const bytes =
            node.stage.resources && !opts.inlineHeavy
              ? await runInWorker({ modulePath: node.stage.modulePath, stageName: node.stage.name, node: node.id, params: { ...node.params }, inputs: encoded, data }, cb, signal)
              : await runNode(node.stage, { params: node.params, inputs: encoded, data, node: node.id }, cb)
          return storeResult(ws.store, { key, node: node.id, stage: node.stage.name }, bytes, t0)
        },
        catch: (cause) => new StageFailed({ node: node.id, cause }),
      }),
  }
}

// A toy DAG for the SLURM executor: cheap nodes (run by the submitter) around stages that declare
// resources (each node a batch job): a → w[i=0..3] → g (gathers all w) → h. `slow` outlives a
// 1-minute --time, `hog` outgrows a 200 MB --mem. Every execution appends to exec.log (counted).
import { header } from "./toy.js"

const job = (time = "5m", memGB = 0.5) => `resources: { cpus: 1, memGB: ${memGB}, time: "${time}" }`

export const slurmToyModules: Record<string, string> = {
  "a.ts": `${header()}
export const a = stage({ name: "a", version: "1", params: z.object({ n: z.number().int().default(5) }),
  outputs: { xs: artifact.json() },
  run: ({ node, params }) => { logRun(node); return { xs: Array.from({ length: params.n }, (_, i) => i + 1) } } })
`,
  "w.ts": `${header('import { a } from "./a.js"')}
export const w = stage({ name: "w", version: "1", params: z.object({ i: z.number().int().default(0), delayMs: z.number().default(0) }),
  grid: { i: [0, 1, 2, 3] }, inputs: { xs: a.out.xs }, outputs: { ys: artifact.json(), blob: artifact.bytes("bin") }, ${job()},
  run: async ({ node, params, inputs }) => { logRun(node + ":start"); await sleep(params.delayMs); logRun(node)
    const ys = (inputs.xs as number[]).map((x) => Math.sin(x * (params.i + 1)) / 3)
    const blob = new Uint8Array(4096); for (let k = 0; k < blob.length; k++) blob[k] = (k * 7 + params.i * 13) & 255
    return { ys, blob } } })
`,
  "g.ts": `${header('import { w } from "./w.js"')}
export const g = stage({ name: "g", version: "1", params: z.object({}), inputs: { ys: all(w.out.ys) }, outputs: { total: artifact.json() },
  run: ({ node, inputs }) => { logRun(node); return { total: inputs.ys.reduce((s, y) => s + (y.value as number[]).reduce((p, q) => p + q, 0), 0) } } })
`,
  "h.ts": `${header('import { g } from "./g.js"')}
export const h = stage({ name: "h", version: "1", params: z.object({}), inputs: { total: g.out.total }, outputs: { report: artifact.text("txt") }, ${job()},
  run: ({ node, inputs }) => { logRun(node); return { report: "total " + Number(inputs.total).toPrecision(17) + "\\n" } } })
`,
  "limits.ts": `${header()}
export const slow = stage({ name: "slow", version: "1", params: z.object({ sleepMs: z.number().default(300000) }), outputs: { x: artifact.json() }, ${job("1m")},
  run: async ({ node, params }) => { logRun(node + ":start"); await sleep(params.sleepMs); logRun(node); return { x: 1 } } })
export const hog = stage({ name: "hog", version: "1", params: z.object({ mb: z.number().default(1200) }), outputs: { x: artifact.json() }, ${job("5m", 0.2)},
  run: ({ node, params }) => { logRun(node + ":start"); const keep = []; for (let k = 0; k < params.mb / 50; k++) keep.push(Buffer.alloc(50 << 20, k))
    logRun(node); return { x: keep.length } } })
`,
  "pipeline.ts": `import { definePipeline } from "../../../engine/index.js"
import { h } from "./h.js"
import { hog, slow } from "./limits.js"
export default definePipeline({ stages: [h, slow, hog] })
`,
}

// Toy projects for engine tests: a small DAG of trivial stages in a temp folder inside the repo
// (so `zod` and the engine resolve), each stage in its own module so a test can edit one.
// Every execution appends the node id to exec.log beside the modules: tests count those lines.
import { spawn, spawnSync } from "node:child_process"
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs"
import { join } from "node:path"
import { afterAll } from "vitest"
import { repoRoot } from "./fixtures.js"

export const cli = join(repoRoot, "bin", "pipeline.mjs")

export const header = (extra = "") => `import { appendFileSync } from "node:fs"
import { z } from "zod"
import { all, artifact, stage } from "../../../engine/index.js"
${extra}
const logRun = (id: string) => appendFileSync("exec.log", id + "\\n") // cwd = the toy project
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
`

/**
 * a → b[lambda] → c → d → late, plus leaf e[k] on b; c gathers all b; d sleeps `delayMs` (kill
 * tests); raw and late read data.txt.
 */
export const toyModules: Record<string, string> = {
  "a.ts": `${header()}
export const a = stage({ name: "a", version: "1", params: z.object({ n: z.number().int().default(4) }),
  outputs: { xs: artifact.json() },
  run: ({ node, params }) => { logRun(node); return { xs: Array.from({ length: params.n }, (_, i) => i + 1) } } })
`,
  "b.ts": `${header('import { a } from "./a.js"')}
export const b = stage({ name: "b", version: "1", params: z.object({ lambda: z.number().default(2), offset: z.number().default(0) }),
  grid: { lambda: [1, 2] }, inputs: { xs: a.out.xs }, outputs: { ys: artifact.json() },
  run: ({ node, params, inputs }) => { logRun(node); return { ys: (inputs.xs as number[]).map((x) => x * params.lambda + params.offset) } } })
`,
  "c.ts": `${header('import { b } from "./b.js"')}
export const c = stage({ name: "c", version: "1", params: z.object({ scale: z.number().default(1) }),
  inputs: { ys: all(b.out.ys) }, outputs: { total: artifact.json(), table: artifact.text("csv") },
  run: ({ node, params, inputs }) => { logRun(node)
    const sums = inputs.ys.map((g) => (g.value as number[]).reduce((p, q) => p + q, 0) * params.scale)
    return { total: sums.reduce((p, q) => p + q, 0), table: "lambda,sum\\n" + inputs.ys.map((g, i) => g.point.lambda + "," + sums[i]).join("\\n") + "\\n" } } })
`,
  "d.ts": `${header('import { c } from "./c.js"')}
export const d = stage({ name: "d", version: "1", params: z.object({ delayMs: z.number().default(0), payloadKb: z.number().default(64) }),
  inputs: { total: c.out.total }, outputs: { report: artifact.bytes("bin") },
  run: async ({ node, params, inputs }) => { logRun(node + ":start"); await sleep(params.delayMs); logRun(node)
    const out = new Uint8Array(params.payloadKb * 1024); for (let i = 0; i < out.length; i++) out[i] = (i * 31 + Number(inputs.total)) & 255
    return { report: out } } })
`,
  "e.ts": `${header('import { b } from "./b.js"')}
export const e = stage({ name: "e", version: "1", params: z.object({ k: z.number().default(1) }),
  inputs: { ys: b.out.ys }, outputs: { zs: artifact.json() },
  run: ({ node, params, inputs }) => { logRun(node); return { zs: (inputs.ys as number[]).map((y) => y + params.k) } } })
`,
  "fails.ts": `${header('import { a } from "./a.js"')}
export const fails = stage({ name: "fails", version: "1", params: z.object({ ok: z.boolean().default(false) }),
  inputs: { xs: a.out.xs }, outputs: { x: artifact.json() },
  run: ({ node, params }) => { logRun(node); if (!params.ok) throw new Error("boom"); return { x: 1 } } })
export const afterFails = stage({ name: "after-fails", version: "1", params: z.object({}),
  inputs: { x: fails.out.x }, outputs: { y: artifact.json() }, run: ({ node }) => { logRun(node); return { y: 2 } } })
`,
  "raw.ts": `${header('import { dataRef } from "../../../engine/index.js"')}
export const raw = stage({ name: "raw", version: "1", params: z.object({ file: z.string().default("data.txt") }),
  data: (p) => ({ text: dataRef(p.file) }), outputs: { words: artifact.json() },
  run: ({ node, data }) => { logRun(node); return { words: data.text.text().split(/\\s+/).filter(Boolean).length } } })
`,
  "late.ts": `${header('import { readFileSync } from "node:fs"\nimport { join } from "node:path"\nimport { d } from "./d.js"')}
export const late = stage({ name: "late", version: "1", params: z.object({}),
  inputs: { report: d.out.report }, dataFiles: () => [join(process.cwd(), "data.txt")], outputs: { n: artifact.json() },
  run: ({ node, inputs }) => { logRun(node); return { n: (inputs.report as Uint8Array).length + readFileSync(join(process.cwd(), "data.txt"), "utf8").length } } })
`,
  "data.txt": "one two three\n",
  "pipeline.ts": `import { definePipeline } from "../../../engine/index.js"
import { d } from "./d.js"
import { e } from "./e.js"
import { afterFails } from "./fails.js"
import { late } from "./late.js"
import { raw } from "./raw.js"
export default definePipeline({ stages: [d, e, afterFails, raw, late] })
`,
}

let counter = 0
/** A toy maker for one test file: every toy it made is removed after the file's tests. */
export function toyFactory(modules: Record<string, string> = toyModules): (name: string) => Toy {
  const toys: Toy[] = []
  afterAll(() => toys.forEach((t) => t.remove()))
  return (name) => {
    const t = makeToy(name, modules)
    toys.push(t)
    return t
  }
}

export function makeToy(name: string, modules: Record<string, string> = toyModules): Toy {
  const dir = join(repoRoot, "tests", ".tmp", `${name}-${process.pid}-${counter++}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const [file, text] of Object.entries(modules)) writeFileSync(join(dir, file), text)
  return new Toy(dir)
}

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export class Toy {
  constructor(readonly dir: string) {}
  get pipelineFile() {
    return join(this.dir, "pipeline.ts")
  }
  /** Run the CLI in a child process (a fresh module graph, like a user's shell). */
  run(...args: string[]): CliResult {
    const r = spawnSync(process.execPath, [cli, ...args, ...(needsPipeline(args) ? ["--pipeline", this.pipelineFile] : [])], {
      cwd: this.dir,
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    })
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
  }
  spawn(...args: string[]) {
    return spawn(process.execPath, [cli, ...args, "--pipeline", this.pipelineFile], { cwd: this.dir, env: { ...process.env, CI: "true" }, stdio: "pipe" })
  }
  /** Node ids executed since the last reset, in order. */
  executions(): string[] {
    const f = join(this.dir, "exec.log")
    return existsSync(f) ? readFileSync(f, "utf8").split("\n").filter((l) => l && !l.endsWith(":start")) : []
  }
  started(): string[] {
    const f = join(this.dir, "exec.log")
    return existsSync(f) ? readFileSync(f, "utf8").split("\n").filter((l) => l.endsWith(":start")) : []
  }
  resetLog() {
    rmSync(join(this.dir, "exec.log"), { force: true })
  }
  edit(file: string, f: (text: string) => string) {
    const p = join(this.dir, file)
    writeFileSync(p, f(readFileSync(p, "utf8")))
  }
  remove() {
    rmSync(this.dir, { recursive: true, force: true })
  }
}

const needsPipeline = (args: string[]) => !args.includes("--pipeline")

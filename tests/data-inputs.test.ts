// Issue 11 §1/§3 through the real CLI and the real pipeline, from an empty data directory: a run
// fetches what its plan declares before the first node starts (here from a local HTTP server serving
// the shared mirror, as PIPELINE_FETCH_BASE_URL), and refuses — every missing file named, the one
// fetch command, exit 2, nothing written — when it may not (--offline) or cannot (unreachable).
import { spawn } from "node:child_process"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import { dirname, join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sinks } from "../engine/cli/run.js"
import { dataRef, ensureData, type DataRef } from "../engine/data.js"
import { MissingData } from "../engine/errors.js"
import { plan } from "../engine/graph.js"
import { workspace } from "../engine/workspace.js"
import { dataInput } from "../io/data-dir.js"
import { obtainData } from "../io/data-provider.js"
import pipeline from "../pipeline.js"
import { repoRoot, sharedData } from "./fixtures.js"
import { cli } from "./toy.js"

const base = join(repoRoot, "tests", ".tmp", `data-inputs-${process.pid}`)
let server: Server
let url = ""
const served: string[] = []

/** A project dir running the real pipeline (its cache/, artifacts/ there) and an empty data dir. */
function project(name: string) {
  const dir = join(base, name)
  mkdirSync(join(dir, "data"), { recursive: true })
  writeFileSync(join(dir, "pipeline.ts"), 'export { default } from "../../../../pipeline.js"\n')
  return { dir, data: join(dir, "data") }
}

/** The CLI in a child process, asynchronously (the HTTP server lives in this process). */
function cliRun(dir: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [cli, ...args, "--pipeline", join(dir, "pipeline.ts")], {
      cwd: dir,
      env: { ...process.env, CI: "true", PIPELINE_FETCH_BASE_URL: "", ...env },
    })
    let stdout = ""
    let stderr = ""
    c.stdout.on("data", (d) => (stdout += d))
    c.stderr.on("data", (d) => (stderr += d))
    c.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

const declared = (targets: string[]) => {
  const p = plan(pipeline.stages, { targets, preset: "smoke", assignments: [] })
  const ws = workspace(base, pipeline.data)
  return [...new Set(p.nodes.flatMap((n) => ws.dataRefs(n).map(([, r]) => r.file)))].sort()
}
const written = (dir: string) => ["cache", "artifacts", "pipeline.lock"].filter((f) => existsSync(join(dir, f)))

beforeAll(async () => {
  server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? "/").slice(1))
    const file = join(sharedData, rel)
    if (rel.includes("..") || !existsSync(file)) return void res.writeHead(404).end()
    served.push(rel)
    const body = readFileSync(file)
    res.writeHead(200, { "content-length": body.length }).end(body)
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const addr = server.address()
  url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  rmSync(base, { recursive: true, force: true })
})

describe("data inputs from an empty data directory", () => {
  it("--offline: every missing file of the whole plan named at once with the one fetch command; exit 2; nothing written", async () => {
    const { dir, data } = project("offline")
    const r = await cliRun(dir, { PIPELINE_DATA_DIR: data }, "run", "distill", "leaderboard", "--preset", "smoke", "--offline")
    expect(r.code).toBe(2)
    const lines = r.stderr.trim().split("\n")
    expect(lines).toHaveLength(1)
    const files = declared(["distill", "leaderboard"])
    expect(files).toContain("cgcnn/atom_init.json") // train's descriptor: declared, so checked up front
    expect(lines[0]).toBe(
      `pipeline: missing data files ${files.join(", ")} — not in ${data} (--offline); get them with \`npx pipeline fetch element-tables matbench matbench_phonons\`, then run again`,
    )
    expect(written(dir)).toEqual([])
    expect(readdirSync(data)).toEqual([])
    // status names them per node and exits 0
    const st = await cliRun(dir, { PIPELINE_DATA_DIR: data }, "status", "graphs", "--preset", "smoke")
    expect(st.code).toBe(0)
    expect(st.stdout).toContain("graphs[task=matbench_phonons]: data file missing: matbench_structures/matbench_phonons.json.gz")
  })

  it("an unreachable source: the same refusal, saying why", async () => {
    const { dir, data } = project("unreachable")
    // port 1 on the loopback: nothing listens, the connection is refused at once
    const r = await cliRun(dir, { PIPELINE_DATA_DIR: data, PIPELINE_FETCH_BASE_URL: "http://127.0.0.1:1" }, "run", "substitution", "--preset", "smoke")
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(
      /^pipeline: missing data files substitution\/wang2021_hyllios\/substitution\.dat, substitution\/wang2021_hyllios\/substitution\.dat\.element_count — not in .* \(http:\/\/127\.0\.0\.1:1 unreachable: [^)]*ECONNREFUSED[^)]*\); get them with `npx pipeline fetch substitution`/,
    )
    expect(written(dir)).toEqual([])
  })

  it("without --offline, run fetches what the plan declares (checksummed) before the first node, then runs", async () => {
    const { dir, data } = project("fetch")
    const targets = ["graphs", "substitution"]
    const r = await cliRun(dir, { PIPELINE_DATA_DIR: data, PIPELINE_FETCH_BASE_URL: url }, "run", ...targets, "--preset", "smoke")
    expect(r.stderr).toMatch(/ran \d+, cached 0, failed 0/)
    expect(r.code).toBe(0)
    const files = declared(targets)
    for (const f of files) {
      expect(r.stderr, f).toContain(`ok    ${f} sha256 verified`)
      expect(Buffer.compare(readFileSync(join(data, f)), readFileSync(join(sharedData, f))), f).toBe(0)
    }
    expect(served.filter((s) => files.includes(s)).sort()).toEqual(files) // each fetched once, nothing else needed
    // the fetch happened before any node: the first node line comes after the last "ok"
    const lastOk = r.stderr.lastIndexOf("sha256 verified")
    expect(r.stderr.indexOf("graphs")).toBeGreaterThan(lastOk)
    const again = await cliRun(dir, { PIPELINE_DATA_DIR: data }, "run", ...targets, "--preset", "smoke", "--offline")
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/ran 0, cached \d+/)
  })

  it("a malformed data file: the failure names the file", async () => {
    const { dir, data } = project("malformed")
    const f = "cgcnn/atom_init.json"
    mkdirSync(dirname(join(data, f)), { recursive: true })
    copyFileSync(join(sharedData, f), join(data, f))
    writeFileSync(join(data, f), readFileSync(join(data, f)).subarray(0, 1000)) // a cut-off download
    const r = await cliRun(dir, { PIPELINE_DATA_DIR: data }, "run", "element-tables", "--preset", "smoke", "--set", "table=cgcnn", "--offline")
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`pipeline: element-tables[table=cgcnn] failed: bad data in ${join(data, f)}: not valid JSON (`)
  })
})

describe("the pipeline's data provider", () => {
  it("fetches what it knows a source for; a file without one is refused by name, with why", async () => {
    const { data } = project("provider")
    const provider = { ...pipeline.data!, dir: () => data }
    const known = dataInput("pettifor/mod_petti.json")
    const lines: string[] = []
    // obtainData with the local mirror as base URL, the way `run` calls it with PIPELINE_FETCH_BASE_URL set
    const withMirror = { ...provider, obtain: (m: readonly DataRef[]) => obtainData(m, { dir: data, baseUrl: url, out: (l) => lines.push(l) }) }
    const err = await ensureData([known, dataRef("nowhere/unknown.json")], withMirror).catch((e: unknown) => e as MissingData)
    expect(err).toBeInstanceOf(MissingData)
    expect((err as MissingData).files).toEqual(["nowhere/unknown.json"])
    expect((err as MissingData).message).toMatch(/\(no known source\); put it there, then run again$/)
    expect(lines.at(-1)).toBe("ok    pettifor/mod_petti.json sha256 verified")
    expect(Buffer.compare(readFileSync(join(data, known.file)), readFileSync(join(sharedData, known.file)))).toBe(0)
    // present now: nothing to do, nothing fetched
    await ensureData([known], withMirror)
    expect(lines.filter((l) => l.startsWith("fetch"))).toHaveLength(1)
  })
})

// keep the default targets honest: what CI's smoke run targets (distill leaderboard crabnet-transfer) ends
// in sinks of the pipeline (distill feeds crabnet-distilled, so it is no longer one)
it("CI's smoke targets are sinks of the pipeline", () => {
  const names = sinks({ pipeline, root: repoRoot }).map((s) => s.name)
  expect(names).toEqual(expect.arrayContaining(["leaderboard", "crabnet-transfer"]))
  expect(names).not.toContain("distill")
})

// The download path for real, against a local HTTP server on 127.0.0.1 serving the shared data mirror:
// a good server (with Range), one that cuts the body short, and one that serves wrong bytes.
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { createServer, type Server } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gunzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { sharedData } from "../tests/fixtures.js"
import { fetchCommand, fetchData, selectEntries } from "./fetch.js"
import { manifest } from "./fetch-manifest.js"

/** bzip2 as MatBench made its artifacts, with the system's bzip2 (else Python's bz2 module). */
function bzip2(text: string): Buffer {
  for (const [cmd, args] of [["bzip2", ["-c"]], ["python3", ["-c", "import bz2,sys; sys.stdout.buffer.write(bz2.compress(sys.stdin.buffer.read()))"]]] as const) {
    const r = spawnSync(cmd, args, { input: text, maxBuffer: 1 << 26 })
    if (r.status === 0) return r.stdout
  }
  throw new Error("this test needs bzip2 or python3 on PATH to make a bzip2 file")
}

const atomInit = manifest.find((e) => e.file === "cgcnn/atom_init.json")!
const CUT = 10_000
let server: Server
let base = ""
const ranges: string[] = []
const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "pipeline-fetch-"))
  dirs.push(d)
  return d
}
const quiet = () => {}

beforeAll(async () => {
  server = createServer((req, res) => {
    const [, mode, ...rest] = decodeURIComponent(req.url ?? "").split("/")
    const file = join(sharedData, ...rest)
    if (!existsSync(file)) return void res.writeHead(404).end()
    const body = readFileSync(file)
    if (mode === "truncated") {
      res.writeHead(200, { "content-length": body.length })
      res.write(body.subarray(0, CUT), () => res.socket?.end()) // promise the whole file, send 10 kB, hang up
      return
    }
    if (mode === "upstream-bz2" || mode === "upstream-bz2-wrong") {
      // MatBench's own artifacts are bzip2'd JSON: serve the mirror's JSON that way (edited for -wrong)
      const json = gunzipSync(body).toString("utf8")
      return void res.writeHead(200).end(bzip2(mode === "upstream-bz2" ? json : json.replace("mb-steels-001", "mb-steels-999")))
    }
    if (mode === "corrupt") {
      const bad = Buffer.from(body)
      bad[100] = bad[100]! ^ 0xff
      return void res.writeHead(200, { "content-length": bad.length }).end(bad)
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "")
    if (range) {
      ranges.push(req.headers.range!)
      const from = Number(range[1])
      return void res.writeHead(206, { "content-length": body.length - from, "content-range": `bytes ${from}-${body.length - 1}/${body.length}` }).end(body.subarray(from))
    }
    res.writeHead(200, { "content-length": body.length }).end(body)
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  const addr = server.address()
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`
})

afterAll(async () => {
  await new Promise((r) => server.close(r))
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe("pipeline fetch", () => {
  it("the manifest pins the mirror's sha256 for every file it holds", () => {
    const mirror = JSON.parse(readFileSync(join(sharedData, "MANIFEST.json"), "utf8")) as { file: string; sha256: string }[]
    const sha = new Map(mirror.map((m) => [m.file, m.sha256]))
    for (const e of manifest.filter((e) => e.sha256)) expect(sha.get(e.file), e.file).toBe(e.sha256)
    const want = createHash("sha256").update(readFileSync(join(sharedData, atomInit.file))).digest("hex")
    expect(atomInit.sha256).toBe(want)
  })

  it("a cut-off response fails with one clear line, keeps nothing under the final name, and the next fetch resumes with Range", async () => {
    const dir = tmp()
    const err = await fetchData({ targets: ["element-tables"], entries: [atomInit], baseUrl: `${base}/truncated`, dir, out: quiet }).catch((e: Error) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(/^download of cgcnn\/atom_init\.json was cut off after 10000 of 28392 bytes .*run the same fetch again to resume$/)
    expect((err as Error).message).not.toContain("\n")
    expect(existsSync(join(dir, atomInit.file))).toBe(false)
    expect(statSync(join(dir, ".partial", atomInit.file)).size).toBe(CUT)

    const s = await fetchData({ targets: [], entries: [atomInit], baseUrl: `${base}/good`, dir, out: quiet })
    expect(s.downloaded).toEqual([atomInit.file])
    expect(ranges).toContain(`bytes=${CUT}-`)
    expect(readFileSync(join(dir, atomInit.file)).equals(readFileSync(join(sharedData, atomInit.file)))).toBe(true)
    expect(existsSync(join(dir, ".partial", atomInit.file))).toBe(false)

    const again = await fetchData({ targets: [], entries: [atomInit], baseUrl: `${base}/good`, dir, out: quiet })
    expect(again.present).toEqual([atomInit.file])
  })

  it("wrong bytes fail the checksum with one clear line and are discarded", async () => {
    const dir = tmp()
    const err = await fetchData({ targets: [], entries: [atomInit], baseUrl: `${base}/corrupt`, dir, out: quiet }).catch((e: Error) => e)
    expect((err as Error).message).toMatch(/^checksum mismatch for cgcnn\/atom_init\.json: sha256 [0-9a-f]{16}… ≠ expected cb90bd2257dbf8cf…/)
    expect(existsSync(join(dir, atomInit.file))).toBe(false)
    expect(existsSync(join(dir, ".partial", atomInit.file))).toBe(false)
  })

  it("the CLI command fetches a task's files from a mirror (PIPELINE_FETCH_BASE_URL) into PIPELINE_DATA_DIR", async () => {
    const dir = tmp()
    const env = { ...process.env }
    process.env.PIPELINE_DATA_DIR = dir
    process.env.PIPELINE_FETCH_BASE_URL = `${base}/good`
    try {
      expect(await fetchCommand.run(["matbench_steels"])).toBe(0)
    } finally {
      process.env = env
    }
    for (const e of selectEntries(["steels"])) expect(existsSync(join(dir, e.file)), e.file).toBe(true)
    expect(existsSync(join(dir, "matbench/benchmarks/matbench_v0.1_dummy_results.json.gz"))).toBe(true)
  })

  it("an official bzip2 source (MatBench's artifacts) is decoded, checked by its content's sha256 and stored gzip'd", async () => {
    const steels = manifest.find((e) => e.file === "matbench/artifacts/matbench_steels.json.gz")!
    expect(steels.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/materialsproject\/matbench\/[0-9a-f]{40}\/scripts\/artifacts\/matbench_steels\.json\.bz2$/)
    const dir = tmp()
    const upstream = (mode: string) => ({ ...steels, url: `${base}/${mode}/${steels.file}` })
    const s = await fetchData({ targets: [], entries: [upstream("upstream-bz2")], dir, out: quiet })
    expect(s.downloaded).toEqual([steels.file])
    expect(gunzipSync(readFileSync(join(dir, steels.file))).equals(gunzipSync(readFileSync(join(sharedData, steels.file))))).toBe(true)
    expect(existsSync(join(dir, ".partial", `${steels.file}.bzip2`))).toBe(false)

    const other = tmp()
    const err = await fetchData({ targets: [], entries: [upstream("upstream-bz2-wrong")], dir: other, out: quiet }).catch((e: Error) => e)
    expect((err as Error).message).toMatch(/^checksum mismatch for matbench\/artifacts\/matbench_steels\.json\.gz: content sha256 [0-9a-f]{16}… ≠ expected 0cc0fc5d1827f2fd…/)
    expect(existsSync(join(other, steels.file))).toBe(false)
    expect(existsSync(join(other, ".partial", `${steels.file}.bzip2`))).toBe(false)
  })

  it("names unknown targets and what cannot come from an official source", async () => {
    expect(() => selectEntries(["nope"])).toThrow(/unknown fetch target 'nope' — known: all, element-tables/)
    const derived = { file: "matbench/derived.json", group: "matbench" } // no official source
    const s = await fetchData({ targets: [], entries: [derived], dir: tmp(), out: quiet, baseUrl: "" })
    expect(s.unavailable).toEqual([derived.file])
  })
})

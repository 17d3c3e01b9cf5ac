// `npx pipeline fetch [group…]`: download the data files that are missing from the data dir, from
// their official sources (io/fetch-manifest.ts) or from a mirror (--base-url / PIPELINE_FETCH_BASE_URL,
// laid out like the data dir). Each file goes to <dataDir>/.partial/<file> first, resumes there with an
// HTTP Range request after an interrupted transfer, is checked against its sha256, and only then is
// renamed into place — a file under its final name is always complete and verified.
import { createHash } from "node:crypto"
import { closeSync, createReadStream, existsSync, openSync, statSync, writeSync } from "node:fs"
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises"
import { request as httpGet, type IncomingMessage } from "node:http"
import { request as httpsGet } from "node:https"
import { dirname, join } from "node:path"
import { gunzipSync, gzipSync } from "node:zlib"
import Bunzip from "seek-bzip"
import type { PipelineCommand } from "../engine/index.js"
import { dataDir } from "./data-dir.js"
import { manifest, type ManifestEntry } from "./fetch-manifest.js"
import { matbenchTasks } from "./matbench.js"

export interface FetchOptions {
  /** groups or task names; empty = everything */
  readonly targets: readonly string[]
  readonly baseUrl?: string
  readonly dir?: string
  readonly force?: boolean
  /** one line of output */
  readonly out?: (line: string) => void
  /** draw a redrawn progress bar (a TTY) instead of plain lines */
  readonly tty?: boolean
  readonly entries?: readonly ManifestEntry[]
}

export interface FetchSummary {
  readonly downloaded: string[]
  readonly present: string[]
  /** files with no official source and no mirror given */
  readonly unavailable: string[]
}

const groups = () => [...new Set(manifest.map((e) => e.group))]

/** Which manifest entries a list of targets names ("phonons" = "matbench_phonons"; a task pulls in "matbench"). */
export function selectEntries(targets: readonly string[], entries: readonly ManifestEntry[] = manifest): ManifestEntry[] {
  if (targets.length === 0 || targets.includes("all")) return [...entries]
  const known = new Set(entries.map((e) => e.group))
  const wanted = new Set<string>()
  for (const raw of targets) {
    const t = known.has(raw) ? raw : known.has(`matbench_${raw}`) ? `matbench_${raw}` : undefined
    if (!t) throw new Error(`unknown fetch target '${raw}' — known: all, ${[...known].join(", ")}`)
    wanted.add(t)
    if ((matbenchTasks as readonly string[]).includes(t)) wanted.add("matbench")
  }
  return entries.filter((e) => wanted.has(e.group))
}

export async function fetchData(opts: FetchOptions): Promise<FetchSummary> {
  const dir = opts.dir ?? dataDir()
  const out = opts.out ?? ((l: string) => process.stderr.write(l + "\n"))
  const base = opts.baseUrl ?? process.env.PIPELINE_FETCH_BASE_URL
  const selected = selectEntries(opts.targets, opts.entries)
  const summary: FetchSummary = { downloaded: [], present: [], unavailable: [] }
  for (const entry of selected) {
    const dest = join(dir, entry.file)
    if (!opts.force && existsSync(dest)) {
      summary.present.push(entry.file)
      continue
    }
    const url = base ? `${base.replace(/\/+$/, "")}/${entry.file.split("/").map(encodeURIComponent).join("/")}` : entry.url
    if (!url) {
      summary.unavailable.push(entry.file)
      continue
    }
    // a mirror holds the file as it is; an official source may hold it in another encoding
    const encoding = base ? undefined : entry.encoding
    await downloadOne(entry, url, encoding, dir, out, opts.tty ?? false)
    summary.downloaded.push(entry.file)
  }
  return summary
}

const mb = (n: number) => (n / 1e6).toFixed(n < 1e7 ? 2 : 1)

async function downloadOne(
  entry: ManifestEntry,
  url: string,
  encoding: ManifestEntry["encoding"],
  dir: string,
  out: (l: string) => void,
  tty: boolean,
): Promise<void> {
  const dest = join(dir, entry.file)
  const part = join(dir, ".partial", entry.file) + (encoding ? `.${encoding}` : "")
  const size = encoding ? undefined : entry.size
  await mkdir(dirname(part), { recursive: true })
  let have = existsSync(part) ? statSync(part).size : 0
  if (size !== undefined && have > size) {
    await rm(part)
    have = 0
  }
  const complete = size !== undefined && have === size
  if (!complete) {
    let res: IncomingMessage
    try {
      res = await get(url, have > 0 ? { Range: `bytes=${have}-` } : {})
    } catch (e) {
      throw new Error(`cannot download ${entry.file} from ${url}: ${causeOf(e)}`)
    }
    if (res.statusCode === 200) have = 0 // the server ignored the Range: start again
    else if (res.statusCode !== 206) {
      res.resume()
      throw new Error(`cannot download ${entry.file}: HTTP ${res.statusCode} from ${url}`)
    }
    const length = Number(res.headers["content-length"] ?? Number.NaN)
    const total = Number.isFinite(length) ? have + length : size
    out(`fetch ${entry.file}${total ? ` (${mb(total)} MB)` : ""}${have > 0 ? `, resuming at ${mb(have)} MB` : ""} ← ${url}`)
    const fd = openSync(part, have > 0 ? "a" : "w")
    let got = have
    let lastDraw = 0
    try {
      // flowing mode, synchronous appends: every byte that arrived is on disk before an abort is seen
      await new Promise<void>((resolve, reject) => {
        res.on("data", (chunk: Buffer) => {
          writeSync(fd, chunk)
          got += chunk.length
          const now = Date.now()
          if (tty && total && now - lastDraw > 100) {
            lastDraw = now
            process.stderr.write(`\r  ${bar(got / total)} ${((100 * got) / total).toFixed(0).padStart(3)}%  ${mb(got)}/${mb(total)} MB`)
          }
        })
        res.on("end", resolve)
        res.on("error", reject)
        res.on("aborted", () => reject(new Error("connection closed early")))
      })
    } catch (e) {
      throw new Error(`download of ${entry.file} was cut off after ${got} of ${total ?? "?"} bytes (${causeOf(e)}) — run the same fetch again to resume`)
    } finally {
      closeSync(fd)
      if (tty && total) process.stderr.write("\r\x1b[K")
    }
    if (total !== undefined && got < total)
      throw new Error(`download of ${entry.file} was cut off after ${got} of ${total} bytes — run the same fetch again to resume`)
  }
  if (encoding === "bzip2") return storeDecoded(entry, part, dest, url, out)
  const sha = await sha256File(part)
  if (entry.sha256) {
    if (sha !== entry.sha256) {
      await rm(part, { force: true })
      throw new Error(`checksum mismatch for ${entry.file}: sha256 ${sha.slice(0, 16)}… ≠ expected ${entry.sha256.slice(0, 16)}… (from ${url}); the download was discarded`)
    }
  } else {
    // unpinned file (a structure task the mirror lacks): at least it must be complete gzip'd JSON
    try {
      const bytes = await readFile(part)
      JSON.parse((entry.file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8"))
    } catch (e) {
      await rm(part, { force: true })
      throw new Error(`downloaded ${entry.file} is not readable ${entry.file.endsWith(".gz") ? "gzip'd " : ""}JSON (${causeOf(e)}); the download was discarded`)
    }
  }
  await mkdir(dirname(dest), { recursive: true })
  await rename(part, dest)
  out(`ok    ${entry.file} sha256 ${entry.sha256 ? "verified" : `${sha} (unpinned)`}`)
}

/**
 * A bzip2'd download (MatBench's artifacts upstream): decode, check the content's sha256, store gzip'd
 * as the loaders read it. The partial download is kept on a bad checksum only if it was cut short.
 */
async function storeDecoded(entry: ManifestEntry, part: string, dest: string, url: string, out: (l: string) => void): Promise<void> {
  let payload: Buffer
  try {
    payload = Bunzip.decode(await readFile(part))
  } catch (e) {
    await rm(part, { force: true })
    throw new Error(`downloaded ${entry.file} from ${url} is not valid bzip2 (${causeOf(e)}); the download was discarded — run the same fetch again`)
  }
  const sha = createHash("sha256").update(payload).digest("hex")
  if (entry.payloadSha256 && sha !== entry.payloadSha256) {
    await rm(part, { force: true })
    throw new Error(`checksum mismatch for ${entry.file}: content sha256 ${sha.slice(0, 16)}… ≠ expected ${entry.payloadSha256.slice(0, 16)}… (from ${url}); the download was discarded`)
  }
  const gz = part.slice(0, -".bzip2".length)
  await writeFile(gz, gzipSync(payload))
  await mkdir(dirname(dest), { recursive: true })
  await rename(gz, dest)
  await rm(part, { force: true })
  out(`ok    ${entry.file} decoded from bzip2, content sha256 ${entry.payloadSha256 ? "verified" : `${sha} (unpinned)`}`)
}

/** GET with redirects (raw GitHub and ml.materialsproject.org may redirect). */
function get(url: string, headers: Record<string, string>, redirects = 5): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const u = new URL(url)
    const send = u.protocol === "https:" ? httpsGet : u.protocol === "http:" ? httpGet : undefined
    if (!send) return reject(new Error(`unsupported URL scheme ${u.protocol}`))
    const req = send(u, { headers: { "user-agent": "pipeline-fetch", ...headers } }, (res) => {
      const loc = res.headers.location
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && loc) {
        res.resume()
        if (redirects === 0) return reject(new Error("too many redirects"))
        return resolve(get(new URL(loc, u).href, headers, redirects - 1))
      }
      resolve(res)
    })
    req.setTimeout(60_000, () => req.destroy(new Error("no response for 60 s")))
    req.on("error", reject)
    req.end()
  })
}

function bar(f: number, width = 30): string {
  const n = Math.max(0, Math.min(width, Math.round(f * width)))
  return `[${"#".repeat(n)}${"-".repeat(width - n)}]`
}

function causeOf(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string; code?: string } }
  const msg = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e)
  return msg.split("\n")[0]!
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256")
    createReadStream(file)
      .on("data", (c) => h.update(c))
      .on("error", reject)
      .on("end", () => resolve(h.digest("hex")))
  })
}

export const fetchCommand: PipelineCommand = {
  summary: "download missing data files (MatBench tasks, element tables) into the data dir, checksummed and resumable",
  usage: "fetch [all | element-tables | substitution | matbench | <task>…] [--base-url URL] [--force]",
  run: async (args) => {
    const targets: string[] = []
    let baseUrl: string | undefined
    let force = false
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!
      if (a === "--base-url") baseUrl = args[++i]
      else if (a.startsWith("--base-url=")) baseUrl = a.slice("--base-url=".length)
      else if (a === "--force") force = true
      else if (a === "--list") {
        for (const g of groups()) process.stdout.write(`${g}\n`)
        return 0
      } else if (a.startsWith("-")) throw new Error(`unknown fetch option '${a}' — usage: ${fetchCommand.usage}`)
      else targets.push(a)
    }
    if (args.includes("--base-url") && !baseUrl) throw new Error("--base-url needs a URL")
    const dir = dataDir()
    const s = await fetchData({ targets, baseUrl, force, dir, tty: process.stderr.isTTY === true })
    process.stderr.write(`data dir ${dir}: ${s.downloaded.length} downloaded, ${s.present.length} already present\n`)
    if (s.unavailable.length > 0) {
      throw new Error(
        `${s.unavailable.length} file(s) have no official source with the same bytes (derived or recompressed in the mirror: ${s.unavailable.slice(0, 3).join(", ")}${s.unavailable.length > 3 ? ", …" : ""}) — set PIPELINE_FETCH_BASE_URL or --base-url to a mirror of the data dir`,
      )
    }
    return 0
  },
}

// The pipeline's data service for the engine: declared files live in the data dir (io/data-dir.ts);
// a missing one is fetched from its source in the fetch manifest (or a mirror: PIPELINE_FETCH_BASE_URL)
// the way `npx pipeline fetch` does it — progress, resume, sha256 — before the first node starts.
import type { DataProvider, DataRef, Unobtainable } from "../engine/index.js"
import { dataDir } from "./data-dir.js"
import { fetchData } from "./fetch.js"
import { manifestEntry } from "./fetch-manifest.js"

/** `npx pipeline fetch <groups>` for these files (the manifest's groups; a task's files by its name); none if no file has one. */
export function fetchCommandFor(files: readonly string[]): string | undefined {
  const groups = [...new Set(files.map((f) => manifestEntry(f)?.group).filter((g): g is string => g !== undefined))].sort()
  return groups.length > 0 ? `npx pipeline fetch ${groups.join(" ")}` : undefined
}

/** Fetch each missing file; what cannot be fetched (no known source, unreachable, bad checksum) comes back with why. */
export async function obtainData(missing: readonly DataRef[], opts: { dir?: string; baseUrl?: string; out?: (line: string) => void } = {}): Promise<Unobtainable[]> {
  const dir = opts.dir ?? dataDir()
  const baseUrl = opts.baseUrl ?? (process.env.PIPELINE_FETCH_BASE_URL || undefined)
  const failed: Unobtainable[] = []
  // a host that did not answer is not asked again for the next file
  const unreachable = new Map<string, string>()
  for (const ref of missing) {
    const entry = manifestEntry(ref.file)
    const url = baseUrl ?? entry?.url
    if (!entry || !url) {
      failed.push({ file: ref.file, why: "no known source" })
      continue
    }
    const origin = new URL(url).origin
    const dead = unreachable.get(origin)
    if (dead) {
      failed.push({ file: ref.file, why: dead })
      continue
    }
    try {
      await fetchData({ targets: [], entries: [entry], baseUrl, dir, tty: process.stderr.isTTY === true, out: opts.out })
    } catch (e) {
      const message = (e as Error).message
      // "cannot download F from URL: ECONNREFUSED": the host, not the file
      const cause = /^cannot download .* from \S+: (.*)$/.exec(message)?.[1]
      if (cause) {
        const why = `${origin} unreachable: ${cause}`
        unreachable.set(origin, why)
        failed.push({ file: ref.file, why })
      } else failed.push({ file: ref.file, why: message })
    }
  }
  return failed
}

export const dataProvider: DataProvider = {
  dir: dataDir,
  obtain: (missing) => obtainData(missing, { dir: dataDir() }),
  fetchCommand: (missing) => fetchCommandFor(missing.map((r) => r.file)),
}

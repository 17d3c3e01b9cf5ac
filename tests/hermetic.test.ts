// Issue 11 §1: a key covers every data file a node reads, enforced by the machine. The smoke DAG runs
// in-process with reads under the data directory recorded per node (tests/read-guard.ts): any read of
// a file the node did not declare fails, as a planted one does. Then each declared file of a copy of
// the data is edited in turn: exactly the nodes that declared it rerun, plus those whose inputs changed.
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { gunzipSync, gzipSync } from "node:zlib"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { z } from "zod"
import { sinks } from "../engine/cli/run.js"
import type { DataProvider } from "../engine/data.js"
import { plan, type Plan } from "../engine/graph.js"
import { initHash } from "../engine/hash.js"
import { artifact, dataRef, stage } from "../engine/index.js"
import { readLock, type LockFile } from "../engine/lockfile.js"
import { parseAssignment } from "../engine/params.js"
import { runPlan } from "../engine/run.js"
import { evaluate } from "../engine/status.js"
import { workspace, type Workspace } from "../engine/workspace.js"
import { dataDir, dataInput } from "../io/data-dir.js"
import { elementTableNames, openElementTable } from "../io/element-tables.js"
import pipeline from "../pipeline.js"
import { repoRoot, sharedData } from "./fixtures.js"
import { recordDataReads, undeclaredReads } from "./read-guard.js"

const root = join(repoRoot, "tests", ".tmp", `hermetic-${process.pid}`)
const data = join(root, "data")
// the copy only: never fetch, never touch ../shared
const provider: DataProvider = { dir: () => data }
const smoke = (): Plan =>
  plan(pipeline.stages, { targets: sinks({ pipeline, root }).map((s) => s.name), preset: "smoke", assignments: [] })
const declaredFiles = (p: Plan, ws: Workspace) => [...new Set(p.nodes.flatMap((n) => ws.dataRefs(n).map(([, r]) => r.file)))].sort()
const readers = (p: Plan, ws: Workspace, file: string) => p.nodes.filter((n) => ws.dataRefs(n).some(([, r]) => r.file === file)).map((n) => n.id).sort()
const sorted = (xs: readonly string[]) => [...xs].sort()

/** Run with the read guard on; heavy stages inline so their reads happen in this process. */
async function guardedRun(p: Plan, ws: Workspace) {
  const guard = recordDataReads(data, [sharedData])
  try {
    const summary = await runPlan(p, ws, { inlineHeavy: true, offline: true })
    return { summary, reads: guard.reads, undeclared: undeclaredReads(p, ws, guard.reads) }
  } finally {
    guard.stop()
  }
}

/** Different bytes, same meaning: a trailing newline (JSON, CSV, whitespace tables) or gzip at another level. */
function touch(file: string) {
  const bytes = readFileSync(file)
  const edited = file.endsWith(".gz") ? gzipSync(gunzipSync(bytes), { level: 1 }) : Buffer.concat([bytes, Buffer.from("\n")])
  expect(Buffer.compare(edited, bytes), file).not.toBe(0)
  writeFileSync(file, edited)
}

/** Nodes whose inputs' content moved between two locks (early cutoff: only these may rerun downstream). */
function inputsChanged(p: Plan, before: LockFile, after: LockFile): Set<string> {
  const out = new Set<string>()
  const hash = (l: LockFile, id: string, o: string) => l.nodes[id]?.outputs[o]?.hash
  for (const n of p.nodes)
    if (n.inputs.some((i) => i.upstream.some((u) => hash(before, u.id, i.output) !== hash(after, u.id, i.output)))) out.add(n.id)
  return out
}

describe("hermetic keys: the read guard on the smoke DAG", () => {
  let p: Plan
  let ws: Workspace
  let files: string[]
  beforeAll(async () => {
    await initHash()
    // io/ helpers that read the data dir behind the engine's back would read the copy, where the guard looks
    process.env.PIPELINE_DATA_DIR = data
    rmSync(root, { recursive: true, force: true })
    ws = workspace(root, provider)
    p = smoke()
    files = declaredFiles(p, ws)
    for (const f of files) {
      mkdirSync(dirname(join(data, f)), { recursive: true })
      copyFileSync(join(sharedData, f), join(data, f))
    }
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it("every node reads only data files it declared, and every declared file is read", async () => {
    const { summary, reads, undeclared } = await guardedRun(p, ws)
    expect(summary.failed.map((f) => f.error.message)).toEqual([])
    expect(summary.ran.length).toBe(p.nodes.length)
    expect(undeclared).toEqual([])
    // the guard saw the reads (not vacuous), and no declaration is dead weight
    expect(sorted([...new Set(reads.map((r) => r.file))])).toEqual(files)
    // the holes are declared now: train reads the CGCNN descriptor, distill the Mat2Vec table
    expect(readers(p, ws, "cgcnn/atom_init.json").filter((id) => id.startsWith("train["))).toHaveLength(6)
    expect(readers(p, ws, "crabnet/element_properties/mat2vec.csv")).toContain("distill[nComponents=32,variant=S]")
  })

  it("the data paths the smoke preset does not take (mod-Petti order, every element table) read only what they declare", async () => {
    const other = plan(pipeline.stages, {
      targets: ["reference-order", "element-tables", "published-tables"],
      preset: "smoke",
      assignments: [parseAssignment("reference-order.source=mod-petti", false), parseAssignment(`table=${elementTableNames.join(",")}`, true)],
    })
    const ows = workspace(join(root, "other"), provider)
    const needed = declaredFiles(other, ows)
    expect(needed).toContain("pettifor/mod_petti.json")
    for (const f of needed) {
      mkdirSync(dirname(join(data, f)), { recursive: true })
      copyFileSync(join(sharedData, f), join(data, f))
    }
    const r = await guardedRun(other, ows)
    expect(r.summary.failed.map((f) => f.error.message)).toEqual([])
    expect(r.undeclared).toEqual([])
    // (tables the smoke run parsed are cached by content in this process: not read again)
    expect(r.reads.map((x) => x.file)).toContain("pettifor/mod_petti.json")
    expect(r.reads.map((x) => x.file)).toContain("crabnet/element_properties/jarvis.csv")
  })

  it("keys are about content: an identical copy of the data directory elsewhere finds every node cached", () => {
    const elsewhere = join(root, "elsewhere", "copy")
    cpSync(data, elsewhere, { recursive: true })
    const other = workspace(root, { dir: () => elsewhere })
    const stale = [...evaluate(p, other, readLock(other.lockFile)).values()].filter((s) => !s.fresh)
    expect(stale.map((s) => `${s.node.id}: ${s.reasons.join("; ")}`)).toEqual([])
    rmSync(join(root, "elsewhere"), { recursive: true, force: true })
  })

  it("a planted undeclared read fails the guard, naming the node and the file", async () => {
    // a raw fs read behind the engine's back (io's helpers refuse inside a node: see below)
    const sneaky = stage({
      name: "sneaky",
      version: "1",
      params: z.object({}),
      data: () => ({ groups: dataInput("elementembeddings/element_data/element_group.json") }),
      outputs: { n: artifact.json(z.number()) },
      run: ({ data: d }) => ({ n: d.groups.text().length + readFileSync(join(dataDir(), "crabnet/element_properties/mat2vec.csv")).length }),
    })
    const toy = plan([sneaky], { targets: ["sneaky"], preset: "", assignments: [] })
    const r = await guardedRun(toy, workspace(join(root, "sneaky"), provider))
    expect(r.summary.failed).toEqual([])
    expect(r.undeclared).toEqual(["sneaky → crabnet/element_properties/mat2vec.csv"])
    // the declared file was read too, and is not flagged
    expect(r.reads.some((x) => x.file === "elementembeddings/element_data/element_group.json")).toBe(true)
  })

  it("a data file that changes after the node's key was made is refused, not read", async () => {
    const dir = join(root, "midrun")
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "words.txt"), "one two\n")
    const counts = stage({
      name: "counts",
      version: "1",
      params: z.object({}),
      data: () => ({ words: dataRef("words.txt") }),
      outputs: { n: artifact.json(z.number()) },
      run: ({ data: d }) => {
        writeFileSync(d.words.path, "one two three\n") // another process replaces it mid-run
        return { n: d.words.text().split(/\s+/).filter(Boolean).length }
      },
    })
    const r = await runPlan(plan([counts], { targets: ["counts"], preset: "", assignments: [] }), workspace(dir, { dir: () => dir }), { offline: true })
    expect(r.failed.map((f) => f.error.message)).toEqual([
      `counts failed: data file words.txt changed while the run was using it (${join(dir, "words.txt")}) — run again`,
    ])
  })

  it("io's helpers for code outside a run refuse inside a node's run, naming node and file", async () => {
    const helper = stage({
      name: "helper",
      version: "1",
      params: z.object({}),
      outputs: { n: artifact.json(z.number()) },
      run: () => ({ n: openElementTable("mat2vec").dim }),
    })
    const r = await guardedRun(plan([helper], { targets: ["helper"], preset: "", assignments: [] }), workspace(join(root, "helper"), provider))
    expect(r.summary.failed.map((f) => f.error.message)).toEqual([
      "helper failed: helper reads data file crabnet/element_properties/mat2vec.csv without declaring it: add it to the stage's `data`",
    ])
    expect(r.reads).toEqual([])
  })

  it("editing each declared data file reruns exactly the nodes that declared it (and what their new outputs reach)", async () => {
    for (const file of files) {
      const before = readLock(ws.lockFile)
      touch(join(data, file))
      const who = readers(p, ws, file)
      // status says why, per node: the data file, for exactly its readers
      const states = evaluate(p, ws, readLock(ws.lockFile))
      const named = [...states.values()].filter((s) => s.reasons.some((r) => r.startsWith("data file") && r.includes(file))).map((s) => s.node.id)
      expect(sorted(named), file).toEqual(who)
      const { summary, undeclared } = await guardedRun(p, ws)
      expect(summary.failed.map((f) => f.error.message), file).toEqual([])
      expect(undeclared, file).toEqual([])
      const changed = inputsChanged(p, before, readLock(ws.lockFile))
      const expected = p.nodes.filter((n) => who.includes(n.id) || changed.has(n.id)).map((n) => n.id)
      expect(sorted(summary.ran), file).toEqual(sorted(expected))
      for (const id of who) expect(summary.ran, `${file}: ${id}`).toContain(id)
      // the edits keep every file's meaning, so every reader wrote the same bytes: nothing downstream reran
      // (a retrain included: no wall time or other run-specific value in an artifact)
      expect([...changed].sort(), file).toEqual([])
    }
  })
})

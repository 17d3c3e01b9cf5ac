// node bin/pipeline-ts.mjs bench/faults.ts [--kills 10] [--concurrent 3] [--target distill,leaderboard]
// Fault injection against the real DAG on the smoke preset (issue 11 §4). A reference project runs
// the target cold; every fault then damages a copy of it (or interrupts a cold run) and runs again.
// A fault is survived with nothing lost when the run ends as it should, `verify` passes, every
// output hash equals the reference's, and no node that had finished was computed again. Prints one
// line per fault kind and a final JSON line. Not timed: a correctness harness in bench/ because it
// takes minutes.
import { spawn, spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { repoRoot, sharedDir } from "../tests/fixtures.js"

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1]! : fallback
}
const kills = Number(arg("kills", "10"))
const concurrent = Number(arg("concurrent", "3"))
const target = arg("target", "distill,leaderboard").split(",")
const runArgs = ["run", ...target, "--preset", "smoke", "--jobs", "2"]
const cli = join(repoRoot, "bin", "pipeline.mjs")
const base = join(repoRoot, "tests", ".tmp", `faults-${process.pid}`)
const env = { ...process.env, CI: "true", PIPELINE_DATA_DIR: process.env.PIPELINE_DATA_DIR ?? join(sharedDir, "data") }
let seed = 20261202
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!

/** A project folder whose pipeline.ts is the real one, so cache/, artifacts/ and the lock live here. */
function project(name: string, from?: string): string {
  const dir = join(base, name)
  rmSync(dir, { recursive: true, force: true })
  if (from) cpSync(from, dir, { recursive: true, verbatimSymlinks: true })
  else {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "pipeline.ts"), `export { default } from "../../../pipeline.js"\n`)
  }
  return dir
}
interface Result {
  code: number
  stdout: string
  stderr: string
}
function pipeline(dir: string, ...args: string[]): Result {
  const r = spawnSync(process.execPath, [cli, ...args, "--pipeline", join(dir, "pipeline.ts")], { cwd: dir, env, encoding: "utf8", timeout: 600_000 })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}
function start(dir: string, ...args: string[]) {
  const child = spawn(process.execPath, [cli, ...args, "--pipeline", join(dir, "pipeline.ts")], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] })
  let stderr = ""
  child.stderr.on("data", (b) => (stderr += String(b)))
  const done = new Promise<Result>((resolve) => child.once("exit", (code) => resolve({ code: code ?? -1, stdout: "", stderr })))
  return { child, done }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** nodes a run reports as executed ("✓ id 3s (n/N)") */
const ranIn = (stderr: string) => [...stderr.matchAll(/^✓ (\S+) /gm)].map((m) => m[1]!)

type Hashes = Record<string, Record<string, string>>
const lockOf = (dir: string) => JSON.parse(readFileSync(join(dir, "pipeline.lock"), "utf8")) as { nodes: Record<string, { key: string; inputs: Record<string, { node: string }[]>; outputs: Record<string, { hash: string; path: string }> }> }
const hashesOf = (dir: string): Hashes =>
  Object.fromEntries(Object.entries(lockOf(dir).nodes).map(([id, e]) => [id, Object.fromEntries(Object.entries(e.outputs).map(([k, o]) => [k, o.hash]))]))

/** What is wrong with a project after a fault's repair run (empty: nothing lost). */
function damage(dir: string, ref: Hashes): string[] {
  const problems: string[] = []
  let got: Hashes
  try {
    got = hashesOf(dir)
  } catch (e) {
    return [`pipeline.lock unreadable: ${(e as Error).message}`]
  }
  for (const [id, outs] of Object.entries(ref))
    for (const [k, h] of Object.entries(outs)) if (got[id]?.[k] !== h) problems.push(`${id} → ${k}: ${got[id]?.[k] ?? "missing"} ≠ ${h}`)
  const v = pipeline(dir, "verify")
  if (v.code !== 0) problems.push(`verify: ${v.stdout.trim().split("\n").slice(-1)[0]}`)
  return problems
}

const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile()) : [])
function flip(file: string, keepMtime: boolean) {
  const ref = `${file}.times`
  if (keepMtime) spawnSync("cp", ["-p", file, ref])
  const bytes = readFileSync(file)
  const at = Math.floor(rand() * bytes.length)
  bytes[at] = bytes[at]! ^ 0x01
  writeFileSync(file, bytes)
  if (keepMtime) {
    spawnSync("touch", ["-r", ref, file])
    rmSync(ref)
  }
}

interface Tally {
  tried: number
  survived: number
  notes: string[]
}
const tallies = new Map<string, Tally>()
function score(kind: string, problems: string[]) {
  const t = tallies.get(kind) ?? { tried: 0, survived: 0, notes: [] }
  tallies.set(kind, t)
  t.tried++
  if (problems.length === 0) t.survived++
  else t.notes.push(problems.slice(0, 3).join("; "))
  console.error(`${problems.length === 0 ? "ok  " : "LOST"} ${kind}${problems.length ? `: ${problems.slice(0, 3).join("; ")}` : ""}`)
}

// --- the reference: a cold run
const t0 = Date.now()
const refDir = project("ref")
const cold = pipeline(refDir, ...runArgs)
if (cold.code !== 0) throw new Error(`reference run failed: ${cold.stderr.slice(-800)}`)
const coldMs = Date.now() - t0
const ref = hashesOf(refDir)
const refLock = lockOf(refDir)
const nodes = Object.keys(ref)
console.error(`reference: ${nodes.length} nodes cold in ${(coldMs / 1000).toFixed(1)} s`)
const consumersOf = (id: string) => Object.entries(refLock.nodes).filter(([, e]) => Object.values(e.inputs).some((us) => us.some((u) => u.node === id))).map(([c]) => c)
const recordFile = (dir: string, key: string) => join(dir, "cache/records", key.slice(0, 2), `${key}.json`)
const blobFile = (dir: string, hash: string) => join(dir, "cache/blobs", hash.slice(0, 2), hash)
const ok = (r: Result, what: string) => (r.code === 0 && !/executor crashed/.test(r.stderr) ? [] : [`${what} exit ${r.code}: ${r.stderr.trim().split("\n").slice(-1)[0]}`])

// --- corruption of a finished project, each on a fresh copy
for (let i = 0; i < 3; i++) {
  const dir = project(`record-${i}`, refDir)
  const id = pick(nodes)
  const file = recordFile(dir, refLock.nodes[id]!.key)
  const name = pick(Object.keys(ref[id]!))
  writeFileSync(file, readFileSync(file, "utf8").replace(`"${name}"`, `"${name.slice(0, -1)}${String.fromCharCode(name.charCodeAt(name.length - 1) ^ 1)}"`))
  rmSync(join(dir, "pipeline.lock"))
  score("output name flipped in a cache record", [...ok(pipeline(dir, ...runArgs), "run"), ...damage(dir, ref)])
}
const producers = nodes.filter((id) => consumersOf(id).length > 0)
for (let i = 0; i < 3; i++) {
  const dir = project(`blob-${i}`, refDir)
  const id = pick(producers)
  flip(blobFile(dir, pick(Object.values(ref[id]!))), true)
  // its consumers must recompute (their records gone), so one of them reads the corrupt blob
  const lock = lockOf(dir)
  for (const c of consumersOf(id)) {
    rmSync(recordFile(dir, lock.nodes[c]!.key), { force: true })
    delete lock.nodes[c]
  }
  writeFileSync(join(dir, "pipeline.lock"), JSON.stringify(lock))
  score("corrupt input blob, mtime kept", [...ok(pipeline(dir, ...runArgs), "run"), ...damage(dir, ref)])
}
for (let i = 0; i < 3; i++) {
  const dir = project(`artifact-${i}`, refDir)
  flip(join(dir, "artifacts", pick(files(join(dir, "artifacts")))), false)
  score("byte flipped in an artifact", [...ok(pipeline(dir, ...runArgs), "run"), ...damage(dir, ref)])
}
for (let i = 0; i < 3; i++) {
  const dir = project(`lockpath-${i}`, refDir)
  const lock = lockOf(dir)
  const id = pick(nodes)
  const out = pick(Object.keys(lock.nodes[id]!.outputs))
  lock.nodes[id]!.outputs[out]!.path = lock.nodes[id]!.outputs[out]!.path.replace(/.$/, "~")
  writeFileSync(join(dir, "pipeline.lock"), JSON.stringify(lock))
  score("damaged path in pipeline.lock", [...ok(pipeline(dir, ...runArgs), "run"), ...damage(dir, ref)])
}
{
  // cache/ on another filesystem, cold
  const dir = project("exdev")
  const other = `/dev/shm/pipeline-faults-${process.pid}`
  mkdirSync(other, { recursive: true })
  symlinkSync(other, join(dir, "cache"))
  score("cache/ on another filesystem (symlink), cold run", [...ok(pipeline(dir, ...runArgs), "run"), ...damage(dir, ref)])
  rmSync(other, { recursive: true, force: true })
}
{
  // a full disk under artifacts/ of one stage: that node fails naming the disk, the rest finishes
  const dir = project("enospc", refDir)
  const stage = "train"
  const mnt = join(dir, "small-disk")
  mkdirSync(mnt)
  if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt]).status === 0) {
    rmSync(join(dir, "artifacts", stage), { recursive: true, force: true })
    symlinkSync(mnt, join(dir, "artifacts", stage))
    rmSync(join(dir, "pipeline.lock"))
    const r = pipeline(dir, ...runArgs)
    const problems = r.code === 1 && r.stderr.includes(`no space left on the disk mounted at ${mnt}`) && !/executor crashed/.test(r.stderr) ? [] : [`ENOSPC run: exit ${r.code}, ${r.stderr.trim().split("\n").slice(-2).join(" | ")}`]
    spawnSync("umount", [mnt])
    rmSync(join(dir, "artifacts", stage))
    score("ENOSPC materialising artifacts (then disk freed)", [...problems, ...ok(pipeline(dir, ...runArgs), "run after"), ...damage(dir, ref)])
  }
}

// --- interrupted and concurrent cold runs
{
  const dir = project("kills")
  const finished = new Set<string>()
  for (let i = 0; i < kills; i++) {
    const { child, done } = start(dir, ...runArgs)
    await sleep(300 + rand() * 0.6 * coldMs)
    child.kill("SIGKILL")
    const r = await done
    const again = ranIn(r.stderr).filter((id) => finished.has(id))
    score("kill -9 at a random moment, then run again", again.length ? [`computed again after finishing: ${again.join(", ")}`] : [])
    ranIn(r.stderr).forEach((id) => finished.add(id))
  }
  const last = pipeline(dir, ...runArgs)
  const again = ranIn(last.stderr).filter((id) => finished.has(id))
  score("completion after the kills", [...ok(last, "final run"), ...(again.length ? [`computed again: ${again.join(", ")}`] : []), ...damage(dir, ref)])
}
{
  const dir = project("concurrent")
  const rs = await Promise.all(Array.from({ length: concurrent }, () => start(dir, ...runArgs).done))
  const all = rs.flatMap((r) => ranIn(r.stderr))
  const twice = all.filter((id, i) => all.indexOf(id) !== i)
  score(`${concurrent} concurrent cold runs on one cache`, [...rs.flatMap((r, i) => ok(r, `run ${i}`)), ...(twice.length ? [`computed twice: ${twice.join(", ")}`] : []), ...damage(dir, ref)])
}
{
  const dir = project("gc")
  const { done } = start(dir, ...runArgs)
  await sleep(Math.min(3000, coldMs / 3))
  const gc = pipeline(dir, "gc", "--keep-days", "0")
  const r = await done
  score("gc --keep-days 0 during a run", [...(gc.code === 1 ? [] : [`gc exit ${gc.code}`]), ...ok(r, "run"), ...damage(dir, ref)])
}

rmSync(base, { recursive: true, force: true })
let tried = 0
let survived = 0
for (const [kind, t] of tallies) {
  tried += t.tried
  survived += t.survived
  console.error(`${String(t.survived).padStart(3)}/${t.tried} ${kind}`)
}
console.error(`faults tried ${tried}, survived with nothing lost ${survived} (smoke preset, target ${target.join(" ")}, cold run ${(coldMs / 1000).toFixed(1)} s)`)
console.log(JSON.stringify({ tried, survived, kinds: Object.fromEntries([...tallies].map(([k, t]) => [k, `${t.survived}/${t.tried}`])), cold_ms: coldMs }))
process.exit(survived === tried ? 0 : 1)

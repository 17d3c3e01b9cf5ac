// Engine behaviour through the real CLI, in child processes, on a toy DAG (issue #2's "must show").
// a → b[lambda=1,2] → c (gathers all b) → d;  b → e (leaf);  a → fails → after-fails
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { join, relative } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { toyFactory, type Toy } from "./toy.js"

const toy = toyFactory()

const sorted = (xs: string[]) => [...xs].sort()

/** Every file under cache/ with its size and mtime: "cache untouched" means this is unchanged. */
function snapshot(dir: string): string {
  const out: string[] = []
  const walk = (d: string) => {
    let entries: string[] = []
    try {
      entries = readdirSync(d)
    } catch {
      return
    }
    for (const f of entries) {
      const p = join(d, f)
      const s = statSync(p)
      if (s.isDirectory()) walk(p)
      else out.push(`${relative(dir, p)}:${s.size}:${s.mtimeMs}`)
    }
  }
  walk(join(dir, "cache"))
  walk(join(dir, "artifacts"))
  try {
    out.push(`lock:${readFileSync(join(dir, "pipeline.lock"), "utf8").length}`)
  } catch {
    /* none */
  }
  return out.sort().join("\n")
}

describe("incremental runs", () => {
  it("reruns exactly a changed mid-DAG stage and its descendants; a second run executes nothing", () => {
    const t = toy("incremental")
    expect(t.run("run", "d").code).toBe(0)
    expect(sorted(t.executions())).toEqual(sorted(["a", "b[lambda=1]", "b[lambda=2]", "c", "d"]))

    t.resetLog()
    const again = t.run("run", "d")
    expect(again.code).toBe(0)
    expect(t.executions()).toEqual([])
    expect(again.stderr).toMatch(/ran 0, cached 5/)

    t.resetLog()
    expect(t.run("run", "d", "--set", "b.offset=1").code).toBe(0)
    expect(sorted(t.executions())).toEqual(sorted(["b[lambda=1]", "b[lambda=2]", "c", "d"]))
  })

  it("status says which param, code file or input made a node stale", () => {
    const t = toy("status")
    t.run("run", "d")
    expect(t.run("status", "d").stdout).toMatch(/all 5 nodes up to date/)
    const st = t.run("status", "d", "--set", "c.scale=3").stdout
    expect(st).toMatch(/^c: param scale: 1 → 3$/m)
    expect(st).toMatch(/^d: input total ← c will rerun$/m)
    expect(st).not.toMatch(/^a:/m)
    t.edit("a.ts", (s) => s + "\n// a comment\n")
    expect(t.run("status", "d").stdout).toMatch(/^a: code changed: a\.ts$/m)
  })

  it("editing one stage's module invalidates that stage only (identical output cuts off downstream)", () => {
    const t = toy("edit")
    t.run("run", "d")
    t.resetLog()
    t.edit("b.ts", (s) => s.replace('version: "1"', 'version: "1" /* edited */'))
    expect(t.run("run", "d").code).toBe(0)
    expect(sorted(t.executions())).toEqual(sorted(["b[lambda=1]", "b[lambda=2]"]))
  })

  it("a changed data file reruns the stage that declares it; status names the file", () => {
    const t = toy("data")
    expect(t.run("run", "raw").code).toBe(0)
    t.resetLog()
    expect(t.run("run", "raw").code).toBe(0)
    expect(t.executions()).toEqual([])
    writeFileSync(join(t.dir, "data.txt"), "one two three four\n")
    expect(t.run("status", "raw").stdout).toMatch(/^raw: data file changed: data\.txt$/m)
    expect(t.run("run", "raw").code).toBe(0)
    expect(t.executions()).toEqual(["raw"])
    expect(readFileSync(join(t.dir, "artifacts/raw/words.json"), "utf8").trim()).toBe("4")
  })

  it("--sweep over 3 values of a leaf param reuses every upstream node", () => {
    const t = toy("sweep")
    expect(t.run("run", "e", "--sweep", "e.k=1,2,3").code).toBe(0)
    const ex = t.executions()
    expect(ex.filter((x) => x === "a")).toHaveLength(1)
    expect(ex.filter((x) => x.startsWith("e["))).toHaveLength(6) // 3 k × 2 λ
    expect(ex.filter((x) => x.startsWith("b["))).toHaveLength(2)
    t.resetLog()
    // pinning λ: 1 upstream chain, 3 leaves, all upstream from cache
    expect(t.run("run", "e", "--set", "lambda=1", "--sweep", "e.k=1,2,3,4").code).toBe(0)
    expect(t.executions()).toEqual(["e[k=4,lambda=1]"])
  })
})

describe("failures and crashes", () => {
  it("a failing node skips its dependents, keeps the rest cached, and the next run resumes", () => {
    const t = toy("fail")
    const r = t.run("run", "after-fails", "d")
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/fails failed: boom/)
    expect(t.executions()).not.toContain("after-fails")
    expect(t.executions()).toContain("d")
    t.resetLog()
    expect(t.run("run", "after-fails", "d", "--set", "fails.ok=true").code).toBe(0)
    expect(sorted(t.executions())).toEqual(["after-fails", "fails"])
  })

  it("kill -9 mid-stage, then run again: completes, artifacts identical to an uninterrupted run", async () => {
    const clean = toy("kill-ref")
    expect(clean.run("run", "d", "--set", "d.payloadKb=2048").code).toBe(0)
    const t = toy("kill")
    const child = t.spawn("run", "d", "--set", "d.delayMs=4000", "--set", "d.payloadKb=2048")
    for (let i = 0; i < 300 && t.started().length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(t.started()).toEqual(["d:start"])
    child.kill("SIGKILL")
    await new Promise((r) => child.once("exit", r))
    // the interrupted node left no record; its lock is stale (dead pid) and is taken over
    const resumed = t.run("run", "d", "--set", "d.delayMs=0", "--set", "d.payloadKb=2048")
    expect(resumed.code).toBe(0)
    const read = (x: Toy) => readFileSync(join(x.dir, "artifacts/d/report.bin"))
    expect(Buffer.compare(read(t), read(clean))).toBe(0)
    expect(t.run("verify").code).toBe(0)
  })

  it("a lease left by a run on another host: run says who holds it and takes over at expiry (issue 11 §6)", () => {
    const t = toy("lease")
    expect(t.run("run", "a").code).toBe(0)
    const key: string = JSON.parse(readFileSync(join(t.dir, "pipeline.lock"), "utf8")).nodes.a.key
    rmSync(join(t.dir, "cache"), { recursive: true, force: true })
    rmSync(join(t.dir, "pipeline.lock"))
    // a run on another machine died holding a's lease 3 s before it would have expired; a lock
    // naming another host used to block every other run forever
    const now = Date.now()
    const planted = (host: string, pid: number, expiresAt: number) => {
      mkdirSync(join(t.dir, "cache/locks"), { recursive: true })
      const holder = { host, pid, runId: `${host}-run` }
      writeFileSync(join(t.dir, "cache/locks", `${key}.lease`), JSON.stringify({ holder, token: "t", acquiredAt: now - 60_000, renewedAt: now - 57_000, expiresAt, ttlMs: 60_000 }))
    }
    planted("gpu-node-7", 4242, now + 3_000)
    t.resetLog()
    const r = t.run("run", "a")
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/a: waiting: key [0-9a-f]{16} is leased by host gpu-node-7 pid 4242 \(run gpu-node-7-run\) since \d\d:\d\d:\d\d UTC, expires \d\d:\d\d:\d\d UTC \(in [0-3] s\)/)
    expect(Date.now() - now).toBeGreaterThanOrEqual(3_000)
    expect(t.executions()).toEqual(["a"])
    // this host, a live pid that is not a pipeline run (pid reuse): its lease expired, so no wait
    rmSync(join(t.dir, "cache/records"), { recursive: true, force: true })
    rmSync(join(t.dir, "pipeline.lock"))
    planted(hostname(), process.pid, Date.now() - 1)
    t.resetLog()
    const again = t.run("run", "a")
    expect(again.code).toBe(0)
    expect(again.stderr).not.toMatch(/waiting/)
    expect(t.executions()).toEqual(["a"])
    expect(readdirSync(join(t.dir, "cache/locks"), { recursive: true }).filter((f) => String(f).endsWith(".lease"))).toEqual([]) // released
  })

  it("a flipped byte in a cached blob: verify exits 1 naming it, run recomputes instead of using it", () => {
    const t = toy("flip")
    t.run("run", "d")
    const lock = JSON.parse(readFileSync(join(t.dir, "pipeline.lock"), "utf8"))
    const hash: string = lock.nodes.c.outputs.total.hash
    const blob = join(t.dir, "cache/blobs", hash.slice(0, 2), hash)
    const bytes = readFileSync(blob)
    bytes[0] = bytes[0]! ^ 0x01
    writeFileSync(blob, bytes)
    const v = t.run("verify")
    expect(v.code).toBe(1)
    expect(v.stdout).toContain(`mismatch cache blob ${hash} of c → total`)
    t.resetLog()
    expect(t.run("run", "d").code).toBe(0)
    expect(t.executions()).toEqual(["c"])
    expect(t.run("verify").code).toBe(0)
  })

  it("two concurrent runs on one cache both succeed and execute each node once", async () => {
    const t = toy("concurrent")
    const go = () =>
      new Promise<number>((resolve) => {
        const c = t.spawn("run", "d", "--set", "d.delayMs=1500")
        c.once("exit", (code) => resolve(code ?? -1))
      })
    const codes = await Promise.all([go(), go()])
    expect(codes).toEqual([0, 0])
    expect(sorted(t.executions())).toEqual(sorted(["a", "b[lambda=1]", "b[lambda=2]", "c", "d"]))
    expect(t.run("verify").code).toBe(0)
  })
})

describe("bad input: one line, non-zero exit, cache untouched", () => {
  const t = toy("bad")
  const cases: [string, string[], RegExp][] = [
    ["unknown target", ["run", "nope"], /^pipeline: unknown target 'nope' — known stages: /],
    ["unknown --set key", ["run", "d", "--set", "b.nope=1"], /^pipeline: bad param b\.nope: unknown param \(b has: lambda, offset\)/],
    ["unknown stage in --set", ["run", "d", "--set", "spacing.lambda=8"], /^pipeline: bad param spacing\.lambda: no stage 'spacing'/],
    ["wrong type", ["run", "d", "--set", "b.lambda=abc"], /^pipeline: bad param b\.lambda: Expected number, received string \(got "abc"\)/],
    ["wrong type for a stage the target does not reach", ["run", "b", "--set", "d.delayMs=abc"], /^pipeline: bad param d\.delayMs: Expected number, received string \(got "abc"\)/],
    ["a number that is not finite", ["run", "d", "--set", "b.lambda=1e309"], /^pipeline: bad param b\.lambda: not a finite number \(got "1e309" = Infinity\)/],
    ["unknown preset", ["run", "d", "--preset", "huge"], /^pipeline: unknown preset 'huge'/],
    ["unknown option", ["run", "d", "--frobnicate"], /^pipeline: unknown option --frobnicate/],
  ]
  it.each(cases)("%s", (_name, args, message) => {
    if (t.executions().length === 0) expect(t.run("run", "d").code).toBe(0)
    const before = snapshot(t.dir)
    const r = t.run(...args)
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(message)
    expect(snapshot(t.dir)).toBe(before)
  })
})

describe("inspection", () => {
  it("dag, params, show and gc", () => {
    const t = toy("inspect")
    t.run("run", "d", "e")
    expect(t.run("dag").stdout).toContain("b -->|ys (all)| c")
    expect(t.run("params", "b").stdout).toBe('b[lambda=1] {"lambda":1,"offset":0}\nb[lambda=2] {"lambda":2,"offset":0}\n')
    const show = t.run("show", "artifacts/c/table.csv").stdout
    expect(show).toMatch(/^c {2}stage c v1/)
    expect(show).toContain("b[lambda=2]")
    expect(show).toMatch(/\n {8}a {2}stage a/)
    t.run("run", "d", "--set", "a.n=5")
    const gc = t.run("gc", "--keep-days", "0")
    expect(gc.code).toBe(0)
    expect(gc.stdout).toMatch(/gc: removed [1-9]\d* records/)
    expect(t.run("verify").code).toBe(0)
  })
})

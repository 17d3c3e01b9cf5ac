// `verify --expected FILE`: the committed-hashes check CI runs after the smoke DAG (issue 11 §2), on the toy DAG
// through the real CLI. A hash that moved fails the check and names the artifact; --update rewrites the file.
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { makeToy, type Toy } from "./toy.js"

const toys: Toy[] = []
afterAll(() => toys.forEach((t) => t.remove()))

describe("verify --expected (committed artifact hashes)", () => {
  it("passes on what it was written from; fails naming each artifact whose hash moved, appeared or vanished", () => {
    const t = makeToy("expected")
    toys.push(t)
    const file = join(t.dir, "toy.lock.json")
    expect(t.run("run", "d").code).toBe(0)
    const made = t.run("verify", "--expected", file, "--update")
    expect(made.code).toBe(0)
    expect(made.stdout).toMatch(/wrote toy\.lock\.json: 6 artifacts/)
    const ok = t.run("verify", "--expected", file)
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/toy\.lock\.json: all 6 compared artifacts match/)

    // the committed hash of one artifact differs from what the run produced
    const exp = JSON.parse(readFileSync(file, "utf8"))
    exp.artifacts["b[lambda=2]"].ys = "0123456789abcdef"
    writeFileSync(file, JSON.stringify(exp))
    const moved = t.run("verify", "--expected", file)
    expect(moved.code).toBe(1)
    expect(moved.stdout).toMatch(/^artifact b\[lambda=2\] → ys moved: produced [0-9a-f]{16}, toy\.lock\.json has 0123456789abcdef$/m)
    expect(moved.stdout).toMatch(/toy\.lock\.json: 1 artifact differs \(of 6 compared\)/)
    expect(moved.stdout).not.toMatch(/b\[lambda=1\]/)

    // an artifact the file does not pin, and one it pins that was not produced
    delete exp.artifacts["c"]
    exp.artifacts["gone[x=1]"] = { out: "ffffffffffffffff" }
    writeFileSync(file, JSON.stringify(exp))
    const both = t.run("verify", "--expected", file)
    expect(both.code).toBe(1)
    expect(both.stdout).toMatch(/artifact c → table is not in toy\.lock\.json/)
    expect(both.stdout).toMatch(/artifact gone\[x=1\] → out is in toy\.lock\.json but was not produced/)

    // --update restores it; a real change of result (b.offset) then fails naming exactly what moved
    expect(t.run("verify", "--expected", file, "--update").code).toBe(0)
    expect(t.run("run", "d", "--set", "b.offset=1").code).toBe(0)
    const changed = t.run("verify", "--expected", file)
    expect(changed.code).toBe(1)
    const named = changed.stdout.split("\n").filter((l) => l.startsWith("artifact ")).map((l) => l.split(" moved")[0])
    // d's report depends only on c's total (a different number now) — every artifact downstream of b moved
    expect(named.sort()).toEqual(["artifact b[lambda=1] → ys", "artifact b[lambda=2] → ys", "artifact c → table", "artifact c → total", "artifact d → report"])
  })

  it("skips the outputs the file declares not reproducible, saying why", () => {
    const t = makeToy("expected-skip")
    toys.push(t)
    const file = join(t.dir, "toy.lock.json")
    expect(t.run("run", "d").code).toBe(0)
    writeFileSync(file, JSON.stringify({ version: 1, run: "toy", regenerate: "toy --update", unreproducible: { c: { table: "timing inside" } }, artifacts: {} }))
    expect(t.run("verify", "--expected", file, "--update").code).toBe(0)
    const exp = JSON.parse(readFileSync(file, "utf8"))
    expect(exp.unreproducible).toEqual({ c: { table: "timing inside" } })
    expect(exp.artifacts.c).toEqual({ total: expect.any(String) })
    const r = t.run("verify", "--expected", file)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/skipped 1 artifact: timing inside/)
    expect(r.stdout).toMatch(/all 5 compared artifacts match/)
  })

  it("refuses to compare an empty pipeline.lock or a file that is not an expected-hashes file", () => {
    const t = makeToy("expected-empty")
    toys.push(t)
    const file = join(t.dir, "toy.lock.json")
    writeFileSync(file, JSON.stringify({ version: 1, run: "toy", regenerate: "toy", artifacts: {} }))
    const empty = t.run("verify", "--expected", file)
    expect(empty.code).toBe(1)
    expect(empty.stderr).toMatch(/pipeline\.lock records no nodes/)
    expect(t.run("run", "d").code).toBe(0)
    writeFileSync(file, JSON.stringify({ version: 1, artifacts: {} }))
    const bad = t.run("verify", "--expected", file)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/is not an expected-hashes file: run: Required/)
  })
})

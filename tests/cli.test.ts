// The CLI's front door on the toy project: help and version as users expect (exit 0), a named
// pipeline file that is not there, and missing data refused before anything runs.
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { toyFactory } from "./toy.js"

const toy = toyFactory()

describe("help and version", () => {
  const t = toy("help")
  it.each([["--help"], ["-h"], ["help"]])("`pipeline %s` lists the commands and exits 0", (flag) => {
    const r = t.run(flag)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: pipeline <command>/m)
    expect(r.stdout).toMatch(/^ {2}run \[target…\] +run targets/m)
    expect(r.stdout).toMatch(/^ {2}status \[target…\]/m)
    expect(r.stderr).toBe("")
  })
  it.each([[["help", "run"]], [["run", "--help"]], [["run", "-h", "d"]]])("`pipeline %s` explains run, its options included", (args) => {
    const r = t.run(...args)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^usage: pipeline run \[target…\]/)
    expect(r.stdout).toMatch(/--offline/)
    expect(t.executions()).toEqual([]) // asking for help runs nothing
  })
  it("`pipeline help nope` is an error naming the command", () => {
    const r = t.run("help", "nope")
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^pipeline: no command 'nope'/)
  })
  it.each([["--version"], ["-V"], ["-v"], ["version"]])("`pipeline %s` prints the version and exits 0", (flag) => {
    const r = t.run(flag)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^pipeline \d+\.\d+\.\d+\n$/)
  })
})

describe("bad input before anything runs", () => {
  it("--pipeline naming a file that does not exist is an error (not silently the default pipeline)", () => {
    const t = toy("nopipeline")
    const r = t.run("run", "d", "--pipeline", "/nonexistent.ts")
    expect(r.code).toBe(2)
    expect(r.stderr).toBe("pipeline: pipeline file /nonexistent.ts not found (--pipeline)\n")
    expect(existsSync(join(t.dir, "cache"))).toBe(false)
  })

  it("missing data on an empty cache: every missing file named at once, exit 2, nothing written, no node run", () => {
    const t = toy("nodata")
    rmSync(join(t.dir, "data.txt"))
    const r = t.run("run", "raw", "d", "--sweep", "raw.file=x.txt,data.txt,y.txt")
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/^pipeline: missing data files data\.txt, x\.txt, y\.txt — not in .* \(no way to fetch them\); put them there, then run again$/m)
    expect(t.executions()).toEqual([]) // not even the nodes that need no data
    for (const f of ["cache", "artifacts", "pipeline.lock"]) expect(existsSync(join(t.dir, f)), f).toBe(false)
    // status says so per node instead of failing
    const st = t.run("status", "raw", "--sweep", "raw.file=x.txt,data.txt")
    expect(st.code).toBe(0)
    expect(st.stdout).toMatch(/^raw\[file=x\.txt\]: data file missing: x\.txt$/m)
  })
})

describe("data content, not file times", () => {
  it("a data file replaced by one of the same size and mtime still reruns its node", () => {
    const t = toy("sametime")
    const file = join(t.dir, "data.txt")
    const when = 1_700_000_000 // whole seconds: set back exactly
    utimesSync(file, when, when)
    expect(t.run("run", "raw").code).toBe(0)
    const before = statSync(file)
    writeFileSync(file, "a b c d e f g\n") // as long as "one two three\n"
    utimesSync(file, when, when)
    expect(statSync(file).size).toBe(before.size)
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs)
    t.resetLog()
    expect(t.run("run", "raw").code).toBe(0)
    expect(t.executions()).toEqual(["raw"])
    expect(readFileSync(join(t.dir, "artifacts/raw/words.json"), "utf8").trim()).toBe("7")
    // lineage names the data file by its path in the data dir, with its content hash
    expect(t.run("show", "artifacts/raw/words.json").stdout).toMatch(/^ {2}← data file data\.txt \([0-9a-f]{16}\)$/m)
  })
})

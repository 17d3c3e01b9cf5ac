import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fixture, sharedData, useSharedData } from "../tests/fixtures.js"
import { parseFormula } from "../chem/formula.js"
import { matbenchTasks, openStructures as loadStructures, openTask as loadTask } from "./matbench.js"

useSharedData()

const meta = JSON.parse(readFileSync(join(sharedData, "matbench/matbench_v0.1_dataset_metadata.json"), "utf8")) as Record<string, { n_samples: number; task_type: string }>

describe("MatBench tasks with official folds", () => {
  it.each(matbenchTasks.map((t) => [t]))("%s: sizes, disjoint folds covering every row", (task) => {
    const t = loadTask(task)
    const n = meta[task]!.n_samples
    expect(t.ids.length).toBe(n)
    expect(t.compositions.length).toBe(n)
    expect(t.targets.length).toBe(n)
    expect(t.taskType).toBe(meta[task]!.task_type)
    expect(t.folds.length).toBe(5)
    const seen = new Uint8Array(n)
    for (const f of t.folds) {
      // KFold(5) sizes: ⌊n/5⌋ or ⌈n/5⌉
      expect(f.test.length).toBeGreaterThanOrEqual(Math.floor(n / 5))
      expect(f.test.length).toBeLessThanOrEqual(Math.ceil(n / 5))
      for (const i of f.test) seen[i]!++
      const inFold = new Uint8Array(n)
      for (const part of [f.train, f.validation, f.test]) for (const i of part) inFold[i]!++
      expect(inFold.every((c) => c === 1)).toBe(true) // train, validation, test partition the rows
      expect(f.validation.length).toBe(Math.round(0.1 * (n - f.test.length)))
    }
    expect(seen.every((c) => c === 1)).toBe(true) // every row is in exactly one test fold
    for (const c of t.compositions) parseFormula(c) // every MatBench formula is readable (throws otherwise)
  })

  it("every test fold matches the mirror's CSV (joined from the official submission); validation is seeded", () => {
    // the four composition tasks CrabNet runs on (thesis §4.2.4) too: the official folds, not CrabNet's own
    for (const task of ["matbench_steels", "matbench_phonons", "matbench_expt_gap", "matbench_expt_is_metal", "matbench_glass"] as const) {
      const csv = readFileSync(join(sharedData, `matbench/official_folds/${task}.csv`), "utf8").trim().split("\n").slice(1)
      const folds = loadTask(task).folds
      for (let f = 0; f < 5; f++) expect(folds[f]!.test, `${task} fold ${f}`).toEqual(csv.flatMap((line, i) => (line.endsWith(`,${f}`) ? [i] : [])))
    }
    // classification folds are stratified (StratifiedKFold): each fold holds a fifth of the positives, ±1
    for (const task of ["matbench_expt_is_metal", "matbench_glass"] as const) {
      const c = loadTask(task)
      const pos = c.targets.reduce((a, b) => a + b, 0)
      for (const f of c.folds) expect(Math.abs(f.test.reduce((a, i) => a + c.targets[i]!, 0) - pos / 5)).toBeLessThanOrEqual(1)
    }
    const t = loadTask("matbench_phonons")
    expect(t.ids[0]).toBe("mb-phonons-0001")
    expect(t.compositions[0]).toBe("Ba1 Te1")
    expect(loadTask("matbench_phonons").folds[2]!.validation).toEqual(t.folds[2]!.validation)
    expect(loadTask("matbench_phonons", { seed: 7 }).folds[2]!.validation).not.toEqual(t.folds[2]!.validation)
  })

  it("phonons structures parse and align with the rows", () => {
    const t = loadTask("matbench_phonons")
    const s = loadStructures("matbench_phonons", t.targets)
    expect(s.length).toBe(1265)
    const stats = fixture<{ total_sites: number }>("phonons_graph_stats.json")
    const atoms = s.reduce((a, x) => a + x.z.length, 0)
    expect(atoms).toBe(stats.total_sites)
    expect([...s[0]!.z]).toEqual([52, 56]) // Te, Ba
  })

  it("a structure task without its structure file names the fetch to run", () => {
    expect(() => loadStructures("matbench_jdft2d")).toThrow(/npx pipeline fetch matbench_jdft2d/)
  })
})

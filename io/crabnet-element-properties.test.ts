// The distilled tables must be drop-in for the original CrabNet, whose Embedder reads
// element_properties/<name>.csv by row position (row Z = atomic number Z). Checked two ways: a
// TypeScript restatement of Embedder's reading (always runs, CI included) and, where Debian's
// python3-torch and python3-pandas are installed, the original kingcrab.py Embedder itself.
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { SYMBOLS, zOf } from "../chem/elements.js"
import { sharedDir, sharedData, useSharedData } from "../tests/fixtures.js"
import { elementPropertiesCsv, embedderTable } from "./crabnet-element-properties.js"
import { openElementTable } from "./element-tables.js"

useSharedData()

// A distilled-like table: scattered elements, given out of Z order (as a model's element list may be)
const symbols = ["W", "Li", "Mn", "Fe", "H", "Ni", "Og", "Zn"]
const d = 3
const X = Float64Array.from(symbols.flatMap((s, i) => [zOf(s) + 0.25, -i - 0.5, 1 / zOf(s)]))
const rowOf = (s: string) => Array.from(X.subarray(symbols.indexOf(s) * d, (symbols.indexOf(s) + 1) * d))
const { csv, zeroRows } = elementPropertiesCsv(symbols, X, d)

const python = "/usr/bin/python3"
const hasTorch = (() => {
  try {
    execFileSync(python, ["-c", "import torch, pandas"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
})()

describe("CrabNet element_properties export", () => {
  it("writes 118 rows in Z order; elements without a vector are zero rows, listed", () => {
    const lines = csv.trim().split("\n")
    expect(lines[0]).toBe("element,0,1,2")
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(SYMBOLS)
    expect(zeroRows).toEqual(SYMBOLS.filter((s) => !symbols.includes(s)))
    expect(zeroRows).toHaveLength(110)
  })

  it("Embedder's reading (restated) gives each Z its own element's row, zeros elsewhere", () => {
    const t = embedderTable(csv)
    expect(t.rows).toBe(119) // zero row 0 + Z = 1…118
    expect(Array.from(t.data.subarray(0, d))).toEqual([0, 0, 0])
    for (let z = 1; z <= 118; z++) {
      const s = SYMBOLS[z - 1]!
      const row = Array.from(t.data.subarray(z * d, (z + 1) * d))
      expect(row).toEqual(symbols.includes(s) ? rowOf(s) : [0, 0, 0])
    }
  })

  it("the restatement reads CrabNet's own mat2vec.csv as the table loader does (row Z = element Z)", () => {
    const m2v = openElementTable("mat2vec")
    const t = embedderTable(readFileSync(join(sharedData, "crabnet/element_properties/mat2vec.csv"), "utf8"))
    expect(t.rows).toBe(119)
    m2v.symbols.forEach((s, i) => expect(t.data.subarray(zOf(s) * t.dim, (zOf(s) + 1) * t.dim)).toEqual(m2v.vectors.subarray(i * m2v.dim, (i + 1) * m2v.dim)))
  })

  // The original code: kingcrab.py's Embedder reads 'data/element_properties/mat2vec.csv' relative to
  // the working directory, so the export goes there in a scratch directory.
  it.skipIf(!hasTorch)("the original CrabNet Embedder (kingcrab.py) loads the export: row Z = element Z", () => {
    const dir = mkdtempSync(join(tmpdir(), "crabnet-embedder-"))
    try {
      mkdirSync(join(dir, "data/element_properties"), { recursive: true })
      writeFileSync(join(dir, "data/element_properties/mat2vec.csv"), csv)
      const script = [
        "import sys, os, json",
        `sys.path.insert(0, ${JSON.stringify(join(sharedDir, "bench/crabnet-step/crabnet"))})`,
        `os.chdir(${JSON.stringify(dir)})`,
        "from kingcrab import Embedder",
        "import torch",
        "e = Embedder(d_model=4)",
        "src = torch.arange(119).unsqueeze(0)", // every atomic number through the module's own lookup
        "print(json.dumps(e.cbfv(src)[0].tolist()))",
      ].join("\n")
      const rows = JSON.parse(execFileSync(python, ["-c", script], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1" } })) as number[][]
      expect(rows).toHaveLength(119)
      for (let z = 1; z <= 118; z++) {
        const s = SYMBOLS[z - 1]!
        const want = symbols.includes(s) ? rowOf(s) : [0, 0, 0]
        // float32 in torch (data_type_torch): relative 2⁻²⁴
        rows[z]!.forEach((v, k) => expect(Math.abs(v - want[k]!)).toBeLessThanOrEqual(Math.abs(want[k]!) * 2 ** -23))
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

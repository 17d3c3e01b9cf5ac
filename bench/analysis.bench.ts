// Timings of the analysis numerics (thesis §3.2.3–3.2.4, §4.2.3) at the thesis's sizes on real tables:
// per-table metrics (K-means ×10 inits, k = 2…10 best silhouette), the consensus GA (population 500,
// 2,000 generations) on ~100 elements, and SMACOF distillation (n_init 8, max_iter 2,000) to 32 and 64
// dims. Run: node bin/pipeline-ts.mjs bench/analysis.bench.ts  (prints a final JSON line)
import { SYMBOLS } from "../chem/elements.js"
import { openChemicalClasses } from "../io/element-facts.js"
import { openElementTable } from "../io/element-tables.js"
import { sharedData } from "../tests/fixtures.js"
import { consensusGa, pairWeights } from "../numerics/cluster/consensus-ga.js"
import { analyseTable } from "../numerics/embedding/metrics.js"
import { distil } from "../numerics/embedding/distill.js"

process.env.PIPELINE_DATA_DIR ??= sharedData
const tables = ["megnet16", "mat2vec", "skipatom", "cgcnn", "random_200"].map(openElementTable)
const classes = openChemicalClasses()
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
const time = (f: () => void, reps: number) => median(Array.from({ length: reps }, () => { const t0 = performance.now(); f(); return performance.now() - t0 }))

const out: Record<string, number> = {}
const refs: Int32Array[] = []
for (const t of tables) {
  const n = t.symbols.length
  let labels: number[] = []
  out[`metrics_${t.name}_ms`] = time(() => {
    labels = analyseTable(t.vectors, n, t.dim, t.symbols.map((s) => classes.get(s)), { nInit: 10, seed: 0, ks: [2, 3, 4, 5, 6, 7, 8, 9, 10] }).bestK.labels
  }, 3)
  const ref = new Int32Array(SYMBOLS.length).fill(-1)
  t.symbols.forEach((s, i) => (ref[SYMBOLS.indexOf(s)] = labels[i]!))
  refs.push(ref)
}
// the consensus runs over the elements some table has (≈ 100–118)
const present = SYMBOLS.map((_, z) => refs.some((r) => r[z]! >= 0))
const idx = present.flatMap((p, z) => (p ? [z] : []))
const pw = pairWeights(refs.map((r) => Int32Array.from(idx, (z) => r[z]!)), idx.length)
let fitness = 0
out.consensus_ga_500x2000_ms = time(() => (fitness = consensusGa(pw, { seed: 42 }).fitness), 1)
out.consensus_elements = idx.length
out.consensus_fitness = fitness
const sources = tables.map((t) => ({ symbols: t.symbols, dim: t.dim, vectors: t.vectors }))
for (const k of [32, 64]) out[`distil_${k}d_ninit8_ms`] = time(() => distil(sources, SYMBOLS, { nComponents: k }), 1)
for (const [k, v] of Object.entries(out)) console.log(k.padEnd(32), typeof v === "number" ? v.toFixed(k.endsWith("ms") ? 0 : 4) : v)
console.log(JSON.stringify({ bench: "analysis", ...out }))

import { describe, expect, it } from "vitest"
import { adjustedRandIndex } from "./ari.js"
import { canonicalLabels, consensusFitness, consensusGa, pairWeights, polishLabels } from "./consensus-ga.js"
import { mulberry32, randInt } from "../random.js"

/** Eq. 3.10 literally: for each reference, agreement over the pairs of its element set. */
function bruteForceFitness(refs: number[][], cand: ArrayLike<number>): number {
  let total = 0
  for (const ref of refs) {
    const E = ref.map((l, i) => (l >= 0 ? i : -1)).filter((i) => i >= 0)
    let agree = 0, pairs = 0
    for (let x = 0; x < E.length; x++)
      for (let y = x + 1; y < E.length; y++) {
        const a = E[x]!, b = E[y]!
        pairs++
        if ((ref[a] === ref[b]) === (cand[a] === cand[b])) agree++
      }
    total += pairs > 0 ? agree / pairs : 0
  }
  return total / refs.length
}

/** n elements in g planted groups; each reference flips a few labels and drops a few elements. */
function planted(n: number, g: number, R: number, seed: number) {
  const r = mulberry32(seed)
  const truth = Array.from({ length: n }, (_, i) => i % g)
  const refs = Array.from({ length: R }, () => {
    const ref = truth.map((t) => (t * 7 + 3) % (g + 2)) // relabelled: only co-membership matters
    for (let k = 0; k < 2; k++) ref[randInt(r, n)] = randInt(r, g + 2)
    ref[randInt(r, n)] = -1
    return ref
  })
  return { truth, refs }
}

describe("pairwise-agreement fitness (eq. 3.10)", () => {
  it("the precomputed form equals the literal definition, elements missing from references included", () => {
    const { refs } = planted(15, 3, 6, 1)
    const pw = pairWeights(refs, 15)
    const r = mulberry32(9)
    for (let t = 0; t < 20; t++) {
      const cand = Array.from({ length: 15 }, () => randInt(r, 1 + (t % 15)))
      expect(consensusFitness(pw, cand)).toBeCloseTo(bruteForceFitness(refs, cand), 12)
    }
  })
  it("a reference scores itself 1", () => {
    const ref = [0, 0, 1, 1, 2, 2, 2]
    expect(consensusFitness(pairWeights([ref], 7), ref)).toBeCloseTo(1, 14)
  })
})

describe("consensus GA", () => {
  it("finds the planted consensus (24 elements, 4 groups, 9 noisy references)", () => {
    const { truth, refs } = planted(24, 4, 9, 3)
    const pw = pairWeights(refs, 24)
    // small sizes for the test: the thesis's 500 × 2,000 are defaults, not code paths
    const res = consensusGa(pw, { populationSize: 200, generations: 300, seed: 42, polish: false }) // the GA alone
    expect(adjustedRandIndex(res.labels, truth)).toBe(1)
    expect(res.groups).toBe(4)
    expect(res.fitness).toBeCloseTo(consensusFitness(pw, truth), 12)
    // best-so-far is monotone
    for (let g = 1; g < res.history.length; g++) expect(res.history[g]!).toBeGreaterThanOrEqual(res.history[g - 1]!)
  })
  it("is deterministic for a seed", () => {
    const { refs } = planted(12, 3, 4, 5)
    const pw = pairWeights(refs, 12)
    const a = consensusGa(pw, { populationSize: 30, generations: 20, seed: 1 })
    const b = consensusGa(pw, { populationSize: 30, generations: 20, seed: 1 })
    expect([...a.labels]).toEqual([...b.labels])
    expect(a.fitness).toBe(b.fitness)
  })
  it("canonical labels number groups by first appearance", () => {
    expect([...canonicalLabels([5, 5, 2, 9, 2])]).toEqual([0, 0, 1, 2, 1])
  })
})

describe("polish (single-element moves after the GA)", () => {
  it("reaches a labelling no single move improves, never lowering the fitness", () => {
    const { refs } = planted(30, 5, 8, 11)
    const pw = pairWeights(refs, 30)
    const start = Array.from({ length: 30 }, (_, i) => i % 3) // a poor start
    const out = polishLabels(pw, start)
    const f = consensusFitness(pw, out)
    expect(f).toBeGreaterThan(consensusFitness(pw, start))
    for (let i = 0; i < 30; i++)
      for (let g = 0; g <= 30; g++) {
        const moved = Array.from(out)
        moved[i] = g
        expect(consensusFitness(pw, moved)).toBeLessThanOrEqual(f + 1e-12)
      }
  })
  it("the GA result with polish is at least the GA's own best", () => {
    const { refs } = planted(20, 4, 6, 13)
    const res = consensusGa(pairWeights(refs, 20), { populationSize: 20, generations: 5, seed: 3 })
    expect(res.fitness).toBeGreaterThanOrEqual(res.gaFitness - 1e-12)
    expect(consensusGa(pairWeights(refs, 20), { populationSize: 20, generations: 5, seed: 3, polish: false }).fitness).toBe(res.gaFitness)
  })
})

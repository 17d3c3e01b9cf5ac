// Consensus clustering by a genetic algorithm (thesis §3.2.4, eqs. 3.9–3.10). A candidate labelling
// C* of the n elements scores, against each reference clustering C_r (over its own element set E_r),
//   Score_r = (|P_r ∩ P*| + |P̄_r ∩ P̄*|) / C(|E_r|, 2)
// (pairs together in both + pairs apart in both, over the pairs of E_r); fitness = mean_r Score_r.
// The GA follows DEAP's eaSimple, which the thesis's settings name: tournament selection (size 3),
// two-point crossover with probability 0.5 on consecutive pairs, uniform-integer mutation with
// probability 0.2 (each gene redrawn with probability 0.1), generational replacement, and a hall of
// fame of one. The number of groups is free: genes take any label in 0…maxGroups−1 (default n).
//
// Speed: the fitness is linear in the candidate's co-assignment indicator, so it is precomputed as
//   fitness(C*) = (base + Σ_{a<b, C*(a)=C*(b)} W_ab) / R,  W_ab = Σ_r w_r(±1), base = Σ_r Σ_{apart in r} w_r
// with w_r = 1/C(|E_r|,2) on pairs inside E_r. One evaluation is O(n + Σ_g |g|²) (bucket the genes by
// label, sum W inside each bucket) instead of O(R·n²).
import { denseLabels } from "./ari.js"
import { mulberry32, randInt } from "../random.js"

export interface ConsensusOptions {
  populationSize?: number
  generations?: number
  crossoverRate?: number
  mutationRate?: number
  /** per-gene redraw probability inside a mutation */
  geneMutationRate?: number
  tournamentSize?: number
  /** label alphabet; the number of groups found is at most this (default n: any partition) */
  maxGroups?: number
  seed?: number
  /**
   * After the GA, move single elements between groups (or into a new group) while that raises the
   * fitness, until no move does. Not in the thesis: 500 × 2,000 generations of a label-encoded GA stop
   * short of the optimum on ~100 elements (bench: 0.778 vs 0.794 on a planted 17-group problem), and
   * the polish can only raise the fitness. `false` gives the thesis's GA alone.
   */
  polish?: boolean
  /** called every generation with the best fitness so far */
  onGeneration?: (generation: number, bestFitness: number) => void
}

export interface PairWeights {
  n: number
  /** upper triangle used: W[a*n+b], a < b */
  W: Float64Array
  base: number
  references: number
}

/**
 * Precompute the pair weights of eq. 3.10. `references[r][i]` is element i's label in reference r,
 * or −1 when reference r does not contain element i.
 */
export function pairWeights(references: readonly ArrayLike<number>[], n: number): PairWeights {
  const W = new Float64Array(n * n)
  let base = 0
  for (const ref of references) {
    if (ref.length !== n) throw new Error(`reference labelling has ${ref.length} entries, expected ${n}`)
    let m = 0
    for (let i = 0; i < n; i++) if (ref[i]! >= 0) m++
    if (m < 2) continue // no pairs: Score_r undefined; it contributes nothing (but still counts in R)
    const w = 1 / ((m * (m - 1)) / 2)
    for (let a = 0; a < n; a++) {
      const la = ref[a]!
      if (la < 0) continue
      for (let b = a + 1; b < n; b++) {
        const lb = ref[b]!
        if (lb < 0) continue
        if (la === lb) W[a * n + b]! += w
        else {
          W[a * n + b]! -= w
          base += w
        }
      }
    }
  }
  return { n, W, base, references: references.length }
}

/** Mean pairwise agreement (eq. 3.10 averaged over references) of one labelling; scratch buffers optional. */
export function consensusFitness(pw: PairWeights, labels: ArrayLike<number>, scratch?: Scratch): number {
  const { n, W } = pw
  const s = scratch ?? makeScratch(n, Math.max(n, ...Array.from(labels)) + 1)
  const { count, start, order } = s
  count.fill(0)
  for (let i = 0; i < n; i++) count[labels[i]!]! += 1
  let acc = 0
  for (let g = 0; g < count.length; g++) {
    start[g] = acc
    acc += count[g]!
  }
  // stable bucket fill keeps indices ascending inside each bucket, so a < b below
  for (let i = 0; i < n; i++) order[start[labels[i]!]!++] = i
  let sum = pw.base
  let from = 0
  for (let g = 0; g < count.length; g++) {
    const to = from + count[g]!
    for (let x = from; x < to; x++) {
      const row = order[x]! * n
      for (let y = x + 1; y < to; y++) sum += W[row + order[y]!]!
    }
    from = to
  }
  return pw.references > 0 ? sum / pw.references : 0
}

interface Scratch {
  count: Int32Array
  start: Int32Array
  order: Int32Array
}
const makeScratch = (n: number, k: number): Scratch => ({ count: new Int32Array(k), start: new Int32Array(k), order: new Int32Array(n) })

export interface ConsensusResult {
  /** canonical labels: groups numbered 0, 1, … in order of their first element */
  labels: Int32Array
  fitness: number
  /** fitness of the GA's best individual before the polish */
  gaFitness: number
  groups: number
  /** best fitness after each generation (index 0 = initial population) */
  history: Float64Array
}

export function consensusGa(pw: PairWeights, opts: ConsensusOptions = {}): ConsensusResult {
  const {
    populationSize: N = 500,
    generations = 2000,
    crossoverRate = 0.5,
    mutationRate = 0.2,
    geneMutationRate = 0.1,
    tournamentSize = 3,
    seed = 42,
  } = opts
  const n = pw.n
  const K = opts.maxGroups ?? n
  if (n < 1) throw new Error("consensus of zero elements")
  if (N < 2) throw new Error(`population must hold at least 2 individuals (got ${N})`)
  const rand = mulberry32(seed)
  const scratch = makeScratch(n, K)
  let pop = new Int32Array(N * n)
  let next = new Int32Array(N * n)
  let fit = new Float64Array(N)
  let nextFit = new Float64Array(N)
  const valid = new Uint8Array(N)
  for (let i = 0; i < pop.length; i++) pop[i] = randInt(rand, K)
  for (let p = 0; p < N; p++) fit[p] = consensusFitness(pw, pop.subarray(p * n, (p + 1) * n), scratch)

  const best = new Int32Array(n)
  let bestFit = -Infinity
  const record = () => {
    for (let p = 0; p < N; p++)
      if (fit[p]! > bestFit) {
        bestFit = fit[p]!
        best.set(pop.subarray(p * n, (p + 1) * n))
      }
  }
  record()
  const history = new Float64Array(generations + 1)
  history[0] = bestFit

  for (let gen = 1; gen <= generations; gen++) {
    // selection: tournaments (with replacement, as DEAP's selRandom) → clones
    for (let o = 0; o < N; o++) {
      let winner = randInt(rand, N)
      for (let t = 1; t < tournamentSize; t++) {
        const c = randInt(rand, N)
        if (fit[c]! > fit[winner]!) winner = c
      }
      next.set(pop.subarray(winner * n, (winner + 1) * n), o * n)
      nextFit[o] = fit[winner]!
      valid[o] = 1
    }
    // two-point crossover of consecutive pairs
    for (let o = 1; o < N; o += 2) {
      if (rand() >= crossoverRate || n < 2) continue
      let c1 = 1 + randInt(rand, n - 1)
      let c2 = 1 + randInt(rand, n - 1)
      if (c2 === c1) c2 = c1 === n - 1 ? c1 : c1 + 1 // DEAP: cxpoint2 ≥ cxpoint1 + 1
      if (c2 < c1) [c1, c2] = [c2, c1]
      const a = (o - 1) * n, b = o * n
      for (let g = c1; g < c2; g++) {
        const t = next[a + g]!
        next[a + g] = next[b + g]!
        next[b + g] = t
      }
      valid[o - 1] = valid[o] = 0
    }
    // uniform-integer mutation
    for (let o = 0; o < N; o++) {
      if (rand() >= mutationRate) continue
      const row = o * n
      for (let g = 0; g < n; g++) if (rand() < geneMutationRate) next[row + g] = randInt(rand, K)
      valid[o] = 0
    }
    for (let o = 0; o < N; o++) if (!valid[o]) nextFit[o] = consensusFitness(pw, next.subarray(o * n, (o + 1) * n), scratch)
    ;[pop, next] = [next, pop]
    ;[fit, nextFit] = [nextFit, fit]
    record()
    history[gen] = bestFit
    opts.onGeneration?.(gen, bestFit)
  }
  const labels = canonicalLabels(best)
  if (opts.polish === false) return { labels, fitness: bestFit, gaFitness: bestFit, groups: new Set(labels).size, history }
  const polished = canonicalLabels(polishLabels(pw, labels))
  return { labels: polished, fitness: consensusFitness(pw, polished), gaFitness: bestFit, groups: new Set(polished).size, history }
}

/**
 * Best-improvement single-element moves: the gain of moving i from group a to group b is
 * Σ_{j∈b} W_ij − Σ_{j∈a, j≠i} W_ij (an empty group: b = ∅). Deterministic; terminates because every
 * accepted move raises the fitness by more than 1e-12.
 */
export function polishLabels(pw: PairWeights, start: ArrayLike<number>): Int32Array {
  const { n, W } = pw
  const labels = Int32Array.from(start)
  const w = (i: number, j: number) => (i < j ? W[i * n + j]! : W[j * n + i]!)
  const toGroup = new Float64Array(n + 1)
  for (let improved = true; improved; ) {
    improved = false
    for (let i = 0; i < n; i++) {
      toGroup.fill(0)
      const used = new Uint8Array(n + 1)
      for (let j = 0; j < n; j++) {
        used[labels[j]!] = 1
        if (j !== i) toGroup[labels[j]!]! += w(i, j)
      }
      const own = labels[i]!
      const fresh = used.indexOf(0) // labels are canonical (< n), so one of 0…n is free: a new singleton
      let bestGain = 1e-12, bestGroup = -1
      for (let g = 0; g <= n; g++) {
        if (g === own || (!used[g] && g !== fresh)) continue
        const gain = toGroup[g]! - toGroup[own]! // toGroup[fresh] = 0
        if (gain > bestGain) {
          bestGain = gain
          bestGroup = g
        }
      }
      if (bestGroup >= 0) {
        labels[i] = bestGroup
        improved = true
      }
    }
  }
  return labels
}

/** Renumber groups 0, 1, … in order of first appearance (labels carry no meaning otherwise). */
export const canonicalLabels = (labels: ArrayLike<number>): Int32Array => denseLabels(labels)

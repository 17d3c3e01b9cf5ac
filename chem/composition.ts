// Compositions as CrabNet reads them (thesis §4.2.4): each formula → its elements and fractions
// (chem/formula.ts), and which formulas an element table can feed. A table that lacks an element a
// formula needs must never fall back silently (a NaN loss, another element's row, a zero row):
// `coverPolicy` either refuses, naming what is missing, or drops those formulas and counts them.
import { fractions } from "./formula.js"

export interface CompositionSample {
  /** elements in the formula's order of first appearance (the model orders them itself) */
  readonly symbols: readonly string[]
  /** amounts normalised to 1 */
  readonly fractions: readonly number[]
}

export function compositionSample(formula: string): CompositionSample {
  const f = fractions(formula)
  return { symbols: Object.keys(f), fractions: Object.values(f) }
}

/** What to do with formulas that need an element the table has no vector for. */
export type MissingPolicy = "error" | "drop"
export const missingPolicies: readonly MissingPolicy[] = ["error", "drop"]

export interface Split {
  readonly train: readonly number[]
  readonly validation: readonly number[]
  readonly test: readonly number[]
}

export interface Coverage {
  /** the split with the uncovered formulas removed (unchanged when nothing is missing) */
  readonly split: { train: number[]; validation: number[]; test: number[] }
  /** elements the formulas of the split need and the table lacks, in order of first need */
  readonly missingElements: string[]
  /** formulas removed per part */
  readonly dropped: { train: number; validation: number; test: number }
}

/** The elements missing from `have`, and the split with formulas needing them removed. */
export function coverage(samples: readonly CompositionSample[], have: ReadonlySet<string>, split: Split): Coverage {
  const missing = new Set<string>()
  const covered = (i: number) => {
    let ok = true
    for (const s of samples[i]!.symbols) if (!have.has(s)) (missing.add(s), (ok = false))
    return ok
  }
  const keep = (idx: readonly number[]) => idx.filter(covered)
  const out = { train: keep(split.train), validation: keep(split.validation), test: keep(split.test) }
  return {
    split: out,
    missingElements: [...missing],
    dropped: { train: split.train.length - out.train.length, validation: split.validation.length - out.validation.length, test: split.test.length - out.test.length },
  }
}

/**
 * Apply a policy: "error" refuses any gap, "drop" keeps the covered formulas but refuses a part
 * left empty. Returns the coverage, or the reason to refuse in one line (no Error: the caller
 * decides which typed error names the table and the task).
 */
export function coverPolicy(c: Coverage, split: Split, policy: MissingPolicy): { ok: true } | { ok: false; problem: string } {
  const total = split.train.length + split.validation.length + split.test.length
  const lost = c.dropped.train + c.dropped.validation + c.dropped.test
  if (c.missingElements.length > 0 && policy === "error")
    return {
      ok: false,
      problem: `no vector for ${c.missingElements.join(" ")}, needed by ${lost} of ${total} formulas (train ${c.dropped.train}, validation ${c.dropped.validation}, test ${c.dropped.test})`,
    }
  for (const part of ["train", "validation", "test"] as const)
    if (c.split[part].length === 0)
      return { ok: false, problem: `no ${part} formula left: ${c.missingElements.length ? `every one needs one of ${c.missingElements.join(" ")}` : "the part is empty"}` }
  return { ok: true }
}

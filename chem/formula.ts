// Composition parser for MatBench formula strings ("Nb7(Fe27B4)3", "Zn0.99Ga0.01Te", "Hf2 Si2 Te2",
// "CuSO4·5H2O") → element amounts and fractions (the 103-d composition vector of thesis §3.2.1's
// composition screen and CrabNet's fractional encodings, §4.2).
// Departures from pymatgen 2022.11.7 (shared/fixtures/formulas.json), where pymatgen is lax:
//  - unknown symbols ("Xx2O"), zero amounts ("Fe0") and empty strings are rejected, not read as
//    a dummy species or an empty composition;
//  - an adduct dot (·, •, ∙, *, or "." before "<n>H2O") adds n formula units of what follows:
//    "CuSO4.5H2O" = CuSO4 + 5 H2O (pymatgen reads "4.5" as a decimal and gives O5.5).
import { SYMBOLS, isElement } from "./elements.js"

/** A formula that cannot be read; the message is one line and quotes the formula. */
export class FormulaError extends Error {
  constructor(
    readonly formula: string,
    readonly problem: string,
  ) {
    super(`cannot parse formula '${formula}': ${problem}`)
    this.name = "FormulaError"
  }
}

/** Element amounts as written (parentheses expanded), in order of first appearance. */
export type Amounts = Map<string, number>

const ADDUCT_DOTS = /[·•∙*]/
// "." is a decimal point between digits, except in the hydrate spelling ".<integer>H2O" that
// chemists write for water of crystallisation (Na2CO3.10H2O). MatBench has no such formula.
const HYDRATE_DOT = /\.(?=\d+H2O(?:$|[·•∙*.\s]))/g
// A "." not followed by a digit cannot be a decimal point: "Fe2O3.H2O" is an adduct too.
const BARE_DOT = /\.(?!\d)/g

/** Parse a formula into element amounts. Throws FormulaError (with the formula) on anything odd. */
export function parseFormula(formula: string): Amounts {
  const text = formula.trim()
  if (text === "") throw new FormulaError(formula, "empty formula")
  const parts = text.replace(HYDRATE_DOT, "·").replace(BARE_DOT, "·").split(ADDUCT_DOTS)
  const total: Amounts = new Map()
  parts.forEach((part, k) => {
    // every part after a dot may open with a multiplier: "5H2O"
    const m = k === 0 ? null : /^\s*(\d+(?:\.\d+)?)/.exec(part)
    const times = m ? Number(m[1]) : 1
    const body = m ? part.slice(m[0].length) : part
    if (body.trim() === "") throw new FormulaError(formula, `nothing after the adduct dot in part ${k + 1}`)
    for (const [el, n] of new Reader(formula, body).read()) total.set(el, (total.get(el) ?? 0) + n * times)
  })
  for (const [el, n] of total) if (!(n > 0)) throw new FormulaError(formula, `amount of ${el} is ${n}, not positive`)
  return total
}

/** Element fractions summing to 1 (pymatgen's Composition.fractional_composition). */
export function fractions(formula: string): Record<string, number> {
  const amounts = parseFormula(formula)
  let sum = 0
  for (const n of amounts.values()) sum += n
  const out: Record<string, number> = {}
  for (const [el, n] of amounts) out[el] = n / sum
  return out
}

/** Fractions as a dense vector indexed by Z−1 over Z = 1…maxZ (thesis: 103-d). */
export function compositionVector(formula: string, maxZ = 103): Float64Array {
  const v = new Float64Array(maxZ)
  for (const [el, f] of Object.entries(fractions(formula))) {
    const z = SYMBOLS.indexOf(el) + 1
    if (z > maxZ) throw new FormulaError(formula, `${el} (Z=${z}) lies beyond Z=${maxZ}`)
    v[z - 1] = f
  }
  return v
}

/** Recursive-descent reader over one adduct part: group := (element | "(" group ")") amount? … */
class Reader {
  private i = 0
  constructor(
    private readonly formula: string,
    private readonly s: string,
  ) {}

  read(): Amounts {
    const out = this.group()
    this.skipSpace()
    if (this.i < this.s.length) this.fail(`unexpected '${this.s[this.i]}'`)
    return out
  }

  private group(): Amounts {
    const out: Amounts = new Map()
    for (;;) {
      this.skipSpace()
      const c = this.s[this.i]
      if (c === undefined || c === ")") return out
      let inner: Amounts
      if (c === "(") {
        this.i++
        inner = this.group()
        if (this.s[this.i] !== ")") this.fail("unclosed '('")
        this.i++
      } else if (c >= "A" && c <= "Z") {
        inner = new Map([[this.symbol(), 1]])
      } else {
        this.fail(`unexpected '${c}'`)
      }
      const n = this.amount()
      for (const [el, a] of inner) out.set(el, (out.get(el) ?? 0) + a * n)
    }
  }

  private symbol(): string {
    const start = this.i++
    while (this.i < this.s.length && /[a-z]/.test(this.s[this.i]!)) this.i++
    const sym = this.s.slice(start, this.i)
    if (!isElement(sym)) {
      this.i = start
      this.fail(`unknown element '${sym}'`)
    }
    return sym
  }

  /** Optional amount: 2, 0.5, 12.375, 1e-3. Signs are not amounts ("O-1", "Na-Cl" fail). */
  private amount(): number {
    const m = /^(\d+(?:\.\d+)?|\.\d+)(e[-+]?\d+)?/.exec(this.s.slice(this.i))
    if (!m) return 1
    this.i += m[0].length
    const n = Number(m[0])
    if (!(n > 0)) this.fail(`amount ${m[0]} is not positive`)
    return n
  }

  private skipSpace(): void {
    while (this.s[this.i] === " " || this.s[this.i] === "\t") this.i++
  }

  private fail(problem: string): never {
    throw new FormulaError(this.formula, `${problem} at position ${this.i} of '${this.s}'`)
  }
}

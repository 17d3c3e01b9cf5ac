// Summaries of a grid of trained models (thesis §3.2.2 Figs. 3.6–3.7, §4.1 Figs. 4.2–4.4): whatever grid
// `train` ran, each model is one row (backbone, task, fold, DIM, γ, test MAE). Pure functions so the
// figures' data can be checked on hand-made rows.

export const GAMMAS = ["H", "-4", "-2", "0", "2", "4", "L"] as const
export type GammaLabel = (typeof GAMMAS)[number]

export interface ModelRow {
  readonly backbone: string
  readonly task: string
  readonly fold: number
  readonly dim: number
  readonly gamma: GammaLabel
  readonly mae: number
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN)
/** sample standard deviation (ddof 1); 0 for one value, NaN for none */
const sd = (xs: readonly number[]) => {
  if (xs.length === 0) return Number.NaN
  if (xs.length < 2) return 0
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1))
}
const isHybrid = (g: GammaLabel) => g !== "H" && g !== "L"
const groupBy = <T>(xs: readonly T[], key: (x: T) => string) => {
  const m = new Map<string, T[]>()
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x])
  return m
}

/** One setting = (backbone, task, fold, DIM): the models that differ only in γ. */
const settingKey = (r: ModelRow) => `${r.backbone}\u0000${r.task}\u0000${r.fold}\u0000${r.dim}`

export interface StrategyRow {
  backbone: string
  task: string
  /** settings that have H, L and at least one hybrid */
  settings: number
  maeH: number
  maeL: number
  /** mean over settings of the best hybrid's MAE (the thesis compares against the best γ) */
  maeHybridBest: number
  /** mean over settings and hybrid γ */
  maeHybridMean: number
  /** settings where the best hybrid beats both pure channels */
  hybridWins: number
}

/** Figs. 3.6–3.7: MAE by element strategy per (task, backbone), over the complete settings. */
export function strategyTable(rows: readonly ModelRow[]): StrategyRow[] {
  const out: StrategyRow[] = []
  const byTb = groupBy(rows, (r) => `${r.task}\u0000${r.backbone}`)
  for (const group of byTb.values()) {
    const complete = [...groupBy(group, settingKey).values()].filter((s) => s.some((r) => r.gamma === "H") && s.some((r) => r.gamma === "L") && s.some((r) => isHybrid(r.gamma)))
    if (complete.length === 0) continue
    const pick = (s: ModelRow[], g: GammaLabel) => s.find((r) => r.gamma === g)!.mae
    const bestHybrid = (s: ModelRow[]) => Math.min(...s.filter((r) => isHybrid(r.gamma)).map((r) => r.mae))
    out.push({
      backbone: group[0]!.backbone,
      task: group[0]!.task,
      settings: complete.length,
      maeH: mean(complete.map((s) => pick(s, "H"))),
      maeL: mean(complete.map((s) => pick(s, "L"))),
      maeHybridBest: mean(complete.map(bestHybrid)),
      maeHybridMean: mean(complete.flatMap((s) => s.filter((r) => isHybrid(r.gamma)).map((r) => r.mae))),
      hybridWins: complete.filter((s) => bestHybrid(s) < Math.min(pick(s, "H"), pick(s, "L"))).length,
    })
  }
  return out.sort((a, b) => a.task.localeCompare(b.task) || a.backbone.localeCompare(b.backbone))
}

export interface GammaCurve {
  backbone: string
  task: string
  dim: number
  /** per γ in GAMMAS order: mean and sd of test MAE over the folds run (NaN where none) */
  mean: number[]
  sd: number[]
  folds: number[]
}

/** Fig. 4.2: test MAE against γ, one curve per (backbone, task, DIM). */
export function gammaCurves(rows: readonly ModelRow[]): GammaCurve[] {
  return [...groupBy(rows, (r) => `${r.backbone}\u0000${r.task}\u0000${r.dim}`).values()]
    .map((g) => {
      const at = (gamma: GammaLabel) => g.filter((r) => r.gamma === gamma).map((r) => r.mae)
      return { backbone: g[0]!.backbone, task: g[0]!.task, dim: g[0]!.dim, mean: GAMMAS.map((x) => mean(at(x))), sd: GAMMAS.map((x) => sd(at(x))), folds: GAMMAS.map((x) => at(x).length) }
    })
    .sort((a, b) => a.task.localeCompare(b.task) || a.backbone.localeCompare(b.backbone) || a.dim - b.dim)
}

/** Fig. 4.3: per backbone, how often each γ gives the lowest MAE of its setting (settings with ≥ 2 γ). */
export function bestGammaFrequency(rows: readonly ModelRow[]): { backbone: string; counts: number[]; settings: number }[] {
  const out = new Map<string, number[]>()
  for (const s of groupBy(rows, settingKey).values()) {
    if (new Set(s.map((r) => r.gamma)).size < 2) continue
    const best = s.reduce((a, b) => (b.mae < a.mae ? b : a))
    const c = out.get(best.backbone) ?? GAMMAS.map(() => 0)
    c[GAMMAS.indexOf(best.gamma)]! += 1
    out.set(best.backbone, c)
  }
  return [...out].map(([backbone, counts]) => ({ backbone, counts, settings: counts.reduce((a, b) => a + b, 0) })).sort((a, b) => a.backbone.localeCompare(b.backbone))
}

/**
 * Fig. 4.4: effect of DIM per (backbone, strategy), tasks made comparable by dividing each MAE by the
 * mean MAE of its task (over every model of that task). Strategy: H, L, or hybrid (all hybrid γ).
 */
export function dimEffect(rows: readonly ModelRow[]): { backbone: string; strategy: "H" | "L" | "hybrid"; dims: number[]; relativeMae: number[] }[] {
  const taskMean = new Map([...groupBy(rows, (r) => r.task)].map(([t, g]) => [t, mean(g.map((r) => r.mae))]))
  const strategy = (g: GammaLabel) => (g === "H" ? "H" : g === "L" ? "L" : "hybrid") as "H" | "L" | "hybrid"
  const dims = [...new Set(rows.map((r) => r.dim))].sort((a, b) => a - b)
  return [...groupBy(rows, (r) => `${r.backbone}\u0000${strategy(r.gamma)}`).values()]
    .map((g) => ({
      backbone: g[0]!.backbone,
      strategy: strategy(g[0]!.gamma),
      dims,
      relativeMae: dims.map((d) => mean(g.filter((r) => r.dim === d).map((r) => r.mae / taskMean.get(r.task)!))),
    }))
    .sort((a, b) => a.backbone.localeCompare(b.backbone) || a.strategy.localeCompare(b.strategy))
}

/** Histogram counts of `values` over equal bins [lo, hi) (the last bin closed); NaN ignored. */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  const out = new Array<number>(bins).fill(0)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!(v >= lo && v <= hi)) continue
    out[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]! += 1
  }
  return out
}

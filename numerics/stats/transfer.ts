// Transfer scores (thesis §4.2.4, Tables 4.2 and 4.3): per (table, task) the mean ± sd of a score over
// the folds trained, and the thesis's "overall improvement" — for each task the relative gain of the
// best Mat2Vec-* table over Mat2Vec (lower MAE, higher ROC-AUC is better), averaged over the tasks.
// Thesis: 9.8 %, 5.1 %, 0.5 %, 2.1 % → 4.3 %.

export interface FoldScore {
  readonly table: string
  readonly dim: number
  readonly task: string
  readonly fold: number
  readonly metric: "mae" | "rocAuc"
  readonly score: number
}

export interface TableRow {
  readonly table: string
  readonly dim: number
  readonly task: string
  readonly metric: "mae" | "rocAuc"
  readonly folds: number[]
  readonly scores: number[]
  readonly mean: number
  /** sample standard deviation (n − 1); null for one fold */
  readonly sd: number | null
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

export function sampleSd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null
  const m = mean(xs)
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
}

/** One row per (table, dim, task): the folds trained, in order, with mean and sd. */
export function foldSummary(scores: readonly FoldScore[]): TableRow[] {
  const groups = new Map<string, FoldScore[]>()
  for (const s of scores) {
    const k = JSON.stringify([s.table, s.dim, s.task])
    groups.set(k, [...(groups.get(k) ?? []), s])
  }
  return [...groups.values()].map((g) => {
    const sorted = [...g].sort((a, b) => a.fold - b.fold)
    const folds = sorted.map((s) => s.fold)
    if (new Set(folds).size !== folds.length) throw new Error(`${g[0]!.table} on ${g[0]!.task}: fold ${folds.find((f, i) => folds.indexOf(f) !== i)} appears twice`)
    const metrics = new Set(sorted.map((s) => s.metric))
    if (metrics.size !== 1) throw new Error(`${g[0]!.table} on ${g[0]!.task}: mixed metrics ${[...metrics].join(", ")}`)
    const xs = sorted.map((s) => s.score)
    return { table: g[0]!.table, dim: g[0]!.dim, task: g[0]!.task, metric: g[0]!.metric, folds, scores: xs, mean: mean(xs), sd: sampleSd(xs) }
  })
}

/** Relative gain of `x` over `base` in percent, positive when x is better (MAE lower, ROC-AUC higher). */
export function relativeGain(base: number, x: number, metric: "mae" | "rocAuc"): number {
  return (100 * (metric === "mae" ? base - x : x - base)) / base
}

export interface TaskGain {
  readonly task: string
  readonly metric: "mae" | "rocAuc"
  readonly baseline: string
  /** the candidate with the largest gain, as "table (dim)" */
  readonly best: string
  /** folds both were trained on: the means compared are over these */
  readonly folds: number[]
  readonly baselineMean: number
  readonly bestMean: number
  readonly gainPercent: number
}

export interface Improvement {
  readonly perTask: TaskGain[]
  /** mean of the per-task gains; null when no task has both a baseline and a candidate */
  readonly overallPercent: number | null
}

/**
 * The thesis's overall improvement: per task, the best candidate's gain over the baseline, each
 * compared on the folds both were trained on; then the mean over tasks.
 */
export function overallImprovement(rows: readonly TableRow[], isBaseline: (r: TableRow) => boolean, isCandidate: (r: TableRow) => boolean): Improvement {
  const perTask: TaskGain[] = []
  for (const task of [...new Set(rows.map((r) => r.task))]) {
    const base = rows.find((r) => r.task === task && isBaseline(r))
    if (!base) continue
    let best: TaskGain | undefined
    for (const c of rows.filter((r) => r.task === task && isCandidate(r))) {
      const folds = c.folds.filter((f) => base.folds.includes(f))
      if (folds.length === 0) continue
      const at = (r: TableRow) => mean(folds.map((f) => r.scores[r.folds.indexOf(f)]!))
      const gain = relativeGain(at(base), at(c), base.metric)
      if (!best || gain > best.gainPercent)
        best = { task, metric: base.metric, baseline: `${base.table} (${base.dim})`, best: `${c.table} (${c.dim})`, folds, baselineMean: at(base), bestMean: at(c), gainPercent: gain }
    }
    if (best) perTask.push(best)
  }
  return { perTask, overallPercent: perTask.length ? mean(perTask.map((g) => g.gainPercent)) : null }
}

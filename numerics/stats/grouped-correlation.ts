// Thesis §3.2.3, Fig. 3.9: each model is one sample; per (backbone, strategy) group and per task,
// Pearson and Spearman correlation of every embedding metric with the model's fold-normalised error,
// then the mean over tasks. Fold normalisation makes errors of different tasks and folds comparable:
// e = MAE / mean MAE of all models on the same (task, fold) (the thesis does not spell the
// normaliser out; a ratio to the fold mean keeps the sign and scale of every correlation).
import { pearson, spearman } from "./correlation.js"

export interface ErrorSample {
  task: string
  fold: number | null
  mae: number
}

/** MAE divided by the mean MAE of its (task, fold). */
export function foldNormalisedErrors(samples: readonly ErrorSample[]): Float64Array {
  const key = (s: ErrorSample) => `${s.task}\u0000${s.fold}`
  const sums = new Map<string, { sum: number; n: number }>()
  for (const s of samples) {
    const e = sums.get(key(s)) ?? { sum: 0, n: 0 }
    e.sum += s.mae
    e.n += 1
    sums.set(key(s), e)
  }
  return Float64Array.from(samples, (s) => {
    const e = sums.get(key(s))!
    return s.mae / (e.sum / e.n)
  })
}

export interface CorrelationSample {
  group: string
  task: string
  error: number
  metrics: Readonly<Record<string, number>>
}

export interface GroupCorrelation {
  group: string
  metric: string
  /** mean over tasks of the per-task coefficient (tasks where it is undefined are skipped) */
  pearson: number
  spearman: number
  /** tasks that contributed */
  tasks: number
  /** models in the group */
  models: number
}

export function groupedCorrelations(samples: readonly CorrelationSample[], metrics: readonly string[]): GroupCorrelation[] {
  const groups = [...new Set(samples.map((s) => s.group))].sort()
  const out: GroupCorrelation[] = []
  for (const group of groups) {
    const inGroup = samples.filter((s) => s.group === group)
    const tasks = [...new Set(inGroup.map((s) => s.task))].sort()
    for (const metric of metrics) {
      const ps: number[] = [], ss: number[] = []
      for (const task of tasks) {
        const rows = inGroup.filter((s) => s.task === task && Number.isFinite(s.metrics[metric]!) && Number.isFinite(s.error))
        const x = rows.map((r) => r.metrics[metric]!), y = rows.map((r) => r.error)
        const p = pearson(x, y), s = spearman(x, y)
        if (!Number.isNaN(p)) ps.push(p)
        if (!Number.isNaN(s)) ss.push(s)
      }
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN)
      out.push({ group, metric, pearson: mean(ps), spearman: mean(ss), tasks: Math.max(ps.length, ss.length), models: inGroup.length })
    }
  }
  return out
}

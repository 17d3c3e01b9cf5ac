// ROC-AUC as MatBench scores its classification tasks (sklearn.metrics.roc_auc_score): the
// probability that a random positive scores above a random negative, ties counting one half
// (Mann–Whitney U / (n₊·n₋), i.e. the trapezoidal area under the ROC curve).
import { averageRanks } from "./correlation.js"

/** ROC-AUC of scores against 0/1 labels; throws when either class is absent (undefined, as in sklearn). */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  if (labels.length !== scores.length) throw new Error(`rocAuc: ${labels.length} labels but ${scores.length} scores`)
  let nPos = 0
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`rocAuc: label ${labels[i]} at row ${i} is not 0 or 1`)
    if (Number.isNaN(scores[i]!)) throw new Error(`rocAuc: score at row ${i} is NaN`)
    nPos += labels[i]!
  }
  const nNeg = labels.length - nPos
  if (nPos === 0 || nNeg === 0) throw new Error(`rocAuc: needs both classes (${nPos} positive, ${nNeg} negative)`)
  // rank sum of the positives with average ranks for ties (1-based)
  const ranks = averageRanks(scores)
  let sum = 0
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) sum += ranks[i]!
  return (sum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg)
}

// Regression errors as MatBench scores them (matbench/metadata: mae, rmse, max_error).

export interface RegressionErrors {
  readonly n: number
  readonly mae: number
  readonly rmse: number
  readonly maxError: number
}

export function regressionErrors(targets: ArrayLike<number>, predictions: ArrayLike<number>): RegressionErrors {
  if (targets.length !== predictions.length) throw new Error(`regressionErrors: ${targets.length} targets but ${predictions.length} predictions`)
  let abs = 0, sq = 0, max = 0
  for (let i = 0; i < targets.length; i++) {
    const e = Math.abs(predictions[i]! - targets[i]!)
    abs += e
    sq += e * e
    if (e > max) max = e
  }
  const n = targets.length
  return { n, mae: n ? abs / n : Number.NaN, rmse: n ? Math.sqrt(sq / n) : Number.NaN, maxError: n ? max : Number.NaN }
}

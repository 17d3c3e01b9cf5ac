// One cross-validation fold of the composition screen (thesis §3.2.3): fit the forest on the fold's
// training rows with the target standardised inside the fold, score the test rows in original units,
// beside the dummy (the training mean). Shared by stages/composition-screen.ts and bench/forest.bench.ts.
import { mulberry32 } from "../random.js"
import { predictForest, r2Score, selectRows, type SparseRows } from "./forest.js"
import { fitForestParallel } from "./parallel.js"

export interface FoldScore {
  readonly nTrain: number
  readonly nTest: number
  readonly r2: number
  readonly mae: number
  readonly r2Dummy: number
  readonly maeDummy: number
  readonly fitSeconds: number
  /** CPU seconds of the whole process during the fit (all threads): comparable across loads only when
   * nothing else runs in the process, as in bench:forest */
  readonly fitCpuSeconds: number
}

/** At most `max` of `idx` (0 = all), drawn without replacement by a seeded shuffle, in ascending order. */
export function subsample(idx: readonly number[], max: number, seed: number): number[] {
  if (max <= 0 || idx.length <= max) return [...idx]
  const out = [...idx]
  const rand = mulberry32(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out.slice(0, max).sort((a, b) => a - b)
}

export const meanAbsoluteError = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!)
  return s / a.length
}

/** `threads` > 1 grows the trees in worker threads (same forest); the stage keeps 1 and lets the engine run tasks in parallel. */
export async function scoreFold(x: SparseRows, y: readonly number[], train: readonly number[], test: readonly number[], opts: { nTrees: number; seed: number; threads?: number }): Promise<FoldScore> {
  const yTrain = train.map((i) => y[i]!)
  const yTest = test.map((i) => y[i]!)
  const mu = yTrain.reduce((a, b) => a + b, 0) / yTrain.length
  const sd = Math.sqrt(yTrain.reduce((a, b) => a + (b - mu) ** 2, 0) / yTrain.length) || 1
  const t0 = performance.now(), c0 = process.cpuUsage()
  const forest = await fitForestParallel(selectRows(x, train), yTrain.map((v) => (v - mu) / sd), { nTrees: opts.nTrees, seed: opts.seed }, opts.threads ?? 1)
  const fitSeconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(c0)
  const pred = Array.from(predictForest(forest, selectRows(x, test)), (v) => v * sd + mu)
  const dummy = yTest.map(() => mu)
  return {
    nTrain: train.length,
    nTest: test.length,
    r2: r2Score(yTest, pred),
    mae: meanAbsoluteError(yTest, pred),
    r2Dummy: r2Score(yTest, dummy),
    maeDummy: meanAbsoluteError(yTest, dummy),
    fitSeconds,
    fitCpuSeconds: (cpu.user + cpu.system) / 1e6,
  }
}

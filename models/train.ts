// Training one backbone on one fold (thesis §3.2.2, §4.1.2): target standardised with the training
// part of the fold; batches of 128 crystals, reshuffled every epoch from the seed; MSE loss on the
// standardised target. CGCNN: SGD lr 0.01, momentum 0.9, lr ×0.1 from epoch 100 (MultiStepLR,
// milestones [100]). MEGNet: Adam lr 1e-3. Early stopping on validation MAE with `patience` epochs;
// the best epoch's weights are restored for the test predictions and the exported element vectors.
import * as tf from "@tensorflow/tfjs-core"
import type { CrystalGraphSet } from "../numerics/graph/crystal-graph.js"
import { initBackend } from "./backend/runtime/backend.js"
import { Cgcnn } from "./cgcnn.js"
import type { DescriptorMatrix } from "./element-input.js"
import { type BatchTensors, batchTensors, disposeBatch, sliceBatch } from "./graph-batch.js"
import type { Backbone, GraphModel } from "./layers/graph-model.js"
import { mulberry32, streamSeed } from "./layers/params.js"
import { Megnet } from "./megnet.js"

export interface Split {
  readonly train: readonly number[]
  readonly validation: readonly number[]
  readonly test: readonly number[]
}

export interface EpochLog {
  readonly epoch: number
  readonly epochs: number
  /** mean MSE over the epoch's batches (standardised units) */
  readonly trainLoss: number
  /** validation MAE in target units */
  readonly validationMae: number
  readonly bestValidationMae: number
  readonly bestEpoch: number
}

export interface TrainOptions {
  readonly backbone: Backbone
  readonly dim: number
  /** γ = log10(w_L / w_H); ±Infinity are the pure channels */
  readonly gamma: number
  /** the frozen H-channel descriptor, rows indexed by Z */
  readonly descriptor: DescriptorMatrix
  readonly epochs: number
  readonly patience: number
  readonly batchSize: number
  readonly seed: number
  /** called after every epoch; returning "stop" ends training there (budgeted scripts; stages never stop on time) */
  readonly onEpoch?: (log: EpochLog) => void | "stop"
}

export interface TrainResult {
  readonly testMae: number
  readonly bestValidationMae: number
  /** 1-based epoch whose weights were kept */
  readonly bestEpoch: number
  readonly epochsRun: number
  readonly wallSeconds: number
  readonly backend: string
  /** structure index (into the graph set), target, prediction — in target units */
  readonly test: { readonly index: number; readonly target: number; readonly prediction: number }[]
  readonly history: EpochLog[]
  readonly elements: ElementVectors
}

/** Element vectors of the trained model, rows in the order of `z` (the elements of the training structures). */
export interface ElementVectors {
  readonly z: number[]
  readonly fused: number[][]
  readonly h?: number[][]
  readonly l?: number[][]
  /** per message-passing layer, the mean atom vector of each element over the training structures */
  readonly layers: number[][][]
}

export function buildModel(opts: Pick<TrainOptions, "backbone" | "dim" | "gamma" | "descriptor" | "seed">): GraphModel {
  const element = { dim: opts.dim, gamma: opts.gamma, descriptor: opts.descriptor }
  return opts.backbone === "cgcnn" ? new Cgcnn({ element, seed: opts.seed }) : new Megnet({ element, seed: opts.seed })
}

/** Mean and (population) standard deviation over the training indices (CGCNN's Normalizer). */
export function standardiser(targets: ArrayLike<number>, idx: readonly number[]): { mean: number; std: number } {
  let m = 0
  for (const i of idx) m += targets[i]!
  m /= idx.length
  let v = 0
  for (const i of idx) v += (targets[i]! - m) ** 2
  const std = Math.sqrt(v / idx.length)
  return { mean: m, std: std > 0 ? std : 1 }
}

const chunks = (idx: readonly number[], size: number): number[][] => {
  const out: number[][] = []
  for (let i = 0; i < idx.length; i += size) out.push(idx.slice(i, i + size))
  return out
}

/** Fisher–Yates with a seeded stream (one stream per epoch, so a run can be replayed from any epoch). */
function shuffled(idx: readonly number[], seed: number, epoch: number): number[] {
  const r = mulberry32(streamSeed(seed, `shuffle.${epoch}`))
  const a = idx.slice()
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

/** Standardised predictions for fixed batches, in evaluation mode. */
function predict(model: GraphModel, batches: BatchTensors[]): Float32Array[] {
  // tidy returns the tensor, not its data: tidy walks a returned typed array element by element
  return batches.map((b) => {
    const y = tf.tidy(() => model.forward(b, false).y)
    const v = y.dataSync().slice() as Float32Array
    y.dispose()
    return v
  })
}

export async function trainModel(
  graphs: CrystalGraphSet,
  targets: ArrayLike<number>,
  split: Split,
  opts: TrainOptions,
): Promise<TrainResult> {
  const backend = await initBackend()
  const t0 = performance.now()
  const model = buildModel(opts)
  const norm = standardiser(targets, split.train)
  const optimizer =
    opts.backbone === "cgcnn" ? tf.train.momentum(0.01, 0.9) : tf.train.adam(1e-3, 0.9, 0.999, 1e-8)
  const fixed = (idx: readonly number[]) =>
    chunks(idx, opts.batchSize).map((s) => ({ idx: s, t: batchTensors(sliceBatch(graphs, s), model.basis) }))
  const validation = fixed(split.validation)
  const history: EpochLog[] = []
  let best = { mae: Infinity, epoch: 0, weights: model.params.snapshot() }
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      if (opts.backbone === "cgcnn" && epoch === 100) (optimizer as tf.MomentumOptimizer).setLearningRate(0.001)
      let lossSum = 0
      const batches = chunks(shuffled(split.train, opts.seed, epoch), opts.batchSize)
      for (const s of batches) {
        const b = batchTensors(sliceBatch(graphs, s), model.basis)
        const y = tf.tensor2d(Float32Array.from(s, (i) => (targets[i]! - norm.mean) / norm.std), [s.length, 1])
        const loss = optimizer.minimize(
          () => tf.mean(tf.square(tf.sub(model.forward(b, true).y, y))) as tf.Scalar,
          true,
          model.params.trainable,
        )!
        lossSum += loss.dataSync()[0]!
        loss.dispose()
        y.dispose()
        disposeBatch(b)
      }
      const mae = maeOf(predict(model, validation.map((v) => v.t)), validation.map((v) => v.idx), targets, norm)
      if (mae < best.mae) best = { mae, epoch: epoch + 1, weights: model.params.snapshot() }
      const log = {
        epoch: epoch + 1,
        epochs: opts.epochs,
        trainLoss: lossSum / batches.length,
        validationMae: mae,
        bestValidationMae: best.mae,
        bestEpoch: best.epoch,
      }
      history.push(log)
      if (opts.onEpoch?.(log) === "stop") break
      if (epoch + 1 - best.epoch >= opts.patience) break
    }
    model.params.restore(best.weights)
    const test = fixed(split.test)
    const preds = predict(model, test.map((t) => t.t))
    const rows = test.flatMap((t, k) =>
      t.idx.map((index, j) => ({ index, target: targets[index]!, prediction: preds[k]![j]! * norm.std + norm.mean })),
    )
    const elements = elementVectors(model, graphs, split.train, opts.batchSize)
    for (const t of [...validation, ...test]) disposeBatch(t.t)
    return {
      testMae: rows.reduce((a, r) => a + Math.abs(r.prediction - r.target), 0) / rows.length,
      bestValidationMae: best.mae,
      bestEpoch: best.epoch,
      epochsRun: history.length,
      wallSeconds: (performance.now() - t0) / 1000,
      backend: backend.label,
      test: rows,
      history,
      elements,
    }
  } finally {
    optimizer.dispose()
    model.dispose()
  }
}

function maeOf(
  preds: Float32Array[],
  idx: number[][],
  targets: ArrayLike<number>,
  norm: { mean: number; std: number },
): number {
  let sum = 0
  let n = 0
  preds.forEach((p, k) =>
    idx[k]!.forEach((i, j) => {
      sum += Math.abs(p[j]! * norm.std + norm.mean - targets[i]!)
      n++
    }),
  )
  return sum / n
}

const rowsOf = (t: tf.Tensor, zs: number[]): number[][] => {
  const d = t.arraySync() as number[][]
  return zs.map((z) => d[z]!)
}

/**
 * The exported element vectors (thesis §3.2.3–3.2.4, §4.2): the fused, H and L tables at the
 * elements of the training structures, and per layer the mean atom vector of each element over
 * the training structures (evaluation mode).
 */
export function elementVectors(model: GraphModel, graphs: CrystalGraphSet, train: readonly number[], batchSize: number): ElementVectors {
  const sums = new Map<number, { n: number; layers: Float64Array[] }>()
  for (const s of chunks(train, batchSize)) {
    const host = sliceBatch(graphs, s)
    const b = batchTensors(host, model.basis)
    const out = tf.tidy(() => model.forward(b, false).atomLayers.slice())
    const layers = out.map((l) => ({ w: l.shape[1], d: l.dataSync() }))
    disposeBatch(b)
    host.atomZ.forEach((z, a) => {
      let acc = sums.get(z)
      if (!acc) sums.set(z, (acc = { n: 0, layers: layers.map((l) => new Float64Array(l.w)) }))
      acc.n++
      layers.forEach((l, k) => {
        for (let c = 0; c < l.w; c++) acc!.layers[k]![c]! += l.d[a * l.w + c]!
      })
    })
    for (const t of out) t.dispose()
  }
  const z = [...sums.keys()].sort((a, b) => a - b)
  const keep = (f: () => tf.Tensor | null): tf.Tensor | null => {
    let out: tf.Tensor | null = null
    tf.tidy(() => {
      const t = f()
      if (t) out = tf.keep(t.clone())
    })
    return out
  }
  const fused = keep(() => model.element.table())
  const h = keep(() => model.element.hTable())
  const l = keep(() => model.element.lTable())
  const result = {
    z,
    fused: rowsOf(fused!, z),
    ...(h ? { h: rowsOf(h, z) } : {}),
    ...(l ? { l: rowsOf(l, z) } : {}),
    layers: sums.get(z[0]!)!.layers.map((_, k) => z.map((zz) => Array.from(sums.get(zz)!.layers[k]!, (x) => x / sums.get(zz)!.n))),
  }
  for (const t of [fused, h, l]) t?.dispose()
  return result
}

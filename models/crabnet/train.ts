// Training CrabNet on one fold the way crabnet/model.py (commit 457b4d4) does, restated in
// ../shared/bench/crabnet-step/epoch_torch.py: targets scaled by the training mean and unbiased std;
// shuffled batches; every batch jitters the fractions (×(1 + 0.02·N(0,1)), clamp [0, 1], padding 0,
// renormalised); robust L1 loss with the predicted log σ; SWA(Lookahead(Lamb)) and a triangular cyclic LR
// stepped per batch (one cycle = two epochs); every odd epoch predicts the validation set after EVERY batch
// and feeds its MAE to SWA; an odd epoch that folds nothing in counts as discarded, three discards stop
// training; the final weights are the SWA average.
// Classification (thesis: expt_is_metal, glass): CrabNet's own classification mode — BCE-with-logits on the
// gated output (utils.py L328-330), targets unscaled (DummyScaler), predictions sigmoid(output), SWA's
// criterion the MAE of those probabilities. (CrabNet's published MatBench script left its classification
// list empty and so trained those two tasks with the regression loss; see README.)
import * as tf from "@tensorflow/tfjs-core"
import { mulberry32, type Random } from "../../numerics/random.js"
import { initBackend } from "../backend/runtime/backend.js"
import { streamSeed } from "../layers/params.js"
import { linearRow, logRow } from "./fractional.js"
import { type CrabnetBatch, CrabnetModel } from "./model.js"
import { Lamb, Lookahead, Swa, cyclicLr } from "./optim.js"

/** One formula: symbols with amounts (any order, any positive scale; normalised and sorted here). */
export interface CrabnetSample {
  readonly symbols: readonly string[]
  readonly fractions: readonly number[]
}

/** A frozen element table, looked up by symbol (never by row position): row-major symbols.length × dim. */
export interface CrabnetTable {
  readonly name: string
  readonly symbols: readonly string[]
  readonly dim: number
  readonly vectors: Float32Array
}

export interface CrabnetEpoch {
  readonly epoch: number
  readonly epochs: number
  /** mean training loss over the epoch's batches (robust L1 on scaled targets, or BCE) */
  readonly trainLoss: number
  /** validation MAE of the current weights: target units (regression) or |probability − label| (classification) */
  readonly validationScore: number
}

export interface CrabnetOptions {
  readonly task: "regression" | "classification"
  readonly dModel: number
  readonly heads: number
  readonly layers: number
  readonly ffn: number
  readonly epochs: number
  /** default: CrabNet's rule, crabnetBatchSize(train size) */
  readonly batchSize?: number
  readonly seed: number
  readonly onEpoch?: (e: CrabnetEpoch) => void
  /** residual output network widths (default Roost's 1024, 512, 256, 128) */
  readonly outHidden?: readonly number[]
  /** transformer dropout (default 0.1) */
  readonly dropout?: number
  /** fraction jitter σ per batch (default 0.02, model.py L42) */
  readonly jitter?: number
}

export interface CrabnetResult {
  /** per test formula: prediction in target units (regression) or P(class 1) (classification); uncertainty = σ in target units (regression) */
  readonly test: { index: number; target: number; prediction: number; uncertainty?: number }[]
  /** validation MAE of the final (SWA-averaged) weights, same units as CrabnetEpoch.validationScore */
  readonly validationScore: number
  readonly history: CrabnetEpoch[]
  readonly epochsRun: number
  readonly backend: string
  /** trainable parameters */
  readonly parameters: number
}

/** publication_CrabNet/matbench_crabnet.py L39-44: 2^round(log2(n) − 4), clamped to [128, 4096]. */
export function crabnetBatchSize(nTrain: number): number {
  return Math.min(Math.max(2 ** Math.round(Math.log2(nTrain) - 4), 128), 4096)
}

/** Symbols the samples use that the table lacks, each with how many samples need it (sorted by symbol). */
export function missingSymbols(table: CrabnetTable, samples: readonly CrabnetSample[]): { symbol: string; samples: number }[] {
  const have = new Set(table.symbols)
  const need = new Map<string, number>()
  for (const s of samples) for (const e of new Set(s.symbols)) if (!have.has(e)) need.set(e, (need.get(e) ?? 0) + 1)
  return [...need].sort((a, b) => a[0].localeCompare(b[0])).map(([symbol, n]) => ({ symbol, samples: n }))
}

/** A formula as CrabNet's get_edm lays it out: table rows and fractions, sorted by decreasing amount (stable). */
interface Encoded { rows: Int32Array; frac: Float32Array }

function encode(s: CrabnetSample, rowOf: Map<string, number>): Encoded {
  if (s.symbols.length !== s.fractions.length || s.symbols.length === 0) {
    throw new Error(`crabnet: a sample needs as many fractions as symbols (got ${s.symbols.length} and ${s.fractions.length})`)
  }
  const total = s.fractions.reduce((a, c) => a + c, 0)
  const order = s.symbols.map((_, i) => i).sort((a, b) => s.fractions[b]! - s.fractions[a]!)
  return {
    rows: Int32Array.from(order, (i) => rowOf.get(s.symbols[i]!)!),
    frac: Float32Array.from(order, (i) => s.fractions[i]! / total),
  }
}

/** Host batch of formulas, padded to their largest element count; `jitter` perturbs the fractions first. */
export function makeBatch(items: readonly Encoded[], jitter: { sigma: number; rng: Random } | null): CrabnetBatch {
  const B = items.length, L = Math.max(...items.map((e) => e.rows.length))
  const rows = new Int32Array(B * L), frac = new Float32Array(B * L)
  items.forEach((e, i) => {
    rows.set(e.rows, i * L)
    if (jitter === null) return void frac.set(e.frac, i * L)
    // model.py L101-104, in float32 as torch: f·(1 + σ·N(0,1)), clamp [0, 1], padding 0, renormalise
    const f = Float32Array.from(e.frac, (v) => Math.min(Math.max(Math.fround(v * Math.fround(1 + Math.fround(jitter.sigma * normal(jitter.rng)))), 0), 1))
    let sum = 0
    for (const v of f) sum = Math.fround(sum + v)
    for (let k = 0; k < f.length; k++) frac[i * L + k] = f[k]! / sum
  })
  return {
    batch: B, slots: L, rows, frac,
    linearRows: Int32Array.from(frac, (f) => linearRow(f)),
    logRows: Int32Array.from(frac, (f) => logRow(f)),
  }
}

/** N(0, 1) by Box–Muller from a uniform stream. */
function normal(r: Random): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
}

/** Fisher–Yates with one seeded stream per epoch. */
function shuffled(idx: readonly number[], seed: number, epoch: number): number[] {
  const r = mulberry32(streamSeed(seed, `crabnet.shuffle.${epoch}`))
  const a = idx.slice()
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

const chunks = <T>(xs: readonly T[], n: number): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n))

/** RobustL1 (utils.py L334-341): mean(√2·|ŷ − y|·exp(−log σ) + log σ). */
export function robustL1(prediction: tf.Tensor1D, logStd: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.add(tf.mul(tf.mul(tf.abs(tf.sub(prediction, y)), Math.SQRT2), tf.exp(tf.neg(logStd))), logStd)) as tf.Scalar
}

/** BCEWithLogitsLoss (utils.py L328-330) on the gated output as the logit. */
export function bceWithLogits(logit: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
  // max(x, 0) − x·y + log(1 + e^−|x|), the stable form torch uses
  return tf.mean(tf.add(tf.sub(tf.relu(logit), tf.mul(logit, y)), tf.log1p(tf.exp(tf.neg(tf.abs(logit)))))) as tf.Scalar
}

/**
 * One training step as model.py L129-139: forward, loss, backward, Lamb step at `lr`, Lookahead.
 * (SWA and the LR schedule live in the loop.) Returns the loss.
 */
export class CrabnetTrainer {
  private readonly lamb: Lamb
  private readonly lookahead: Lookahead
  constructor(readonly model: CrabnetModel, readonly task: CrabnetOptions["task"] = "regression") {
    this.lamb = new Lamb(model.params.trainable)
    this.lookahead = new Lookahead(model.params.trainable)
  }

  /** Loss and gradients (by parameter name) without stepping: what the PyTorch comparison checks. */
  gradients(batch: CrabnetBatch, y: Float32Array, rng: Random | null): { loss: number; grads: Map<string, tf.Tensor> } {
    const vars = this.model.params.trainable
    const yt = tf.tensor1d(y)
    const { value, grads } = tf.variableGrads(() => {
      const o = this.model.forward(batch, rng)
      return this.task === "classification" ? bceWithLogits(o.prediction, yt) : robustL1(o.prediction, o.logStd, yt)
    }, vars)
    yt.dispose()
    const loss = value.dataSync()[0]!
    value.dispose()
    const byName = new Map<string, tf.Tensor>()
    for (const [name, v] of this.model.params.named) if (v.trainable) byName.set(name, grads[v.name]!)
    return { loss, grads: byName }
  }

  step(batch: CrabnetBatch, y: Float32Array, lr: number, rng: Random | null): number {
    const { loss, grads } = this.gradients(batch, y, rng)
    const vars = this.model.params.trainable
    const byVar = new Map([...this.model.params.named].map(([n, v]) => [v, grads.get(n)]))
    this.lamb.step(vars.map((v) => byVar.get(v)!), lr)
    this.lookahead.afterStep()
    tf.dispose([...grads.values()])
    return loss
  }

  dispose(): void {
    this.lamb.dispose()
    this.lookahead.dispose()
  }
}

/** Unbiased mean/std of the training targets (torch.std), or identity for classification (DummyScaler). */
function scalerOf(task: CrabnetOptions["task"], targets: readonly number[], train: readonly number[]) {
  if (task === "classification") return { mean: 0, std: 1 }
  const n = train.length
  const mean = train.reduce((a, i) => a + targets[i]!, 0) / n
  const v = train.reduce((a, i) => a + (targets[i]! - mean) ** 2, 0) / Math.max(n - 1, 1)
  return { mean, std: Math.sqrt(v) || 1 }
}

export async function trainCrabnet(
  table: CrabnetTable,
  samples: readonly CrabnetSample[],
  targets: readonly number[],
  split: { train: number[]; validation: number[]; test: number[] },
  options: CrabnetOptions,
): Promise<CrabnetResult> {
  const backend = await initBackend()
  const used = [...new Set([...split.train, ...split.validation, ...split.test])]
  const missing = missingSymbols(table, used.map((i) => samples[i]!))
  if (missing.length > 0) {
    throw new Error(`crabnet: table ${table.name} has no vector for ${missing.map((m) => `${m.symbol} (${m.samples} formulas)`).join(", ")}; drop those formulas or use a table that covers them`)
  }
  if (split.train.length === 0 || split.validation.length === 0) throw new Error("crabnet: the split needs training and validation formulas")
  if (table.vectors.length !== table.symbols.length * table.dim) {
    throw new Error(`crabnet: table ${table.name} has ${table.vectors.length} values, expected ${table.symbols.length} × ${table.dim}`)
  }
  const rowOf = new Map(table.symbols.map((s, i) => [s, i + 1]))
  const enc = new Map(used.map((i) => [i, encode(samples[i]!, rowOf)]))
  const classify = options.task === "classification"
  const scaler = scalerOf(options.task, targets, split.train)
  const batchSize = options.batchSize ?? crabnetBatchSize(split.train.length)
  const model = new CrabnetModel(
    { dModel: options.dModel, heads: options.heads, layers: options.layers, ffn: options.ffn, outHidden: options.outHidden, dropout: options.dropout },
    table.vectors, table.dim, options.seed,
  )
  const trainer = new CrabnetTrainer(model, options.task)
  const swa = new Swa(model.params.trainable)
  const sigma = options.jitter ?? 0.02
  const jitterRng = mulberry32(streamSeed(options.seed, "crabnet.jitter"))
  const dropoutRng = mulberry32(streamSeed(options.seed, "crabnet.dropout"))
  const fixed = (idx: readonly number[]) => chunks(idx, batchSize).map((c) => ({ idx: c, batch: makeBatch(c.map((i) => enc.get(i)!), null) }))
  const validation = fixed(split.validation)

  /** Predictions in target units (probabilities for classification) and σ, evaluation mode. */
  const predict = (parts: { idx: number[]; batch: CrabnetBatch }[]) =>
    parts.flatMap(({ idx, batch }) => {
      const [p, s] = tf.tidy(() => {
        const o = model.forward(batch, null)
        return [classify ? tf.sigmoid(o.prediction) : o.prediction, o.logStd]
      })
      const pv = p!.dataSync(), sv = s!.dataSync()
      p!.dispose()
      s!.dispose()
      return idx.map((index, j) => ({
        index, target: targets[index]!,
        prediction: classify ? pv[j]! : pv[j]! * scaler.std + scaler.mean,
        ...(classify ? {} : { uncertainty: Math.exp(sv[j]!) * scaler.std }),
      }))
    })
  const validationMae = () => {
    const rows = predict(validation)
    return rows.reduce((a, r) => a + Math.abs(r.prediction - r.target), 0) / rows.length
  }

  const stepsPerEpoch = Math.ceil(split.train.length / batchSize)
  const history: CrabnetEpoch[] = []
  let step = 0
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      // model.py train(): SWA's check after every batch of every odd epoch (epochs_step 1, swa_start 2)
      const learningTime = (epoch + 1) % 2 === 0 && epoch >= 1
      let lossSum = 0, lastMae = NaN
      const minima: boolean[] = []
      const order = chunks(shuffled(split.train, options.seed, epoch), batchSize)
      for (const idx of order) {
        const batch = makeBatch(idx.map((i) => enc.get(i)!), sigma > 0 ? { sigma, rng: jitterRng } : null)
        const y = Float32Array.from(idx, (i) => (targets[i]! - scaler.mean) / scaler.std)
        lossSum += trainer.step(batch, y, cyclicLr(step++, stepsPerEpoch), dropoutRng)
        if (learningTime) {
          lastMae = validationMae()
          swa.update(lastMae)
          minima.push(swa.minimumFound)
        }
      }
      if (learningTime && !minima.some(Boolean)) swa.discardCount++
      const log = { epoch: epoch + 1, epochs: options.epochs, trainLoss: lossSum / order.length, validationScore: learningTime ? lastMae : validationMae() }
      history.push(log)
      options.onEpoch?.(log)
      if (swa.discardCount >= 3) break
    }
    swa.swap()
    return {
      test: predict(fixed(split.test)),
      validationScore: validationMae(),
      history,
      epochsRun: history.length,
      backend: backend.label,
      parameters: model.params.trainable.reduce((a, v) => a + v.size, 0),
    }
  } finally {
    trainer.dispose()
    swa.dispose()
    model.dispose()
  }
}

// One CGCNN training step on the reference batch (cgcnn-batch.ts), built from models/ops.ts exactly as
// ../shared/bench/cgcnn-step/cgcnn_torch.py builds it (split weights, BN over edges, BN over atoms,
// softplus residual, mean pool, Linear-softplus-Linear, MSE, Adam 1e-3): the yardstick for the backend.
import * as tf from "@tensorflow/tfjs-core"
import { batchNorm, type BatchNormState, cgcnnGate, dense, segmentMean, softplus } from "../../ops.js"
import type { CgcnnBatch } from "./cgcnn-batch.js"

export interface StepRunner {
  /** one Adam step; returns the loss before the update */
  step(): number
  dispose(): void
}

const rows = (W: Float32Array, cols: number, r0: number, r1: number): Float32Array => W.slice(r0 * cols, r1 * cols)

export function cgcnnStepRunner(b: CgcnnBatch): StepRunner {
  const { N, A, F, G, H, E } = b
  const keep: tf.Tensor[] = []
  const k = <T extends tf.Tensor>(t: T): T => (keep.push(t), t)
  const atom = k(tf.tensor2d(b.atom, [A, F]))
  const edge = k(tf.tensor2d(b.edge, [E, G]))
  const dst = k(tf.tensor1d(b.dst, "int32")), src = k(tf.tensor1d(b.src, "int32"))
  const crystal = k(tf.tensor1d(b.crystal, "int32"))
  const counts = k(tf.tensor2d(Float32Array.from(b.sizes), [N, 1]))
  const target = k(tf.tensor2d(b.target, [N, 1]))
  const vars: tf.Variable[] = []
  const v = (data: Float32Array, shape: number[], trainable = true): tf.Variable => {
    const t = tf.variable(tf.tensor(data, shape), trainable)
    vars.push(t)
    return t
  }
  const bnState = (n: number): BatchNormState => ({
    mean: v(new Float32Array(n), [n], false), variance: v(new Float32Array(n).fill(1), [n], false), momentum: 0.1,
  })
  const convs = b.convW.map((W, l) => ({
    gate: {
      wSelf: v(rows(W, 2 * F, 0, F), [F, 2 * F]) as tf.Variable<tf.Rank.R2>,
      wNbr: v(rows(W, 2 * F, F, 2 * F), [F, 2 * F]) as tf.Variable<tf.Rank.R2>,
      wEdge: v(rows(W, 2 * F, 2 * F, 2 * F + G), [G, 2 * F]) as tf.Variable<tf.Rank.R2>,
      bias: v(b.convB[l]!, [2 * F]) as tf.Variable<tf.Rank.R1>,
      gamma: v(new Float32Array(2 * F).fill(1), [2 * F]) as tf.Variable<tf.Rank.R1>,
      beta: v(new Float32Array(2 * F), [2 * F]) as tf.Variable<tf.Rank.R1>,
      state: bnState(2 * F),
    },
    gamma2: v(new Float32Array(F).fill(1), [F]) as tf.Variable<tf.Rank.R1>,
    beta2: v(new Float32Array(F), [F]) as tf.Variable<tf.Rank.R1>,
    state2: bnState(F),
  }))
  const fc1W = v(b.fc1W, [F, H]) as tf.Variable<tf.Rank.R2>, fc1B = v(b.fc1B, [H]) as tf.Variable<tf.Rank.R1>
  const fc2W = v(b.fc2W, [H, 1]) as tf.Variable<tf.Rank.R2>, fc2B = v(b.fc2B, [1]) as tf.Variable<tf.Rank.R1>
  const trainable = vars.filter((t) => t.trainable)
  const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8)

  const loss = (): tf.Scalar => {
    let x = atom as tf.Tensor2D
    for (const c of convs) {
      const s = cgcnnGate(x, edge, dst, src, c.gate, true)
      x = softplus(tf.add(x, batchNorm(s, c.gamma2, c.beta2, true, c.state2))) as tf.Tensor2D
    }
    const pooled = segmentMean(x, crystal, N, counts)
    const y = dense(softplus(dense(pooled, fc1W, fc1B)) as tf.Tensor2D, fc2W, fc2B)
    return tf.mean(tf.square(tf.sub(y, target)))
  }
  return {
    step: () =>
      tf.tidy(() => {
        const l = opt.minimize(loss, true, trainable)!
        return l.dataSync()[0]!
      }),
    dispose: () => {
      opt.dispose()
      for (const t of [...keep, ...vars]) t.dispose()
    },
  }
}

/** Median and spread of `steps` timed steps after `warmup` untimed ones (wall clock, ms). */
export function timeSteps(r: StepRunner, warmup: number, steps: number): { medianMs: number; p10Ms: number; p90Ms: number; losses: number[] } {
  const losses: number[] = []
  for (let i = 0; i < warmup; i++) losses.push(r.step())
  const ms: number[] = []
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now()
    losses.push(r.step())
    ms.push(performance.now() - t0)
  }
  ms.sort((a, b) => a - b)
  const q = (p: number): number => ms[Math.min(ms.length - 1, Math.round(p * (ms.length - 1)))]!
  return { medianMs: q(0.5), p10Ms: q(0.1), p90Ms: q(0.9), losses }
}

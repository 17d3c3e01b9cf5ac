// CrabNet's optimiser stack, SWA(Lookahead(Lamb)) with a triangular cyclic learning rate, restating
// ../shared/bench/crabnet-step/utils/utils.py (Lamb L637-751, Lookahead L754-794), utils/optim.py (SWA
// L146-239) and crabnet/model.py's use of them, quirks included (listed in that folder's README):
// Lamb without bias correction and with ‖w‖ clamped to 10; Lookahead's slow copy made at the first sync
// (step k), so that sync changes nothing; SWA resets and folds in weights with decay (1/(n+1))^(1/3),
// and a reset also folds (n counts twice then). Written with tfjs ops on the variables (any backend).
import * as tf from "@tensorflow/tfjs-core"
import { FusedKernel, hasKernel } from "../ops.js"

/** torch CyclicLR(base 1e-4, max 6e-3, triangular, step_size_up = batches per epoch), at scheduler step t (0-based). */
export function cyclicLr(t: number, stepSizeUp: number, base = 1e-4, max = 6e-3): number {
  const cycle = Math.floor(1 + t / (2 * stepSizeUp))
  const x = Math.abs(t / stepSizeUp - 2 * cycle + 1)
  return base + (max - base) * Math.max(0, 1 - x)
}

const zerosLike = (v: tf.Variable): tf.Variable => tf.variable(tf.zerosLike(v), false)

/** Lamb (You et al. 2019, arXiv:1904.00962 v3 as CrabNet has it): betas (0.9, 0.999), eps 1e-6, no weight decay. */
export class Lamb {
  private readonly m: tf.Variable[]
  private readonly v: tf.Variable[]
  constructor(readonly vars: readonly tf.Variable[], readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-6) {
    this.m = vars.map(zerosLike)
    this.v = vars.map(zerosLike)
  }

  step(grads: readonly tf.Tensor[], lr: number): void {
    if (hasKernel(FusedKernel.lamb)) {
      const attrs = { lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps }
      this.vars.forEach((w, i) => {
        // the kernel updates this.m[i] and this.v[i] in place: they are this optimiser's own buffers
        const w2 = tf.engine().runKernel(FusedKernel.lamb, { w, g: grads[i]!, m: this.m[i]!, v: this.v[i]! }, attrs) as tf.Tensor
        w.assign(w2)
        w2.dispose()
      })
      return
    }
    this.vars.forEach((w, i) =>
      tf.tidy(() => {
        const g = grads[i]!, m = this.m[i]!, v = this.v[i]!
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)))
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.mul(g, 1 - this.beta2), g)))
        const u = tf.div(m, tf.add(tf.sqrt(v), this.eps))
        const norm = (x: tf.Tensor) => tf.sqrt(tf.sum(tf.square(x)))
        const wn = tf.clipByValue(norm(w), 0, 10), un = norm(u)
        // trust 1 where either norm is 0 (zero-initialised biases at step 1, the pos_scalers' zero gradient)
        const trust = tf.where(tf.logicalOr(tf.equal(wn, 0), tf.equal(un, 0)), tf.onesLike(wn), tf.div(wn, un))
        w.assign(tf.add(w, tf.mul(tf.mul(trust, -lr), u)))
      }),
    )
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose()
  }
}

/** Lookahead (Zhang et al. 2019): every k-th step, slow += α·(fast − slow); fast = slow. The counter never resets. */
export class Lookahead {
  private slow: tf.Variable[] | null = null
  private steps = 0
  constructor(readonly vars: readonly tf.Variable[], readonly alpha = 0.5, readonly k = 6) {}

  /** Call after every base-optimiser step. */
  afterStep(): void {
    if (++this.steps % this.k !== 0) return
    // utils.py L767-770: the slow buffer is created from the fast weights at the first sync
    this.slow ??= this.vars.map((v) => tf.variable(v.clone(), false))
    this.vars.forEach((fast, i) =>
      tf.tidy(() => {
        const slow = this.slow![i]!
        slow.assign(tf.add(slow, tf.mul(tf.sub(fast, slow), this.alpha)))
        fast.assign(slow)
      }),
    )
  }

  dispose(): void {
    for (const t of this.slow ?? []) t.dispose()
  }
}

/** CrabNet's SWA bookkeeping (utils/optim.py update_swa / update_swa_group / swap_swa_sgd). */
export class Swa {
  private buffers: tf.Variable[] | null = null
  private nAvg = 0
  private minimumMae = 1e9
  private maximumMae = 1e9
  /** whether the last update folded the weights in (an odd epoch without any counts as discarded) */
  minimumFound = false
  discardCount = 0
  constructor(readonly vars: readonly tf.Variable[]) {}

  private fold(reset: boolean): void {
    if (reset || this.buffers === null) {
      for (const b of this.buffers ?? []) b.dispose()
      this.buffers = this.vars.map(zerosLike)
      if (reset) this.nAvg = 0
    }
    const decay = (1 / (this.nAvg + 1)) ** (1 / 3)
    this.vars.forEach((w, i) => tf.tidy(() => {
      const b = this.buffers![i]!
      b.assign(tf.add(b, tf.mul(tf.sub(w, b), decay)))
    }))
    this.nAvg++
  }

  /** After a batch of an odd epoch, with the validation MAE of the current weights. */
  update(mae: number): void {
    this.minimumFound = false
    if (mae < 0.98 * this.maximumMae) {
      this.fold(true)
      this.maximumMae = mae
    }
    if (mae < this.minimumMae) this.minimumMae = mae
    if (mae <= 1.01 * this.minimumMae) {
      this.fold(false)
      this.minimumFound = true
    }
  }

  /** End of training: the weights become the average (no-op when no update ever happened, as swap_swa_sgd warns). */
  swap(): void {
    if (this.buffers === null) return
    this.vars.forEach((w, i) => {
      const keep = w.clone()
      w.assign(this.buffers![i]!)
      this.buffers![i]!.assign(keep)
      keep.dispose()
    })
  }

  dispose(): void {
    for (const t of this.buffers ?? []) t.dispose()
  }
}

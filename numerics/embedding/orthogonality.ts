// Channel orthogonality of hybrid models (thesis §4.2.2, eq. 4.2, Table 4.1):
// θ_i = arccos(h_i·l_i / ‖h_i‖‖l_i‖) between the projected handcrafted vector h_i and the learnable
// vector l_i of each element; per model the mean and (population) variance of θ in degrees.
import { mulberry32 } from "../random.js"

const DEG = 180 / Math.PI

/** Per-row angle in degrees between the rows of H and L (n×d each). Zero rows give NaN. */
export function channelAngles(H: Float64Array, L: Float64Array, n: number, d: number): Float64Array {
  if (H.length !== n * d || L.length !== n * d) throw new Error(`expected two ${n}×${d} matrices`)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let hl = 0, hh = 0, ll = 0
    for (let k = 0; k < d; k++) {
      const h = H[i * d + k]!, l = L[i * d + k]!
      hl += h * l
      hh += h * h
      ll += l * l
    }
    const c = hl / Math.sqrt(hh * ll)
    out[i] = Math.acos(Math.max(-1, Math.min(1, c))) * DEG
  }
  return out
}

export interface AngleSummary {
  mean: number
  /** population variance (ddof 0), deg² */
  variance: number
  n: number
}

export function summariseAngles(angles: ArrayLike<number>): AngleSummary {
  const xs = Array.from(angles).filter((x) => !Number.isNaN(x))
  const n = xs.length
  if (n === 0) return { mean: Number.NaN, variance: Number.NaN, n: 0 }
  const mean = xs.reduce((a, b) => a + b, 0) / n
  return { mean, variance: xs.reduce((a, b) => a + (b - mean) ** 2, 0) / n, n }
}

/**
 * The untrained baseline of Table 4.1: h = W·x + b with PyTorch's default Linear init
 * (W, b ~ U(±1/√fan_in)) applied to the handcrafted descriptor rows X (n×p), l ~ N(0, 1)
 * (nn.Embedding's default), angles between them. Seeded; same distributions as PyTorch, not the same draws.
 */
export function untrainedAngles(X: Float64Array, n: number, p: number, dim: number, seed: number): Float64Array {
  const r = mulberry32(seed)
  const bound = 1 / Math.sqrt(p)
  const W = Float64Array.from({ length: dim * p }, () => (2 * r() - 1) * bound)
  const b = Float64Array.from({ length: dim }, () => (2 * r() - 1) * bound)
  const H = new Float64Array(n * dim)
  for (let i = 0; i < n; i++)
    for (let o = 0; o < dim; o++) {
      let s = b[o]!
      for (let k = 0; k < p; k++) s += W[o * p + k]! * X[i * p + k]!
      H[i * dim + o] = s
    }
  const L = Float64Array.from({ length: n * dim }, () => gaussian(r))
  return channelAngles(H, L, n, dim)
}

/** Box–Muller standard normal. */
export function gaussian(r: () => number): number {
  const u = 1 - r() // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r())
}

// The deterministic synthetic CGCNN batch and initial weights of ../shared/bench/cgcnn-step/gen_data.js,
// regenerated in memory (same mulberry32 stream, same draw order), so the step benchmark and
// `pipeline doctor` run the very numbers PyTorch runs there: 64 crystals, 1,536 atoms, 12 neighbours
// per atom (18,432 edges), atom dim 64, Gaussian edge dim 41, 3 conv layers, hidden 128.

export interface CgcnnBatch {
  N: number; A: number; M: number; F: number; G: number; H: number; L: number; E: number
  sizes: number[]
  atom: Float32Array; edge: Float32Array; /** edge length (Å) behind each Gaussian row */ dist: Float32Array; dst: Int32Array; src: Int32Array; crystal: Int32Array; target: Float32Array
  /** conv l weight [2F+G, 2F] (in, out) row-major, bias [2F]; fc1 [F, H]; fc2 [H, 1] */
  convW: Float32Array[]; convB: Float32Array[]
  fc1W: Float32Array; fc1B: Float32Array; fc2W: Float32Array; fc2B: Float32Array
}

/** Same generator as gen_data.js (the draw order matters: it fixes every number). */
export function cgcnnBatch(scale: { N?: number; A?: number } = {}): CgcnnBatch {
  const N = scale.N ?? 64, A = scale.A ?? 1536, M = 12, F = 64, G = 41, H = 128, L = 3
  let s = 12345 >>> 0
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const randn = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd())

  const sizes: number[] = []
  for (let c = 0; c < N; c++) sizes.push(16 + Math.floor(rnd() * 17))
  let diff = A - sizes.reduce((a, b) => a + b, 0)
  for (let c = 0; diff !== 0; c = (c + 1) % N) {
    if (diff > 0 && sizes[c]! < 40) { sizes[c]!++; diff-- }
    else if (diff < 0 && sizes[c]! > 13) { sizes[c]!--; diff++ }
  }
  const crystal = new Int32Array(A)
  const start: number[] = []
  {
    let a = 0
    for (let c = 0; c < N; c++) { start.push(a); for (let k = 0; k < sizes[c]!; k++) crystal[a++] = c }
  }
  const E = A * M
  const dst = new Int32Array(E), src = new Int32Array(E)
  const edge = new Float32Array(E * G), dist = new Float32Array(E)
  for (let i = 0; i < A; i++) {
    const c = crystal[i]!
    for (let m = 0; m < M; m++) {
      const e = i * M + m
      dst[e] = i
      src[e] = start[c]! + Math.floor(rnd() * sizes[c]!)
      const d = 1.5 + 4.5 * rnd()
      dist[e] = d
      for (let g = 0; g < G; g++) { const mu = 0.2 * g; edge[e * G + g] = Math.exp(-((d - mu) ** 2) / 0.04) }
    }
  }
  const atom = new Float32Array(A * F).map(() => randn())
  const target = new Float32Array(N).map(() => randn())
  const uniform = (n: number, fanIn: number): Float32Array => {
    const b = 1 / Math.sqrt(fanIn)
    return new Float32Array(n).map(() => (2 * rnd() - 1) * b)
  }
  const convW: Float32Array[] = [], convB: Float32Array[] = []
  for (let l = 0; l < L; l++) {
    convW.push(uniform((2 * F + G) * 2 * F, 2 * F + G))
    convB.push(uniform(2 * F, 2 * F + G))
  }
  const fc1W = uniform(F * H, F), fc1B = uniform(H, F)
  const fc2W = uniform(H, H), fc2B = uniform(1, H)
  return { N, A, M, F, G, H, L, E, sizes, atom, edge, dist, dst, src, crystal, target, convW, convB, fc1W, fc1B, fc2W, fc2B }
}

// numerics/optim/lbfgs.ts: limited-memory BFGS (Nocedal 1980, doi:10.1090/S0025-5718-1980-0572855-7; Nocedal &
// Wright, Numerical Optimization, alg. 7.4 two-loop recursion + alg. 3.5/3.6 strong-Wolfe line search).
// The thesis (§3.1.3) minimised with scipy.optimize.minimize, a quasi-Newton method; `lbfgsPositive` keeps
// the variables (gaps) positive by optimising their logarithms, x = exp(u), which needs no bound handling and
// leaves the minimiser of a problem whose optimum is interior unchanged.

/** Objective: returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number

export interface LbfgsOptions {
  /** history size (scipy's L-BFGS-B default 10) */
  m?: number
  maxIter?: number
  /** stop when max |g_i| ≤ gtol */
  gtol?: number
  /** stop when the relative decrease of f is ≤ ftol (scipy's factr·eps analogue) */
  ftol?: number
}

export interface LbfgsResult {
  x: Float64Array
  f: number
  /** max-norm of the gradient at x */
  gNorm: number
  iterations: number
  evaluations: number
  converged: boolean
  reason: "gtol" | "ftol" | "maxIter" | "lineSearch"
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}
const maxAbs = (a: Float64Array): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]))
  return s
}

export function lbfgs(fn: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length
  const m = opts.m ?? 10
  const maxIter = opts.maxIter ?? 10_000
  const gtol = opts.gtol ?? 1e-8
  const ftol = opts.ftol ?? 1e-15
  const x = Float64Array.from(x0)
  const g = new Float64Array(n)
  const d = new Float64Array(n)
  const xNew = new Float64Array(n)
  const gNew = new Float64Array(n)
  const S = Array.from({ length: m }, () => new Float64Array(n))
  const Y = Array.from({ length: m }, () => new Float64Array(n))
  const rho = new Float64Array(m)
  const alpha = new Float64Array(m)
  let stored = 0
  let head = 0
  let evaluations = 1
  let f = fn(x, g)
  if (!Number.isFinite(f)) throw new RangeError(`lbfgs: objective is not finite at the start (${f})`)
  let iterations = 0
  let reason: LbfgsResult["reason"] = "maxIter"
  if (maxAbs(g) <= gtol) reason = "gtol"
  else
    for (; iterations < maxIter; iterations++) {
      // two-loop recursion: d = −H·g
      for (let i = 0; i < n; i++) d[i] = -g[i]
      for (let k = 0; k < stored; k++) {
        const j = (head - 1 - k + m) % m
        alpha[j] = rho[j] * dot(S[j], d)
        const yj = Y[j]
        for (let i = 0; i < n; i++) d[i] -= alpha[j] * yj[i]
      }
      if (stored > 0) {
        const j = (head - 1 + m) % m
        const gamma = dot(S[j], Y[j]) / dot(Y[j], Y[j])
        for (let i = 0; i < n; i++) d[i] *= gamma
      }
      for (let k = stored - 1; k >= 0; k--) {
        const j = (head - 1 - k + m) % m
        const beta = rho[j] * dot(Y[j], d)
        const sj = S[j]
        for (let i = 0; i < n; i++) d[i] += (alpha[j] - beta) * sj[i]
      }
      let dg = dot(d, g)
      if (!(dg < 0)) {
        // not a descent direction (numerical trouble): restart from steepest descent
        stored = 0
        for (let i = 0; i < n; i++) d[i] = -g[i]
        dg = dot(d, g)
      }
      const step0 = stored === 0 ? Math.min(1, 1 / maxAbs(g)) : 1
      const ls = wolfe(fn, x, f, g, d, dg, step0, xNew, gNew)
      evaluations += ls.evaluations
      if (!ls.ok) {
        reason = "lineSearch"
        break
      }
      const fOld = f
      const sH = S[head]
      const yH = Y[head]
      for (let i = 0; i < n; i++) {
        sH[i] = xNew[i] - x[i]
        yH[i] = gNew[i] - g[i]
      }
      const sy = dot(sH, yH)
      x.set(xNew)
      g.set(gNew)
      f = ls.f
      if (sy > 1e-300) {
        rho[head] = 1 / sy
        head = (head + 1) % m
        stored = Math.min(stored + 1, m)
      }
      if (maxAbs(g) <= gtol) {
        reason = "gtol"
        iterations++
        break
      }
      if (ftol > 0 && (fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
        reason = "ftol"
        iterations++
        break
      }
    }
  return { x, f, gNorm: maxAbs(g), iterations, evaluations, converged: reason === "gtol" || reason === "ftol", reason }
}

/** Strong-Wolfe line search by bracketing and bisection-safeguarded cubic zoom (Nocedal & Wright alg. 3.5/3.6). */
function wolfe(
  fn: Objective,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  d: Float64Array,
  dg0: number,
  step0: number,
  xNew: Float64Array,
  gNew: Float64Array,
): { ok: boolean; f: number; evaluations: number } {
  const c1 = 1e-4
  const c2 = 0.9
  const n = x.length
  let evaluations = 0
  const phi = (a: number): [number, number] => {
    for (let i = 0; i < n; i++) xNew[i] = x[i] + a * d[i]
    evaluations++
    const fa = fn(xNew, gNew)
    return [fa, Number.isFinite(fa) ? dot(gNew, d) : NaN]
  }
  // Near the minimum f changes below its rounding error and the Armijo test becomes noise; there accept a
  // step that meets the curvature condition without raising f beyond rounding (Hager & Zhang 2005's
  // approximate Wolfe conditions, doi:10.1137/030601880).
  const fEps = 1e-12 * Math.abs(f0)
  const approxWolfe = (fa: number, da: number) =>
    Number.isFinite(fa) && fa <= f0 + fEps && da >= c2 * dg0 && da <= (1 - 2 * c1) * -dg0 && Math.abs(da) <= -c2 * dg0
  let aPrev = 0
  let fPrev = f0
  let dPrev = dg0
  let a = step0
  for (let it = 0; it < 60; it++) {
    const [fa, da] = phi(a)
    if (!Number.isFinite(fa)) {
      // stepped out of the domain: shrink
      a = aPrev + (a - aPrev) / 4
      continue
    }
    if (approxWolfe(fa, da)) return { ok: true, f: fa, evaluations }
    if (fa > f0 + c1 * a * dg0 || (it > 0 && fa >= fPrev)) return zoom(aPrev, fPrev, dPrev, a, fa, da)
    if (Math.abs(da) <= -c2 * dg0) return { ok: true, f: fa, evaluations }
    if (da >= 0) return zoom(a, fa, da, aPrev, fPrev, dPrev)
    aPrev = a
    fPrev = fa
    dPrev = da
    a *= 2
  }
  return { ok: false, f: f0, evaluations }

  function zoom(lo: number, fLo: number, dLo: number, hi: number, fHi: number, dHi: number) {
    for (let it = 0; it < 60; it++) {
      // cubic interpolation, safeguarded into the middle of the bracket
      const d1 = dLo + dHi - (3 * (fLo - fHi)) / (lo - hi)
      const disc = d1 * d1 - dLo * dHi
      let a = NaN
      if (disc >= 0 && Number.isFinite(dHi)) {
        const d2 = Math.sign(hi - lo) * Math.sqrt(disc)
        a = hi - ((hi - lo) * (dHi + d2 - d1)) / (dHi - dLo + 2 * d2)
      }
      const left = Math.min(lo, hi)
      const width = Math.abs(hi - lo)
      if (!Number.isFinite(a) || a < left + 0.1 * width || a > left + 0.9 * width) a = (lo + hi) / 2
      const [fa, da] = phi(a)
      if (approxWolfe(fa, da)) return { ok: true, f: fa, evaluations }
      if (!Number.isFinite(fa) || fa > f0 + c1 * a * dg0 || fa >= fLo) {
        hi = a
        fHi = Number.isFinite(fa) ? fa : Infinity
        dHi = Number.isFinite(da) ? da : NaN
      } else {
        if (Math.abs(da) <= -c2 * dg0) return { ok: true, f: fa, evaluations }
        if (da * (hi - lo) >= 0) {
          hi = lo
          fHi = fLo
          dHi = dLo
        }
        lo = a
        fLo = fa
        dLo = da
      }
      if (width < 1e-16 * Math.max(1, Math.abs(lo))) break
    }
    // accept the best sufficient-decrease point found, if any
    if (lo > 0) {
      const [fa] = phi(lo)
      if (fa < f0) return { ok: true, f: fa, evaluations }
    }
    return { ok: false, f: f0, evaluations }
  }
}

/**
 * Minimise over x > 0 by L-BFGS on u = log x (chain rule ∂f/∂u = x·∂f/∂x). The gradient tolerance applies
 * to ∂f/∂u, i.e. to x·∂f/∂x, a scale-aware criterion for positive variables.
 */
export function lbfgsPositive(fn: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length
  for (let i = 0; i < n; i++) if (!(x0[i] > 0)) throw new RangeError(`lbfgsPositive: x0[${i}] = ${x0[i]} is not positive`)
  const x = new Float64Array(n)
  const gx = new Float64Array(n)
  const u0 = x0.map(Math.log)
  const res = lbfgs(
    (u, gu) => {
      for (let i = 0; i < n; i++) x[i] = Math.exp(u[i])
      const f = fn(x, gx)
      for (let i = 0; i < n; i++) gu[i] = gx[i] * x[i]
      return f
    },
    u0,
    opts,
  )
  return { ...res, x: res.x.map(Math.exp) }
}

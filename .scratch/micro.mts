const n = 1505*2048
const h = new Float32Array(n).map(() => Math.random() - 0.5), m = new Float32Array(n).map(() => Math.random() < 0.1 ? 0 : 1.1111)
function relu(h: Float32Array, m: Float32Array) { const y = new Float32Array(h.length); for (let i = 0; i < h.length; i++) { const v = h[i]!; y[i] = v > 0 ? v * m[i]! : v !== v ? v : 0 } return y }
for (let r = 0; r < 5; r++) { const t0 = performance.now(); relu(h, m); console.log("relu", (performance.now() - t0).toFixed(1)) }
const N = 3_000_000
const w = new Float32Array(N).map(() => Math.random()), g = new Float32Array(N).map(() => Math.random()), mm = new Float32Array(N), v = new Float32Array(N)
function lamb(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array) {
  const n = w.length, m2 = new Float32Array(n), v2 = new Float32Array(n), u = new Float32Array(n), w2 = new Float32Array(n)
  const c1 = Math.fround(0.1), c2 = Math.fround(0.001), f1 = Math.fround(0.9), f2 = Math.fround(0.999), eps = 1e-6
  let wn = 0, un = 0
  for (let i = 0; i < n; i++) {
    const gi = g[i]!, mi = (m2[i] = f1 * m[i]! + c1 * gi), vi = (v2[i] = f2 * v[i]! + c2 * gi * gi)
    const ui = (u[i] = mi / (Math.sqrt(vi) + eps))
    wn += w[i]! * w[i]!; un += ui * ui
  }
  const step = -1e-3 * Math.min(Math.sqrt(wn), 10) / Math.sqrt(un)
  for (let i = 0; i < n; i++) w2[i] = w[i]! + step * u[i]!
  return w2
}
for (let r = 0; r < 5; r++) { const t0 = performance.now(); lamb(w, g, mm, v); console.log("lamb 3M", (performance.now() - t0).toFixed(1)) }

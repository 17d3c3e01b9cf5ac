const n = 1505*2048
const h = new Float32Array(n).map(() => Math.random() - 0.5), m = new Float32Array(n).map(() => Math.random() < 0.1 ? 0 : 1.1111)
const t = (name: string, f: () => void) => { for (let r = 0; r < 4; r++) { const t0 = performance.now(); f(); if (r == 3) console.log(name, (performance.now() - t0).toFixed(1)) } }
t("alloc", () => { new Float32Array(n) })
t("alloc+fill", () => { new Float32Array(n).fill(1) })
const pre = new Float32Array(n)
t("branch into pre", () => { for (let i = 0; i < n; i++) { const v = h[i]!; pre[i] = v > 0 ? v * m[i]! : v !== v ? v : 0 } })
t("max into pre", () => { for (let i = 0; i < n; i++) pre[i] = Math.max(h[i]!, 0) * m[i]! })
t("max alloc", () => { const y = new Float32Array(n); for (let i = 0; i < n; i++) y[i] = Math.max(h[i]!, 0) * m[i]! })
t("grad branch", () => { const y = new Float32Array(n); for (let i = 0; i < n; i++) if (h[i]! > 0) y[i] = h[i]! * m[i]! })
t("grad branchless", () => { const y = new Float32Array(n); for (let i = 0; i < n; i++) y[i] = h[i]! > 0 ? h[i]! * m[i]! : 0 })

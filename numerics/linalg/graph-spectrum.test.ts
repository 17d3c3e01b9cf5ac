// Closed-form spectra (Brouwer & Haemers, "Spectra of Graphs", §1.4): complete graph, path, cycle, star.
import { describe, expect, it } from "vitest"
import { symmetricEigenvalues } from "./eigen.js"
import { graphSpectrum, laplacian } from "./graph-spectrum.js"

function graph(n: number, edges: [number, number][], w = 1): Float64Array {
  const A = new Float64Array(n * n)
  for (const [i, j] of edges) A[i * n + j] = A[j * n + i] = w
  return A
}
const complete = (n: number) => graph(n, Array.from({ length: n }, (_, i) => Array.from({ length: n - i - 1 }, (_, k) => [i, i + k + 1] as [number, number])).flat())
const path = (n: number) => graph(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]))
const cycle = (n: number) => graph(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]))
const star = (m: number) => graph(m + 1, Array.from({ length: m }, (_, i) => [0, i + 1] as [number, number]))
const sorted = (xs: number[]) => Float64Array.from(xs).sort()

// ml-matrix's QL iteration is backward stable: errors ~ n·ε·‖A‖
const TOL = 1e-10

function expectSpectrum(actual: Float64Array, expected: Float64Array) {
  expect(actual.length).toBe(expected.length)
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 10))
}

describe("symmetric eigenvalues of graphs with known spectra", () => {
  it("complete graph K_n: adjacency {n−1, −1×(n−1)}, Laplacian {0, n×(n−1)}", () => {
    for (const n of [2, 5, 12]) {
      const A = complete(n)
      expectSpectrum(symmetricEigenvalues(A, n), sorted([n - 1, ...Array(n - 1).fill(-1)]))
      expectSpectrum(symmetricEigenvalues(laplacian(A, n), n), sorted([0, ...Array(n - 1).fill(n)]))
      const s = graphSpectrum(A, n)
      expect(s.spectralRadius).toBeCloseTo(n - 1, 10)
      expect(s.spectralGap).toBeCloseTo(n, 10)
      expect(s.fiedler).toBeCloseTo(n, 10)
    }
  })

  it("path P_n: adjacency 2cos(πk/(n+1)), Laplacian 2 − 2cos(πk/n)", () => {
    for (const n of [3, 8, 30]) {
      const A = path(n)
      expectSpectrum(symmetricEigenvalues(A, n), sorted(Array.from({ length: n }, (_, k) => 2 * Math.cos((Math.PI * (k + 1)) / (n + 1)))))
      expectSpectrum(symmetricEigenvalues(laplacian(A, n), n), sorted(Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos((Math.PI * k) / n))))
      const s = graphSpectrum(A, n)
      expect(s.spectralGap).toBeCloseTo(2 * Math.cos(Math.PI / (n + 1)) - 2 * Math.cos((2 * Math.PI) / (n + 1)), 10)
      expect(s.fiedler).toBeCloseTo(2 - 2 * Math.cos(Math.PI / n), 10)
    }
  })

  it("cycle C_n: adjacency 2cos(2πk/n), Fiedler 2 − 2cos(2π/n)", () => {
    for (const n of [4, 9, 25]) {
      const A = cycle(n)
      expectSpectrum(symmetricEigenvalues(A, n), sorted(Array.from({ length: n }, (_, k) => 2 * Math.cos((2 * Math.PI * k) / n))))
      const s = graphSpectrum(A, n)
      expect(s.spectralRadius).toBeCloseTo(2, 10)
      expect(s.spectralGap).toBeCloseTo(2 - 2 * Math.cos((2 * Math.PI) / n), 10)
      expect(s.fiedler).toBeCloseTo(2 - 2 * Math.cos((2 * Math.PI) / n), 10)
    }
  })

  it("star K_{1,m}: adjacency {±√m, 0×(m−1)}, Laplacian {0, 1×(m−1), m+1}; weights scale the spectrum", () => {
    for (const m of [3, 10]) {
      const n = m + 1
      expectSpectrum(symmetricEigenvalues(star(m), n), sorted([Math.sqrt(m), -Math.sqrt(m), ...Array(m - 1).fill(0)]))
      expectSpectrum(symmetricEigenvalues(laplacian(star(m), n), n), sorted([0, ...Array(m - 1).fill(1), m + 1]))
      const w = 0.37
      const A = graph(n, Array.from({ length: m }, (_, i) => [0, i + 1] as [number, number]), w)
      const s = graphSpectrum(A, n)
      expect(s.spectralRadius).toBeCloseTo(w * Math.sqrt(m), 10)
      expect(s.spectralGap).toBeCloseTo(w * Math.sqrt(m), 10)
      expect(s.fiedler).toBeCloseTo(w, 10)
    }
  })

  it("a disconnected graph has Fiedler value 0 (two disjoint edges)", () => {
    expect(Math.abs(graphSpectrum(graph(4, [[0, 1], [2, 3]]), 4).fiedler)).toBeLessThan(TOL)
  })

  it("rejects a non-symmetric matrix", () => {
    expect(() => symmetricEigenvalues(Float64Array.from([0, 1, 0, 0]), 2)).toThrow(/not symmetric/)
  })
})

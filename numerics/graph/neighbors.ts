// Periodic neighbour search with a cell list: every periodic image of every atom within r Å of each
// site, in time linear in the number of atoms (the same scheme as pymatgen's find_points_in_spheres,
// which the fixtures come from). Pure function over typed arrays; one structure per call.

export interface NeighborList {
  /** length nSites+1: the neighbours of site i are entries [offsets[i], offsets[i+1]) */
  readonly offsets: Int32Array
  readonly neighbor: Int32Array
  /** Å, float64 */
  readonly dist: Float64Array
  /**
   * lattice translation of each neighbour relative to the *unwrapped* fractional coordinates as
   * given (pymatgen's PeriodicNeighbor.image): neighbour cart = (frac[neighbor] + image) @ lattice,
   * measured from frac[centre] @ lattice.
   */
  readonly image: Int32Array
}

/** Sites closer than this are the site itself (pymatgen's numerical_tol = 1e-8 Å). */
const SELF_TOL = 1e-8

/**
 * All neighbours within `cutoff` Å (d ≤ cutoff, d > 1e-8) of every site, each site's list sorted by
 * (distance, neighbour index, image). `lattice` is 3×3 row-major with rows a, b, c (pymatgen's
 * Lattice.matrix); `frac` holds n×3 fractional coordinates, wrapped or not. With `nearest`, only
 * each site's first `nearest` entries of that order are kept (CGCNN's max_num_nbr), found by a
 * selection on distances instead of sorting every hit.
 */
export function neighborList(lattice: ArrayLike<number>, frac: ArrayLike<number>, cutoff: number, nearest = Infinity): NeighborList {
  const n = frac.length / 3
  const L = Array.from(lattice)
  const inv = invert3(L)
  // wrapped coordinates w = f − k with k = ⌊f⌋, so image = n_wrapped − k_j + k_i
  const w = new Float64Array(3 * n)
  const k = new Int32Array(3 * n)
  for (let t = 0; t < 3 * n; t++) {
    let fl = Math.floor(frac[t]!)
    let r = frac[t]! - fl
    if (r >= 1) {
      r -= 1
      fl += 1
    }
    w[t] = r
    k[t] = fl
  }
  // |column a of L⁻¹| = 1/d_a (d_a: spacing of the lattice planes normal to axis a). A neighbour of a
  // centre in [0,1)³ has fractional coordinate within r/d_a of the cell along a.
  const reach = [0, 1, 2].map((a) => cutoff * Math.hypot(inv[a]!, inv[3 + a]!, inv[6 + a]!))
  const nLo = reach.map((x) => -Math.ceil(x))
  const nHi = reach.map((x) => Math.ceil(x))

  // image points kept in the r-expanded cell
  let cap = 1024
  let px = new Float64Array(cap), py = new Float64Array(cap), pz = new Float64Array(cap)
  let pAtom = new Int32Array(cap)
  let pImg = new Int32Array(3 * cap)
  let m = 0
  for (let a = nLo[0]!; a <= nHi[0]!; a++)
    for (let b = nLo[1]!; b <= nHi[1]!; b++)
      for (let c = nLo[2]!; c <= nHi[2]!; c++)
        for (let j = 0; j < n; j++) {
          const fa = w[3 * j]! + a, fb = w[3 * j + 1]! + b, fc = w[3 * j + 2]! + c
          if (fa < -reach[0]! || fa > 1 + reach[0]! || fb < -reach[1]! || fb > 1 + reach[1]! || fc < -reach[2]! || fc > 1 + reach[2]!) continue
          if (m === cap) {
            cap *= 2
            px = grow(px, cap); py = grow(py, cap); pz = grow(pz, cap)
            pAtom = growI(pAtom, cap); pImg = growI(pImg, 3 * cap)
          }
          px[m] = fa * L[0]! + fb * L[3]! + fc * L[6]!
          py[m] = fa * L[1]! + fb * L[4]! + fc * L[7]!
          pz[m] = fa * L[2]! + fb * L[5]! + fc * L[8]!
          pAtom[m] = j
          pImg[3 * m] = a - k[3 * j]!
          pImg[3 * m + 1] = b - k[3 * j + 1]!
          pImg[3 * m + 2] = c - k[3 * j + 2]!
          m++
        }

  // cubic bins of edge `cutoff`: a centre's neighbours lie in its own bin and the 26 around it
  let x0 = Infinity, y0 = Infinity, z0 = Infinity, x1 = -Infinity, y1 = -Infinity, z1 = -Infinity
  for (let p = 0; p < m; p++) {
    x0 = Math.min(x0, px[p]!); x1 = Math.max(x1, px[p]!)
    y0 = Math.min(y0, py[p]!); y1 = Math.max(y1, py[p]!)
    z0 = Math.min(z0, pz[p]!); z1 = Math.max(z1, pz[p]!)
  }
  const bs = cutoff
  const nx = Math.floor((x1 - x0) / bs) + 1, ny = Math.floor((y1 - y0) / bs) + 1, nz = Math.floor((z1 - z0) / bs) + 1
  const binOf = (x: number, y: number, z: number) =>
    (Math.min(nx - 1, Math.floor((x - x0) / bs)) * ny + Math.min(ny - 1, Math.floor((y - y0) / bs))) * nz +
    Math.min(nz - 1, Math.floor((z - z0) / bs))
  const binStart = new Int32Array(nx * ny * nz + 1)
  const pBin = new Int32Array(m)
  for (let p = 0; p < m; p++) binStart[(pBin[p] = binOf(px[p]!, py[p]!, pz[p]!)) + 1]!++
  for (let b = 0; b < nx * ny * nz; b++) binStart[b + 1]! += binStart[b]!
  const fill = binStart.slice(0, nx * ny * nz)
  const binItems = new Int32Array(m)
  for (let p = 0; p < m; p++) binItems[fill[pBin[p]!]!++] = p

  // search, then sort each centre's hits
  const offsets = new Int32Array(n + 1)
  let outCap = Math.max(16, n * 16)
  let nbr = new Int32Array(outCap), dst = new Float64Array(outCap), img = new Int32Array(3 * outCap)
  let e = 0
  const r2 = cutoff * cutoff
  let hitP = new Int32Array(256), hitD = new Float64Array(256)
  let order = new Int32Array(256)
  let scratch = new Float64Array(256)
  for (let i = 0; i < n; i++) {
    const cx = w[3 * i]! * L[0]! + w[3 * i + 1]! * L[3]! + w[3 * i + 2]! * L[6]!
    const cy = w[3 * i]! * L[1]! + w[3 * i + 1]! * L[4]! + w[3 * i + 2]! * L[7]!
    const cz = w[3 * i]! * L[2]! + w[3 * i + 1]! * L[5]! + w[3 * i + 2]! * L[8]!
    const bx = Math.floor((cx - x0) / bs), by = Math.floor((cy - y0) / bs), bz = Math.floor((cz - z0) / bs)
    let h = 0
    for (let ix = Math.max(0, bx - 1); ix <= Math.min(nx - 1, bx + 1); ix++)
      for (let iy = Math.max(0, by - 1); iy <= Math.min(ny - 1, by + 1); iy++)
        for (let iz = Math.max(0, bz - 1); iz <= Math.min(nz - 1, bz + 1); iz++) {
          const b = (ix * ny + iy) * nz + iz
          for (let q = binStart[b]!; q < binStart[b + 1]!; q++) {
            const p = binItems[q]!
            const dx = px[p]! - cx, dy = py[p]! - cy, dz = pz[p]! - cz
            const d2 = dx * dx + dy * dy + dz * dz
            if (d2 > r2) continue
            const d = Math.sqrt(d2)
            if (d <= SELF_TOL) continue
            if (h === hitP.length) {
              hitP = growI(hitP, 2 * h); hitD = grow(hitD, 2 * h); order = new Int32Array(2 * h); scratch = new Float64Array(2 * h)
            }
            hitP[h] = p
            hitD[h] = d
            h++
          }
        }
    if (h > nearest) {
      // keep the hits no farther than the nearest-th smallest distance (ties included), sort only those
      const ds = scratch.subarray(0, h)
      ds.set(hitD.subarray(0, h))
      ds.sort()
      const thr = ds[nearest - 1]!
      let kept = 0
      for (let t = 0; t < h; t++)
        if (hitD[t]! <= thr) {
          hitP[kept] = hitP[t]!
          hitD[kept] = hitD[t]!
          kept++
        }
      h = kept
    }
    for (let t = 0; t < h; t++) order[t] = t
    const ord = order.subarray(0, h).sort((s, t) => hitD[s]! - hitD[t]! || pAtom[hitP[s]!]! - pAtom[hitP[t]!]! || imgCmp(pImg, hitP[s]!, hitP[t]!))
    h = Math.min(h, nearest)
    if (e + h > outCap) {
      outCap = Math.max(2 * outCap, e + h)
      nbr = growI(nbr, outCap); dst = grow(dst, outCap); img = growI(img, 3 * outCap)
    }
    for (let t = 0; t < h; t++) {
      const p = hitP[ord[t]!]!
      nbr[e] = pAtom[p]!
      dst[e] = hitD[ord[t]!]!
      img[3 * e] = pImg[3 * p]! + k[3 * i]!
      img[3 * e + 1] = pImg[3 * p + 1]! + k[3 * i + 1]!
      img[3 * e + 2] = pImg[3 * p + 2]! + k[3 * i + 2]!
      e++
    }
    offsets[i + 1] = e
  }
  return { offsets, neighbor: nbr.slice(0, e), dist: dst.slice(0, e), image: img.slice(0, 3 * e) }
}

function imgCmp(img: Int32Array, s: number, t: number): number {
  return img[3 * s]! - img[3 * t]! || img[3 * s + 1]! - img[3 * t + 1]! || img[3 * s + 2]! - img[3 * t + 2]!
}

function grow(a: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(size)
  b.set(a.subarray(0, Math.min(a.length, size)))
  return b
}
function growI(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size)
  b.set(a.subarray(0, Math.min(a.length, size)))
  return b
}

/** Inverse of a row-major 3×3 matrix (cofactors / determinant). */
export function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number]
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g
  const det = a * A + b * B + c * C
  if (!(Math.abs(det) > 1e-12)) throw new Error(`singular lattice (det ${det})`)
  return [
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ]
}

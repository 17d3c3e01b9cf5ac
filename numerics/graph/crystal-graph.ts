// The compact crystal-graph format shared by the graph builder (stages/graphs.ts) and training
// (models/): all structures of a task concatenated into typed arrays (CSR-like offsets), so a
// training batch is a slice and nothing is rebuilt per epoch. Gaussian edge features are expanded
// at batch time from distances (41 or 25 floats per edge would make the artifact 10–40× larger).
export type GraphKind = "cgcnn" | "megnet"

export interface CrystalGraphSet {
  readonly kind: GraphKind
  readonly nStructures: number
  /** length nStructures+1: atoms of structure s are [atomOffsets[s], atomOffsets[s+1]) */
  readonly atomOffsets: Int32Array
  /** atomic number of every atom */
  readonly atomZ: Int32Array
  /** length nStructures+1: edges of structure s are [edgeOffsets[s], edgeOffsets[s+1]) */
  readonly edgeOffsets: Int32Array
  /** centre atom of each directed edge, as a global atom index */
  readonly edgeSrc: Int32Array
  /** neighbour atom of each directed edge, as a global atom index */
  readonly edgeDst: Int32Array
  /** edge length in Å */
  readonly edgeDist: Float32Array
}

/**
 * Gaussian distance expansion exp(−(d − μ_k)² / width²) (CGCNN's GaussianDistance, Xie & Grossman
 * 2018; MEGNet's bond basis, Chen et al. 2019), row-major nEdges × nCentres.
 * CGCNN: centres {start: 0, stop: 8, step: 0.2} (41 centres, stop included as in np.arange(0, 8+0.2, 0.2)), width 0.2.
 * MEGNet: 25 centres linspace(0, 4, 25) as an array, width 0.4 — pass the array.
 */
export function gaussianExpand(
  dist: Float32Array,
  centres: number[] | { start: number; stop: number; step: number },
  width: number,
): Float32Array {
  const mu = Array.isArray(centres) ? centres : arange(centres.start, centres.stop, centres.step)
  const K = mu.length
  const out = new Float32Array(dist.length * K)
  const inv = 1 / (width * width)
  for (let e = 0; e < dist.length; e++) {
    const d = dist[e]!
    for (let k = 0; k < K; k++) {
      const x = d - mu[k]!
      out[e * K + k] = Math.exp(-x * x * inv)
    }
  }
  return out
}

/** start, start+step, … up to and including stop (to half a step's tolerance), computed as start + i·step. */
export function arange(start: number, stop: number, step: number): number[] {
  const n = Math.floor((stop - start) / step + 0.5) + 1
  return Array.from({ length: n }, (_, i) => start + i * step)
}

/** `count` evenly spaced values from start to stop inclusive (numpy.linspace). */
export function linspace(start: number, stop: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => (count === 1 ? start : start + ((stop - start) * i) / (count - 1)))
}

// ---- binary codec: magic "CGS1", kind byte, then little-endian counts and the typed arrays.
// Arrays start at 4-byte offsets so decoding is zero-copy views into one buffer.

const MAGIC = 0x31534743 // "CGS1" little-endian

export function encodeGraphSet(g: CrystalGraphSet): Uint8Array {
  const nA = g.atomZ.length
  const nE = g.edgeSrc.length
  const header = 4 * 4 // magic, kind, nStructures, nAtoms, (nEdges follows)
  const bytes = header + 4 + 4 * (g.nStructures + 1) * 2 + 4 * nA + 4 * nE * 3
  const buf = new ArrayBuffer(bytes)
  const view = new DataView(buf)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, g.kind === "cgcnn" ? 1 : 2, true)
  view.setUint32(8, g.nStructures, true)
  view.setUint32(12, nA, true)
  view.setUint32(16, nE, true)
  let off = 20
  const put = (a: Int32Array | Float32Array) => {
    new Uint8Array(buf, off, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    off += a.byteLength
  }
  put(g.atomOffsets)
  put(g.atomZ)
  put(g.edgeOffsets)
  put(g.edgeSrc)
  put(g.edgeDst)
  put(g.edgeDist)
  return new Uint8Array(buf)
}

export function decodeGraphSet(bytes: Uint8Array): CrystalGraphSet {
  // copy into an aligned buffer when the input view is not 4-byte aligned
  const b = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice()
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  if (b.byteLength < 20 || view.getUint32(0, true) !== MAGIC) throw new Error("not a crystal graph set (bad magic)")
  const kindByte = view.getUint32(4, true)
  const kind: GraphKind = kindByte === 1 ? "cgcnn" : kindByte === 2 ? "megnet" : (() => { throw new Error(`unknown graph kind ${kindByte}`) })()
  const nS = view.getUint32(8, true)
  const nA = view.getUint32(12, true)
  const nE = view.getUint32(16, true)
  const expected = 20 + 4 * ((nS + 1) * 2 + nA + 3 * nE)
  if (b.byteLength !== expected) throw new Error(`crystal graph set is ${b.byteLength} bytes, expected ${expected}`)
  let off = b.byteOffset + 20
  const i32 = (len: number) => {
    const a = new Int32Array(b.buffer, off, len)
    off += 4 * len
    return a
  }
  const f32 = (len: number) => {
    const a = new Float32Array(b.buffer, off, len)
    off += 4 * len
    return a
  }
  const atomOffsets = i32(nS + 1)
  const atomZ = i32(nA)
  const edgeOffsets = i32(nS + 1)
  const edgeSrc = i32(nE)
  const edgeDst = i32(nE)
  const edgeDist = f32(nE)
  return { kind, nStructures: nS, atomOffsets, atomZ, edgeOffsets, edgeSrc, edgeDst, edgeDist }
}

// Training batches sliced from a CrystalGraphSet (numerics/graph/crystal-graph.ts): the atoms and
// edges of a list of structures, re-indexed to the batch, plus the tensors a model consumes.
// Edge features are Gaussian-expanded here, at batch time (the graph artifact stores distances only).
import * as tf from "@tensorflow/tfjs-core"
import { type CrystalGraphSet, gaussianExpand } from "../numerics/graph/crystal-graph.js"

export interface GraphBatch {
  /** structures in the batch (indices into the graph set) */
  readonly structures: readonly number[]
  readonly atomZ: Int32Array
  /** batch-local crystal of each atom */
  readonly atomCrystal: Int32Array
  /** batch-local centre atom of each edge (the atom that receives the message) */
  readonly centre: Int32Array
  /** batch-local neighbour atom of each edge (the atom that sends it) */
  readonly nbr: Int32Array
  readonly edgeCrystal: Int32Array
  readonly edgeDist: Float32Array
}

export function sliceBatch(g: CrystalGraphSet, structures: readonly number[]): GraphBatch {
  let nA = 0
  let nE = 0
  for (const s of structures) {
    nA += g.atomOffsets[s + 1]! - g.atomOffsets[s]!
    nE += g.edgeOffsets[s + 1]! - g.edgeOffsets[s]!
  }
  const atomZ = new Int32Array(nA), atomCrystal = new Int32Array(nA)
  const centre = new Int32Array(nE), nbr = new Int32Array(nE), edgeCrystal = new Int32Array(nE)
  const edgeDist = new Float32Array(nE)
  let a = 0
  let e = 0
  structures.forEach((s, c) => {
    const a0 = g.atomOffsets[s]!, a1 = g.atomOffsets[s + 1]!
    const shift = a - a0 // global → batch-local atom index
    for (let i = a0; i < a1; i++, a++) {
      atomZ[a] = g.atomZ[i]!
      atomCrystal[a] = c
    }
    for (let k = g.edgeOffsets[s]!; k < g.edgeOffsets[s + 1]!; k++, e++) {
      // CrystalGraphSet: edgeSrc is the centre atom, edgeDst its neighbour
      centre[e] = g.edgeSrc[k]! + shift
      nbr[e] = g.edgeDst[k]! + shift
      edgeCrystal[e] = c
      edgeDist[e] = g.edgeDist[k]!
    }
  })
  return { structures, atomZ, atomCrystal, centre, nbr, edgeCrystal, edgeDist }
}

/** A Gaussian distance basis exp(−(d − μ_k)² / σ²) (CGCNN's GaussianDistance, matgl's BondExpansion). */
export interface GaussianBasis {
  readonly centres: readonly number[]
  readonly width: number
}

/** The tensors of one batch. Dispose with disposeBatch. */
export interface BatchTensors {
  readonly numCrystals: number
  readonly numAtoms: number
  readonly numEdges: number
  readonly z: tf.Tensor1D
  readonly atomCrystal: tf.Tensor1D
  readonly centre: tf.Tensor1D
  readonly nbr: tf.Tensor1D
  readonly edgeCrystal: tf.Tensor1D
  /** Gaussian-expanded distances [E, G] */
  readonly edge: tf.Tensor2D
  /** atoms per crystal [N, 1] (≥ 1) */
  readonly atomCounts: tf.Tensor2D
  /** edges per crystal [N, 1], clamped to ≥ 1 so a crystal without edges averages to 0 */
  readonly edgeCounts: tf.Tensor2D
  /** edges per centre atom [A, 1], clamped to ≥ 1 (isolated atoms average to 0) */
  readonly atomEdgeCounts: tf.Tensor2D
  /** host copies of the segment ids (per-crystal softmax maxima are taken on the host) */
  readonly host: GraphBatch
}

const countsOf = (ids: Int32Array, n: number): Float32Array => {
  const c = new Float32Array(n)
  for (const i of ids) c[i]!++
  for (let i = 0; i < n; i++) if (c[i] === 0) c[i] = 1
  return c
}

export function batchTensors(b: GraphBatch, basis: GaussianBasis): BatchTensors {
  const N = b.structures.length, A = b.atomZ.length, E = b.centre.length
  return {
    numCrystals: N,
    numAtoms: A,
    numEdges: E,
    z: tf.tensor1d(b.atomZ, "int32"),
    atomCrystal: tf.tensor1d(b.atomCrystal, "int32"),
    centre: tf.tensor1d(b.centre, "int32"),
    nbr: tf.tensor1d(b.nbr, "int32"),
    edgeCrystal: tf.tensor1d(b.edgeCrystal, "int32"),
    edge: tf.tensor2d(gaussianExpand(b.edgeDist, [...basis.centres], basis.width), [E, basis.centres.length]),
    atomCounts: tf.tensor2d(countsOf(b.atomCrystal, N), [N, 1]),
    edgeCounts: tf.tensor2d(countsOf(b.edgeCrystal, N), [N, 1]),
    atomEdgeCounts: tf.tensor2d(countsOf(b.centre, A), [A, 1]),
    host: b,
  }
}

export function disposeBatch(t: BatchTensors): void {
  for (const x of [t.z, t.atomCrystal, t.centre, t.nbr, t.edgeCrystal, t.edge, t.atomCounts, t.edgeCounts, t.atomEdgeCounts]) {
    x.dispose()
  }
}

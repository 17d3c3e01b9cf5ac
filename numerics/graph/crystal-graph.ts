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

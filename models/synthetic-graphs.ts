// Small synthetic crystal graphs for the model tests: a few atoms per structure, random neighbours
// and distances, and a target that depends on composition and bond lengths (so a model can fit it).
import type { CrystalGraphSet } from "../numerics/graph/crystal-graph.js"
import type { DescriptorMatrix } from "./element-input.js"
import { mulberry32 } from "./layers/params.js"

export interface SyntheticSet {
  readonly graphs: CrystalGraphSet
  readonly targets: Float64Array
  readonly descriptor: DescriptorMatrix
}

/** `isolated`: structures (by index) whose atoms get no edges at all. */
export function syntheticSet(
  n: number,
  seed: number,
  opts: { maxZ?: number; kind?: "cgcnn" | "megnet"; isolated?: readonly number[]; descriptorDim?: number } = {},
): SyntheticSet {
  const r = mulberry32(seed)
  const maxZ = opts.maxZ ?? 12
  const atomOffsets = [0], edgeOffsets = [0]
  const atomZ: number[] = [], src: number[] = [], dst: number[] = [], dist: number[] = []
  const targets = new Float64Array(n)
  const isolated = new Set(opts.isolated ?? [])
  for (let s = 0; s < n; s++) {
    const a0 = atomZ.length
    const nA = 2 + Math.floor(r() * 4)
    let t = 0
    for (let i = 0; i < nA; i++) {
      const z = 1 + Math.floor(r() * maxZ)
      atomZ.push(z)
      t += Math.sin(z) / nA
    }
    if (!isolated.has(s)) {
      for (let i = 0; i < nA; i++) {
        for (let k = 0; k < 3; k++) {
          const d = 1.5 + 3 * r()
          src.push(a0 + i)
          dst.push(a0 + Math.floor(r() * nA))
          dist.push(d)
          t += (0.2 * (d - 3)) / (3 * nA)
        }
      }
    }
    targets[s] = 10 + 5 * t
    atomOffsets.push(atomZ.length)
    edgeOffsets.push(src.length)
  }
  const cols = opts.descriptorDim ?? 16
  const data = new Float32Array((maxZ + 1) * cols)
  for (let z = 1; z <= maxZ; z++) data[z * cols + Math.floor(r() * cols)] = 1 // one-hot-like, as CGCNN's bins
  return {
    graphs: {
      kind: opts.kind ?? "cgcnn",
      nStructures: n,
      atomOffsets: Int32Array.from(atomOffsets),
      atomZ: Int32Array.from(atomZ),
      edgeOffsets: Int32Array.from(edgeOffsets),
      edgeSrc: Int32Array.from(src),
      edgeDst: Int32Array.from(dst),
      edgeDist: Float32Array.from(dist),
    },
    targets,
    descriptor: { rows: maxZ + 1, cols, data },
  }
}

// Random-forest regressor with scikit-learn's RandomForestRegressor semantics (Breiman 2001,
// doi:10.1023/A:1010933404324), for the composition screen of thesis §3.2.3 (Fig. 3.8):
//  - each tree is grown on a bootstrap sample (n draws with replacement), the draw counts acting as
//    sample weights over the distinct rows drawn, as sklearn's `_parallel_build_trees` does;
//  - max_features = 1.0 (every feature at every node, visited in a random order that breaks ties),
//    squared-error criterion via sklearn's proxy Σ_L²/W_L + Σ_R²/W_R, no depth limit,
//    min_samples_split 2, min_samples_leaf 1; a node whose weighted variance is ≤ machine ε is a leaf;
//  - a threshold is the midpoint of two consecutive distinct values (gaps below 1e-7 are not split,
//    sklearn's FEATURE_THRESHOLD); prediction is the mean of the trees' leaf means.
// Departure, for speed only: instead of sorting every feature at every node (sklearn's BestSplitter),
// each tree presorts the non-zero entries of every column once and keeps them sorted by stable
// partitioning down the tree. Zeros are one implicit block (their sums are the node's totals minus the
// non-zeros), so a node costs O(its non-zero entries) — composition vectors have ~2–6 of 103.
// The RNG differs from sklearn's, so single trees differ; the forest's accuracy is what is compared.
import { mulberry32, type Random } from "../random.js"

/** Compressed sparse rows: row i's entries are col/val[rowPtr[i] … rowPtr[i+1]). */
export interface SparseRows {
  readonly nRows: number
  readonly nCols: number
  readonly rowPtr: Int32Array
  readonly col: Int32Array
  readonly val: Float64Array
}

export interface ForestOptions {
  readonly nTrees?: number
  readonly seed?: number
  /** keep the bootstrap (sklearn's default); false grows every tree on all rows with weight 1 */
  readonly bootstrap?: boolean
  /** index of the first tree: tree t's RNG depends on (seed, t) only, so a forest split across
   * threads (numerics/forest/parallel.ts) is the same forest */
  readonly firstTree?: number
}

export interface Tree {
  /** per node: split feature, or −1 for a leaf */
  readonly feature: Int32Array
  readonly threshold: Float64Array
  readonly left: Int32Array
  readonly right: Int32Array
  /** per node: weighted mean of the targets that reached it */
  readonly value: Float64Array
}

export interface Forest {
  readonly nCols: number
  readonly trees: readonly Tree[]
}

const FEATURE_THRESHOLD = 1e-7
const EPSILON = 2.220446049250313e-16
/** relative gap below which two split gains count as equal (summation-order noise is ~1e-16) */
const TIE = 1e-12

/** Dense row-major n×d → sparse rows (exact zeros dropped). */
export function sparseFromDense(x: ArrayLike<number>, nRows: number, nCols: number): SparseRows {
  const rowPtr = new Int32Array(nRows + 1)
  const col: number[] = []
  const val: number[] = []
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const v = x[i * nCols + j]!
      if (v !== 0) {
        col.push(j)
        val.push(v)
      }
    }
    rowPtr[i + 1] = col.length
  }
  return { nRows, nCols, rowPtr, col: Int32Array.from(col), val: Float64Array.from(val) }
}

/** The rows `idx` of a sparse matrix, in that order. */
export function selectRows(x: SparseRows, idx: ArrayLike<number>): SparseRows {
  const rowPtr = new Int32Array(idx.length + 1)
  let nnz = 0
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!
    nnz += x.rowPtr[i + 1]! - x.rowPtr[i]!
    rowPtr[k + 1] = nnz
  }
  const col = new Int32Array(nnz)
  const val = new Float64Array(nnz)
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!
    col.set(x.col.subarray(x.rowPtr[i]!, x.rowPtr[i + 1]!), rowPtr[k]!)
    val.set(x.val.subarray(x.rowPtr[i]!, x.rowPtr[i + 1]!), rowPtr[k]!)
  }
  return { nRows: idx.length, nCols: x.nCols, rowPtr, col, val }
}

/** Fit `nTrees` trees (default 200, sklearn's RandomForestRegressor(n_estimators=200)). */
export function fitForest(x: SparseRows, y: ArrayLike<number>, opts: ForestOptions = {}): Forest {
  if (y.length !== x.nRows) throw new Error(`fitForest: ${x.nRows} rows but ${y.length} targets`)
  if (x.nRows === 0) throw new Error("fitForest: no rows")
  const nTrees = opts.nTrees ?? 200
  const columns = columnsOf(x)
  const trees: Tree[] = []
  const first = opts.firstTree ?? 0
  for (let t = first; t < first + nTrees; t++) {
    const rand = mulberry32(((opts.seed ?? 0) * 7919 + t * 104729 + 1) >>> 0)
    trees.push(growTree(x, columns, y, bootstrapWeights(x.nRows, opts.bootstrap ?? true, rand), rand))
  }
  return { nCols: x.nCols, trees }
}

/** Mean of the trees' predictions for every row. */
export function predictForest(forest: Forest, x: SparseRows): Float64Array {
  if (x.nCols !== forest.nCols) throw new Error(`predictForest: ${x.nCols} columns, forest has ${forest.nCols}`)
  const out = new Float64Array(x.nRows)
  const row = new Float64Array(x.nCols)
  for (let i = 0; i < x.nRows; i++) {
    const a = x.rowPtr[i]!, b = x.rowPtr[i + 1]!
    for (let k = a; k < b; k++) row[x.col[k]!] = x.val[k]!
    let s = 0
    for (const t of forest.trees) {
      let node = 0
      while (t.feature[node]! >= 0) node = row[t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!
      s += t.value[node]!
    }
    out[i] = s / forest.trees.length
    for (let k = a; k < b; k++) row[x.col[k]!] = 0
  }
  return out
}

/** Per column: the rows with a non-zero entry, sorted by value (computed once, shared by all trees). */
interface Columns {
  readonly ptr: Int32Array
  readonly row: Int32Array
  readonly val: Float64Array
}

function columnsOf(x: SparseRows): Columns {
  const count = new Int32Array(x.nCols + 1)
  for (let k = 0; k < x.col.length; k++) count[x.col[k]! + 1]!++
  for (let j = 0; j < x.nCols; j++) count[j + 1]! += count[j]!
  const ptr = count.slice()
  const fill = count.slice()
  const row = new Int32Array(x.col.length)
  const val = new Float64Array(x.col.length)
  for (let i = 0; i < x.nRows; i++)
    for (let k = x.rowPtr[i]!; k < x.rowPtr[i + 1]!; k++) {
      const j = x.col[k]!
      row[fill[j]!] = i
      val[fill[j]!++] = x.val[k]!
    }
  for (let j = 0; j < x.nCols; j++) {
    const a = ptr[j]!, b = ptr[j + 1]!
    const order = Array.from({ length: b - a }, (_, k) => a + k).sort((p, q) => val[p]! - val[q]! || row[p]! - row[q]!)
    const r = order.map((p) => row[p]!), v = order.map((p) => val[p]!)
    row.set(r, a)
    val.set(v, a)
  }
  return { ptr, row, val }
}

function bootstrapWeights(n: number, bootstrap: boolean, rand: Random): Float64Array {
  const w = new Float64Array(n)
  if (!bootstrap) return w.fill(1)
  for (let k = 0; k < n; k++) w[Math.floor(rand() * n)]! += 1
  return w
}

class TreeBuilder {
  feature: number[] = []
  threshold: number[] = []
  left: number[] = []
  right: number[] = []
  value: number[] = []
  add(value: number): number {
    this.feature.push(-1)
    this.threshold.push(0)
    this.left.push(-1)
    this.right.push(-1)
    this.value.push(value)
    return this.value.length - 1
  }
  done(): Tree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
    }
  }
}

/**
 * A node on the work stack: its rows are rows[r0, r1); only the columns with a non-zero entry among
 * them are listed (a column that is all zero in a node is constant there and cannot split it):
 * column feats[k]'s non-zeros are ent[cs[k], ce[k]). Deep nodes list a handful of the 103.
 */
interface Pending {
  readonly id: number
  readonly r0: number
  readonly r1: number
  readonly feats: Int32Array
  readonly cs: Int32Array
  readonly ce: Int32Array
}

function growTree(x: SparseRows, columns: Columns, y: ArrayLike<number>, w: Float64Array, rand: Random): Tree {
  const d = x.nCols
  // in-bag rows only (sklearn drops zero-weight rows before splitting)
  const inBag: number[] = []
  for (let i = 0; i < x.nRows; i++) if (w[i]! > 0) inBag.push(i)
  const rows = Int32Array.from(inBag)
  // per-column sorted non-zero entries of the in-bag rows (entry = row id; value looked up via ev)
  const cs0: number[] = [], ce0: number[] = [], f0: number[] = []
  let total = 0
  for (let j = 0; j < d; j++) for (let p = columns.ptr[j]!; p < columns.ptr[j + 1]!; p++) if (w[columns.row[p]!]! > 0) total++
  const ent = new Int32Array(total)
  const ev = new Float64Array(total)
  let k = 0
  for (let j = 0; j < d; j++) {
    const start = k
    for (let p = columns.ptr[j]!; p < columns.ptr[j + 1]!; p++)
      if (w[columns.row[p]!]! > 0) {
        ent[k] = columns.row[p]!
        ev[k++] = columns.val[p]!
      }
    if (k > start) {
      f0.push(j)
      cs0.push(start)
      ce0.push(k)
    }
  }
  const wy = new Float64Array(x.nRows)
  for (let i = 0; i < x.nRows; i++) wy[i] = w[i]! * y[i]!
  const goesLeft = new Uint8Array(x.nRows)
  const tmpI = new Int32Array(Math.max(total, rows.length))
  const tmpV = new Float64Array(total)
  const order = new Int32Array(d)

  const tree = new TreeBuilder()
  const stack: Pending[] = [{ id: tree.add(0), r0: 0, r1: rows.length, feats: Int32Array.from(f0), cs: Int32Array.from(cs0), ce: Int32Array.from(ce0) }]
  while (stack.length > 0) {
    const { id, r0, r1, feats, cs, ce } = stack.pop()!
    const nf = feats.length
    let W = 0, S = 0, SS = 0
    for (let r = r0; r < r1; r++) {
      const i = rows[r]!
      W += w[i]!
      S += wy[i]!
      SS += wy[i]! * y[i]!
    }
    tree.value[id] = S / W
    const impurity = SS / W - (S / W) * (S / W)
    if (r1 - r0 < 2 || impurity <= EPSILON) continue

    // best split over all features (random visiting order breaks ties, as sklearn's permutation does)
    for (let k = 0; k < nf; k++) order[k] = k
    for (let k = nf - 1; k > 0; k--) {
      const q = Math.floor(rand() * (k + 1))
      const t = order[k]!
      order[k] = order[q]!
      order[q] = t
    }
    const base = (S * S) / W
    let best = -Infinity, bestK = -1, bestT = 0, ties = 1
    for (let o = 0; o < nf; o++) {
      const j = order[o]!
      const a = cs[j]!, b = ce[j]!
      const nZero = r1 - r0 - (b - a)
      // sums of the non-zero entries, hence of the implicit zero block
      let Wn = 0, Sn = 0
      for (let p = a; p < b; p++) {
        Wn += w[ent[p]!]!
        Sn += wy[ent[p]!]!
      }
      const Wz = W - Wn, Sz = S - Sn
      // walk the values in ascending order: negatives, the zero block, positives; a candidate split
      // lies between `prev` (the last value on the left) and the next value
      let WL = 0, SL = 0, prev = 0, started = false
      let zeroDone = nZero === 0
      for (let p = a; p <= b; p++) {
        const v = p < b ? ev[p]! : Infinity
        for (let pass = 0; pass < 2; pass++) {
          // pass 0: the zero block when v is the first positive value; pass 1: the entry itself
          let next: number, dW: number, dS: number
          if (pass === 0) {
            if (zeroDone || !(v > 0)) continue
            next = 0
            dW = Wz
            dS = Sz
            zeroDone = true
          } else {
            if (p === b) break
            next = v
            dW = w[ent[p]!]!
            dS = wy[ent[p]!]!
          }
          if (started && next > prev + FEATURE_THRESHOLD) {
            const WR = W - WL
            if (WL > 0 && WR > 0) {
              const SR = S - SL
              const gain = (SL * SL) / WL + (SR * SR) / WR
              // gains within rounding of each other are ties (different columns that separate the same
              // rows, common in compositions): pick uniformly among them, as sklearn's random feature
              // order intends; a strict ">" would let summation order decide, the same way in every tree
              const tie = bestK >= 0 && Math.abs(gain - best) <= TIE * Math.abs(best)
              if ((gain > best && !tie) || (tie && rand() * ++ties < 1)) {
                if (!tie) ties = 1
                best = Math.max(best, gain)
                bestK = j
                let t = prev / 2 + next / 2
                if (t === next || !Number.isFinite(t)) t = prev
                bestT = t
              }
            }
          }
          WL += dW
          SL += dS
          prev = next
          started = true
        }
      }
    }
    // sklearn: a node is a leaf when no split improves on it (improvement + ε < 0) or none exists
    if (bestK < 0 || best + EPSILON * Math.abs(base) < base) continue

    // route the rows: zeros go where 0 goes, non-zeros by their value
    const zeroLeft = 0 <= bestT ? 1 : 0
    for (let r = r0; r < r1; r++) goesLeft[rows[r]!] = zeroLeft
    for (let p = cs[bestK]!; p < ce[bestK]!; p++) goesLeft[ent[p]!] = ev[p]! <= bestT ? 1 : 0
    const nLeft = stablePartition(rows, null, r0, r1, goesLeft, tmpI, null)
    const lf: number[] = [], lcs: number[] = [], lce: number[] = []
    const rf: number[] = [], rcs: number[] = [], rce: number[] = []
    for (let k = 0; k < nf; k++) {
      const a = cs[k]!, b = ce[k]!
      const m = stablePartition(ent, ev, a, b, goesLeft, tmpI, tmpV)
      if (m > 0) {
        lf.push(feats[k]!)
        lcs.push(a)
        lce.push(a + m)
      }
      if (b - a - m > 0) {
        rf.push(feats[k]!)
        rcs.push(a + m)
        rce.push(b)
      }
    }
    const l = tree.add(0), r = tree.add(0)
    tree.feature[id] = feats[bestK]!
    tree.threshold[id] = bestT
    tree.left[id] = l
    tree.right[id] = r
    stack.push(
      { id: r, r0: r0 + nLeft, r1, feats: Int32Array.from(rf), cs: Int32Array.from(rcs), ce: Int32Array.from(rce) },
      { id: l, r0, r1: r0 + nLeft, feats: Int32Array.from(lf), cs: Int32Array.from(lcs), ce: Int32Array.from(lce) },
    )
  }
  return tree.done()
}

/** Stable partition of ids[a, b) (and the parallel vals) by goesLeft[id]; returns how many went left. */
function stablePartition(ids: Int32Array, vals: Float64Array | null, a: number, b: number, goesLeft: Uint8Array, tmpI: Int32Array, tmpV: Float64Array | null): number {
  let out = a, spill = 0
  for (let p = a; p < b; p++) {
    const id = ids[p]!
    if (goesLeft[id]) {
      ids[out] = id
      if (vals) vals[out] = vals[p]!
      out++
    } else {
      tmpI[spill] = id
      if (vals) tmpV![spill] = vals[p]!
      spill++
    }
  }
  ids.set(tmpI.subarray(0, spill), out)
  if (vals) vals.set(tmpV!.subarray(0, spill), out)
  return out - a
}

/** Coefficient of determination 1 − SS_res/SS_tot (sklearn's r2_score; 0 when the targets are constant). */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = yTrue.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += yTrue[i]!
  mean /= n
  let res = 0, tot = 0
  for (let i = 0; i < n; i++) {
    res += (yTrue[i]! - yPred[i]!) ** 2
    tot += (yTrue[i]! - mean) ** 2
  }
  return tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot
}

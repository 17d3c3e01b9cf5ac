// stages/thesis-tables-4-2-4-3.ts: thesis Tables 4.2 ("CrabNet 不同嵌入方法性能比较（回归任务）", test MAE) and
// 4.3 (分类任务, ROC-AUC), §4.2.4 (thesis.txt lines 759–783): CrabNet with each element table, 500 epochs
// with SWA, MatBench folds. Transcribed by hand; a comparison column, never an input.

export interface ThesisCrabnetRow {
  readonly table: string
  /** d of the thesis's "DIM = d/512" */
  readonly dim: number
  readonly matbench_steels: number
  readonly matbench_expt_gap: number
  readonly matbench_expt_is_metal: number
  readonly matbench_glass: number
}

export const THESIS_TABLES_4_2_4_3: readonly ThesisCrabnetRow[] = (
  [
    ["Mat2Vec", 200, 106.6691, 0.3449, 0.9641, 0.9024],
    ["SkipAtom", 200, 104.9032, 0.3432, 0.9659, 0.9071],
    ["Mat2Vec-S", 32, 101.9088, 0.3425, 0.9686, 0.92],
    ["Mat2Vec-S", 64, 105.2421, 0.3338, 0.9674, 0.921],
    ["Mat2Vec-H", 32, 96.2327, 0.3314, 0.9675, 0.9171],
    ["Mat2Vec-H", 64, 104.3017, 0.3274, 0.9684, 0.9192],
    ["Mat2Vec-L", 32, 97.9391, 0.3868, 0.958, 0.9189],
    ["Mat2Vec-L", 64, 99.2107, 0.3718, 0.9606, 0.9192],
  ] as const
).map(([table, dim, matbench_steels, matbench_expt_gap, matbench_expt_is_metal, matbench_glass]) => ({
  table,
  dim,
  matbench_steels,
  matbench_expt_gap,
  matbench_expt_is_metal,
  matbench_glass,
}))

/** The thesis's printed overall improvement of Mat2Vec-* over Mat2Vec, percent (abstract, §4.2.4). */
export const THESIS_OVERALL_IMPROVEMENT = 4.3

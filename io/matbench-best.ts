// The best published MatBench v0.1 score (5-fold mean test MAE) of every structure task, and the dummy
// (mean predictor), as the composition screen's comparison columns (thesis §3.2.3, Fig. 3.8).
// Transcribed by hand from materialsproject/matbench's per-task leaderboard pages
// (docs_src/Leaderboards Per-Task/matbench_v0.1_<task>.md) and, where a later entry beat the page's
// stored version, from that entry's "Fold score stats" (docs_src/Full Benchmark Data/…md); the commit
// of the page read is in `source`. A comparison column, never an input.

export interface BestPublished {
  readonly algorithm: string
  /** 5-fold mean test MAE, the task's unit */
  readonly mae: number
  readonly dummyMae: number
  readonly unit: string
  readonly source: string
}

const page = (task: string, commit: string) => `materialsproject/matbench@${commit.slice(0, 7)} docs_src/Leaderboards Per-Task/matbench_v0.1_${task}.md`
const entry = (name: string, commit: string) => `materialsproject/matbench@${commit.slice(0, 7)} docs_src/Full Benchmark Data/matbench_v0.1_${name}.md`

export const BEST_PUBLISHED: Readonly<Record<string, BestPublished>> = {
  matbench_jdft2d: { algorithm: "MODNet (v0.1.12)", mae: 33.1918, dummyMae: 67.2851, unit: "meV/atom", source: page("matbench_jdft2d", "2370a43fef59") },
  // the per-task page's stored version (0292b12) predates the kgcnn entries; MegNet (kgcnn v2.1.0)'s own page has 28.7606
  matbench_phonons: { algorithm: "MegNet (kgcnn v2.1.0)", mae: 28.7606, dummyMae: 323.9822, unit: "cm^-1", source: entry("MegNet_kgcnn_v2.1.0", "3288684f21d3") },
  matbench_dielectric: { algorithm: "MODNet (v0.1.12)", mae: 0.2711, dummyMae: 0.8088, unit: "unitless", source: page("matbench_dielectric", "2d6afb28c9b8") },
  matbench_log_gvrh: { algorithm: "coNGN", mae: 0.067, dummyMae: 0.2931, unit: "log10(GPa)", source: page("matbench_log_gvrh", "2370a43fef59") },
  matbench_log_kvrh: { algorithm: "coNGN", mae: 0.0491, dummyMae: 0.2897, unit: "log10(GPa)", source: page("matbench_log_kvrh", "2d6afb28c9b8") },
  matbench_perovskites: { algorithm: "coGN", mae: 0.0269, dummyMae: 0.566, unit: "eV/unit cell", source: page("matbench_perovskites", "2370a43fef59") },
  matbench_mp_gap: { algorithm: "coGN", mae: 0.1559, dummyMae: 1.3272, unit: "eV", source: page("matbench_mp_gap", "2370a43fef59") },
  // the per-task page's stored version (076635c) predates coGN; coGN's page (2370a43) has 0.0170
  matbench_mp_e_form: { algorithm: "coGN", mae: 0.017, dummyMae: 1.0059, unit: "eV/atom", source: entry("coGN", "2370a43fef59") },
}

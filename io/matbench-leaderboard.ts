// MatBench v0.1's published per-fold test errors (MAE, RMSE, max error) for the two backbones the thesis trains, on the
// structure tasks (materialsproject/matbench, docs_src/Full Benchmark Data/matbench_v0.1_cgcnnv2019.md
// and matbench_v0.1_MegNet_kgcnn_v2.1.0.md, "Fold scores" tables; the leaderboard's figure is the
// 5-fold mean MAE). Transcribed by hand; `publishedMean` holds the page's own "Fold score stats" means, kept
// so a test can check the transcription. A comparison column, never an input to training.
//
// Why per fold: the folds differ a lot (CGCNN on phonons: 45.1–81.2 cm⁻¹), so one fold's MAE is
// compared with the same fold's published MAE, and a 5-fold mean with the leaderboard's figure.

export type LeaderboardBackbone = "cgcnn" | "megnet"

export type Metric = "mae" | "rmse" | "maxError"
type Folds = readonly [number, number, number, number, number]

export interface PublishedScores {
  /** the leaderboard entry the numbers come from */
  readonly entry: string
  readonly url: string
  /** per metric, the test score of folds 0…4, in the task's unit */
  readonly folds: Readonly<Record<Metric, Folds>>
  readonly publishedMean: Readonly<Record<Metric, number>>
}

const CGCNN = {
  entry: "CGCNN v2019",
  url: "https://matbench.materialsproject.org/Full%20Benchmark%20Data/matbench_v0.1_cgcnnv2019/",
}
const MEGNET = {
  entry: "MegNet (kgcnn v2.1.0)",
  url: "https://matbench.materialsproject.org/Full%20Benchmark%20Data/matbench_v0.1_MegNet_kgcnn_v2.1.0/",
}

/** One task's table: [mae, rmse, maxError] rows of five folds, then the three published means. */
const scores = (base: typeof CGCNN, mae: Folds, rmse: Folds, maxError: Folds, means: [number, number, number]): PublishedScores => ({
  ...base,
  folds: { mae, rmse, maxError },
  publishedMean: { mae: means[0], rmse: means[1], maxError: means[2] },
})

export const MATBENCH_LEADERBOARD: Readonly<Record<LeaderboardBackbone, Readonly<Record<string, PublishedScores>>>> = {
  cgcnn: {
    matbench_dielectric: scores(CGCNN, [0.4704, 0.5724, 0.7301, 0.6111, 0.6099], [0.9059, 1.2825, 3.06, 2.4214, 1.8183], [14.6895, 20.3729, 58.9996, 53.4782, 28.6714], [0.5988, 1.8976, 35.2423]),
    matbench_jdft2d: scores(CGCNN, [34.4937, 51.1167, 69.425, 42.7453, 48.4396], [56.8278, 98.1228, 182.5647, 71.8811, 154.448], [256.033, 407.6809, 1061.5574, 303.9963, 1516.912], [49.244, 112.7689, 709.2359]),
    matbench_log_gvrh: scores(CGCNN, [0.087, 0.0899, 0.0887, 0.0902, 0.0918], [0.127, 0.1384, 0.1323, 0.1344, 0.1362], [1.0473, 1.452, 1.0024, 0.9712, 0.843], [0.0895, 0.1337, 1.0632]),
    matbench_log_kvrh: scores(CGCNN, [0.0702, 0.0722, 0.0665, 0.0748, 0.0724], [0.129, 0.1353, 0.1191, 0.1341, 0.1328], [1.7725, 1.3813, 1.1052, 1.1231, 1.5001], [0.0712, 0.1301, 1.3765]),
    matbench_mp_e_form: scores(CGCNN, [0.034, 0.034, 0.0328, 0.0332, 0.0346], [0.0714, 0.0681, 0.0756, 0.0623, 0.0633], [3.4254, 2.0786, 7.7205, 1.3283, 1.5782], [0.0337, 0.0682, 3.2262]),
    matbench_mp_gap: scores(CGCNN, [0.2978, 0.2939, 0.296, 0.2947, 0.3038], [0.6753, 0.6827, 0.6653, 0.674, 0.6884], [7.2169, 13.6569, 6.8339, 7.7523, 7.7166], [0.2972, 0.6771, 8.6353]),
    matbench_perovskites: scores(CGCNN, [0.0456, 0.0462, 0.0448, 0.0454, 0.0442], [0.0753, 0.0735, 0.069, 0.0714, 0.0718], [0.9441, 0.9923, 0.984, 0.7688, 0.9384], [0.0452, 0.0722, 0.9255]),
    matbench_phonons: scores(CGCNN, [81.1553, 45.0945, 54.2563, 56.5819, 51.7292], [231.3233, 79.3798, 132.8543, 169.7248, 95.2267], [2504.8743, 835.2144, 1667.5734, 2378.4055, 658.0856], [57.7635, 141.7018, 1608.8306]),
  },
  megnet: {
    matbench_dielectric: scores(MEGNET, [0.2385, 0.2872, 0.4444, 0.3254, 0.3998], [1.0393, 1.2163, 3.0835, 2.2884, 2.3078], [20.5088, 20.4615, 59.3095, 52.2159, 47.8845], [0.3391, 1.9871, 40.076]),
    matbench_jdft2d: scores(MEGNET, [50.6822, 54.6317, 67.3932, 34.6872, 63.4653], [91.2961, 115.4827, 184.2895, 73.0294, 182.5356], [511.9383, 518.5855, 1064.3459, 407.8362, 1561.5756], [54.1719, 129.3267, 812.8563]),
    matbench_log_gvrh: scores(MEGNET, [0.0848, 0.0883, 0.0867, 0.0883, 0.0876], [0.135, 0.1396, 0.1313, 0.1342, 0.1387], [1.5533, 1.5549, 0.8507, 0.95, 1.5558], [0.0871, 0.1358, 1.2929]),
    matbench_log_kvrh: scores(MEGNET, [0.0648, 0.0673, 0.0633, 0.073, 0.0657], [0.1286, 0.1365, 0.1172, 0.1337, 0.1275], [1.6193, 1.8705, 1.2643, 1.2378, 1.4056], [0.0668, 0.1287, 1.4795]),
    matbench_mp_e_form: scores(MEGNET, [0.0248, 0.025, 0.0253, 0.0257, 0.0251], [0.0711, 0.0707, 0.0679, 0.0742, 0.0668], [3.4758, 2.2742, 2.3452, 3.6006, 2.2808], [0.0252, 0.0701, 2.7953]),
    matbench_mp_gap: scores(MEGNET, [0.1845, 0.197, 0.2039, 0.1817, 0.1999], [0.4415, 0.4744, 0.5019, 0.4501, 0.4895], [6.8774, 7.058, 6.907, 7.8821, 7.0037], [0.1934, 0.4715, 7.1457]),
    matbench_perovskites: scores(MEGNET, [0.0355, 0.0374, 0.0335, 0.0363, 0.0331], [0.0653, 0.0722, 0.0554, 0.0646, 0.0602], [0.832, 1.0236, 0.722, 0.7184, 0.8357], [0.0352, 0.0635, 0.8263]),
    matbench_phonons: scores(MEGNET, [31.6159, 31.0426, 25.27, 29.7114, 26.163], [63.3487, 61.1066, 55.08, 64.603, 43.2011], [724.7676, 589.2758, 489.611, 774.1321, 208.9928], [28.7606, 57.4679, 557.3559]),
  },
}

/** The published scores of a backbone on a task, or undefined where MatBench has none. */
export const publishedScores = (backbone: string, task: string): PublishedScores | undefined =>
  (MATBENCH_LEADERBOARD as Record<string, Record<string, PublishedScores> | undefined>)[backbone]?.[task]

/**
 * CrabNet's MatBench v0.1 entry (the composition tasks the thesis's §4.2.4 runs on): per-fold test MAE
 * of `matbench_steels` and `matbench_expt_gap` (docs_src/Full Benchmark Data/matbench_v0.1_CrabNet.md,
 * "Fold scores"; transcribed by hand, page means kept to check the transcription). MatBench lists no
 * CrabNet score for the classification tasks.
 */
export const MATBENCH_CRABNET = {
  entry: "CrabNet (MatBench v0.1)",
  url: "https://matbench.materialsproject.org/Full%20Benchmark%20Data/matbench_v0.1_CrabNet/",
  mae: {
    matbench_steels: { folds: [116.22, 88.09, 108.12, 137.49, 86.65] as Folds, publishedMean: 107.32 },
    matbench_expt_gap: { folds: [0.3476, 0.3434, 0.3473, 0.3329, 0.3602] as Folds, publishedMean: 0.3463 },
  } as Readonly<Record<string, { folds: Folds; publishedMean: number }>>,
} as const

// stages/crabnet-transfer.ts: thesis §4.2.4, Tables 4.2 and 4.3 — CrabNet with each element table, mean ±
// sd over the folds trained, beside the thesis's printed values; the thesis's "overall improvement" of
// Mat2Vec-* over Mat2Vec computed the same way (per task the best Mat2Vec-* table's relative gain,
// averaged over the tasks; thesis 9.8 %, 5.1 %, 0.5 %, 2.1 % → 4.3 %); and each Mat2Vec baseline fold beside
// MatBench's published CrabNet score of the same fold (regression tasks; none published for classification).
import { z } from "zod"
import { all, artifact, stage } from "../engine/index.js"
import { MATBENCH_CRABNET } from "../io/matbench-leaderboard.js"
import { regressionErrors } from "../numerics/stats/errors.js"
import { rocAuc } from "../numerics/stats/roc-auc.js"
import { foldSummary, overallImprovement, type Improvement, type TableRow } from "../numerics/stats/transfer.js"
import { COMPOSITION_TASKS, crabnet, crabnetDistilled, type CrabnetMetrics } from "./crabnet.js"
import { THESIS_OVERALL_IMPROVEMENT, THESIS_TABLES_4_2_4_3 } from "./thesis-tables-4-2-4-3.js"

export type TransferInput = Pick<CrabnetMetrics, "table" | "dim" | "task" | "fold" | "metric" | "score" | "dropped"> & {
  /** the model's predictions.csv (id, target, prediction/probability): lets a fold that dropped formulas be rescored */
  readonly predictions?: string
}

/** id → [target, prediction] from a crabnet predictions.csv. */
function parsePredictions(csv: string): Map<string, [number, number]> {
  return new Map(
    csv
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => {
        const [id, y, p] = line.split(",")
        return [id!, [Number(y), Number(p)]] as const
      }),
  )
}

/**
 * Scores comparable across tables: where some table lost test formulas to missing=drop, every table of
 * that (task, fold) is rescored on the test formulas all of them kept (from their predictions). A fold
 * with a drop but without predictions to rescore is left out.
 */
function commonTestScores(metrics: readonly TransferInput[]): TransferInput[] {
  const byFold = new Map<string, TransferInput[]>()
  for (const m of metrics) byFold.set(`${m.task}|${m.fold}`, [...(byFold.get(`${m.task}|${m.fold}`) ?? []), m])
  return [...byFold.values()].flatMap((group) => {
    if (group.every((m) => m.dropped.test === 0)) return group
    if (!group.every((m) => m.predictions !== undefined)) return group.filter((m) => m.dropped.test === 0)
    const preds = group.map((m) => parsePredictions(m.predictions!))
    const common = [...preds[0]!.keys()].filter((id) => preds.every((p) => p.has(id)))
    if (common.length === 0) return []
    return group.map((m, k) => {
      const y = common.map((id) => preds[k]!.get(id)![0])
      const p = common.map((id) => preds[k]!.get(id)![1])
      return { ...m, score: m.metric === "rocAuc" ? rocAuc(y, p) : regressionErrors(y, p).mae }
    })
  })
}

const BASELINE = "Mat2Vec"
const isBaseline = (r: { table: string }) => r.table === BASELINE
// Mat2Vec-S/H/L (a "(from published tables)" fallback included: its name says so in every row)
const isDistilled = (r: { table: string }) => r.table.startsWith("Mat2Vec-")

const Gain = z.object({
  task: z.string(),
  metric: z.enum(["mae", "rocAuc"]),
  baseline: z.string(),
  best: z.string(),
  folds: z.array(z.number().int()),
  baselineMean: z.number(),
  bestMean: z.number(),
  gainPercent: z.number(),
})
const ImprovementSchema = z.object({ perTask: z.array(Gain), overallPercent: z.number().nullable() })
const BaselineFold = z.object({ task: z.string(), fold: z.number().int(), ours: z.number(), matbench: z.number(), ratio: z.number() })
export const TransferSummary = z.object({
  /** ours: from the models trained in this run; where a table dropped test formulas, every table of that fold rescored on the common ones */
  improvement: ImprovementSchema,
  /** the same computation on the thesis's printed Tables 4.2/4.3, and the figure the thesis prints */
  thesisImprovement: ImprovementSchema,
  thesisPrintedOverallPercent: z.number(),
  /** Mat2Vec baseline per fold beside MatBench's CrabNet entry; means over the folds trained */
  baselineVsMatbench: z.object({
    entry: z.string(),
    url: z.string(),
    folds: z.array(BaselineFold),
    means: z.array(z.object({ task: z.string(), folds: z.array(z.number().int()), ours: z.number(), matbench: z.number(), matbenchAllFolds: z.number() })),
  }),
  /** rows whose test set lost formulas to missing=drop: their scores are on a smaller test set */
  droppedTest: z.array(z.object({ table: z.string(), dim: z.number().int(), task: z.string(), fold: z.number().int(), formulas: z.number().int() })),
})
export type TransferSummary = z.infer<typeof TransferSummary>

const thesisValue = (table: string, dim: number, task: string): number | undefined => {
  const row = THESIS_TABLES_4_2_4_3.find((r) => r.table === table && r.dim === dim)
  return row ? (row as unknown as Record<string, number>)[task] : undefined
}

/** The thesis's Tables 4.2/4.3 as rows (one fold each, so the same summary code reads them). */
function thesisRows(): TableRow[] {
  return THESIS_TABLES_4_2_4_3.flatMap((r) =>
    COMPOSITION_TASKS.map((task) => {
      const v = (r as unknown as Record<string, number>)[task]!
      return { table: r.table, dim: r.dim, task, metric: metricOf(task), folds: [0], scores: [v], mean: v, sd: null }
    }),
  )
}
const metricOf = (task: string): "mae" | "rocAuc" => (task === "matbench_expt_is_metal" || task === "matbench_glass" ? "rocAuc" : "mae")

/** MAE ≥ 10 (steels, MPa) to 2 decimals, else 4 (eV, ROC-AUC); `like` picks the precision (an sd takes its mean's). */
const fmt = (x: number, metric: "mae" | "rocAuc", like = x) => (metric === "mae" && Math.abs(like) >= 10 ? x.toFixed(2) : x.toFixed(4))

/** `table|dim|task` of the rows scored on fewer test formulas than the task has (missing=drop) */
type DroppedKeys = ReadonlySet<string>
const droppedKey = (d: { table: string; dim: number; task: string }) => `${d.table}|${d.dim}|${d.task}`

/** Table 4.2 (regression) or 4.3 (classification) in the thesis's layout: ours (mean ± sd, folds) | thesis. */
function markdownTable(title: string, tasks: readonly string[], rows: readonly TableRow[], dropped: DroppedKeys): string {
  // the thesis's rows in its order, then any other table this run trained
  const order = [...new Set([...THESIS_TABLES_4_2_4_3, ...rows].map((r) => `${r.table}|${r.dim}`))]
  const head = `| table | ${tasks.map((t) => `${t} ours | thesis`).join(" | ")} |`
  const rule = `|---|${tasks.map(() => "---|---").join("|")}|`
  const body = order.map((key) => {
    const [table, d] = key.split("|") as [string, string]
    const dim = Number(d)
    const cells = tasks.map((task) => {
      const r = rows.find((x) => x.table === table && x.dim === dim && x.task === task)
      const t = thesisValue(table, dim, task)
      const ours = r ? `${fmt(r.mean, r.metric)}${r.sd === null ? "" : ` ± ${fmt(r.sd, r.metric, r.mean)}`} (${r.folds.length === 5 ? "5 folds" : `fold${r.folds.length > 1 ? "s" : ""} ${r.folds.join(",")}`})${dropped.has(droppedKey(r)) ? " †" : ""}` : "—"
      return `${ours} | ${t === undefined ? "—" : fmt(t, metricOf(task))}`
    })
    return `| ${table} (DIM = ${dim}/512) | ${cells.join(" | ")} |`
  })
  return [`**${title}**`, "", head, rule, ...body].join("\n")
}

/** The † footnote: per task, the tables that dropped the same test formulas per fold share one line. */
function droppedLines(dropped: readonly { table: string; dim: number; task: string; fold: number; formulas: number }[]): string[] {
  if (dropped.length === 0) return []
  // one pass: task → table → its folds, in order of first appearance
  const byTask = new Map<string, Map<string, { fold: number; formulas: number }[]>>()
  for (const d of dropped) {
    const tables = byTask.get(d.task) ?? byTask.set(d.task, new Map()).get(d.task)!
    const label = `${d.table} (${d.dim})`
    tables.set(label, [...(tables.get(label) ?? []), d])
  }
  const lines = [...byTask].flatMap(([task, tables]) => {
    const byCounts = new Map<string, string[]>() // "fold 0 −238, …" → tables
    for (const [label, folds] of tables) {
      const counts = [...folds].sort((a, b) => a.fold - b.fold).map((d) => `fold ${d.fold} −${d.formulas}`).join(", ")
      byCounts.set(counts, [...(byCounts.get(counts) ?? []), label])
    }
    return [...byCounts].map(([counts, labels]) => `- ${task}, ${labels.join(", ")}: ${counts}`)
  })
  return [
    "",
    "† scored on fewer test formulas: the table lacks elements some formulas need (missing=drop); the improvement above rescores every table of such a fold on the formulas all of them kept.",
    ...lines,
  ]
}

function improvementLines(label: string, imp: Improvement, withFolds: boolean): string[] {
  return [
    `${label}: ${imp.overallPercent === null ? "—" : `${imp.overallPercent.toFixed(1)} %`} overall`,
    ...imp.perTask.map(
      (g) =>
        `- ${g.task}: ${g.best} vs ${g.baseline} ${fmt(g.bestMean, g.metric)} vs ${fmt(g.baselineMean, g.metric)} → ${g.gainPercent.toFixed(1)} %${withFolds ? ` (fold${g.folds.length > 1 ? "s" : ""} ${g.folds.join(",")})` : ""}`,
    ),
  ]
}

/** Pure: the tables, the improvement and the baseline comparison from per-fold metrics. */
export function transferTables(metrics: readonly TransferInput[]): { rows: TableRow[]; summary: TransferSummary; markdown: string; csv: string } {
  const rows = foldSummary(metrics).sort((a, b) => COMPOSITION_TASKS.indexOf(a.task as never) - COMPOSITION_TASKS.indexOf(b.task as never) || a.table.localeCompare(b.table) || a.dim - b.dim)
  // gains compare equal test sets only (a fold where some table dropped formulas: rescored on the common ones)
  const improvement = overallImprovement(foldSummary(commonTestScores(metrics)), isBaseline, isDistilled)
  const thesisImprovement = overallImprovement(thesisRows(), isBaseline, isDistilled)
  const folds: z.infer<typeof BaselineFold>[] = []
  const means: TransferSummary["baselineVsMatbench"]["means"] = []
  for (const r of rows.filter(isBaseline)) {
    const pub = MATBENCH_CRABNET.mae[r.task]
    if (!pub || r.metric !== "mae") continue
    r.folds.forEach((f, i) => folds.push({ task: r.task, fold: f, ours: r.scores[i]!, matbench: pub.folds[f]!, ratio: r.scores[i]! / pub.folds[f]! }))
    const m = r.folds.reduce((a, f) => a + pub.folds[f]!, 0) / r.folds.length
    means.push({ task: r.task, folds: r.folds, ours: r.mean, matbench: m, matbenchAllFolds: pub.publishedMean })
  }
  const droppedTest = metrics
    .filter((m) => m.dropped.test > 0)
    .map((m) => ({ table: m.table, dim: m.dim, task: m.task, fold: m.fold, formulas: m.dropped.test }))
  const summary: TransferSummary = {
    improvement,
    thesisImprovement,
    thesisPrintedOverallPercent: THESIS_OVERALL_IMPROVEMENT,
    baselineVsMatbench: { entry: MATBENCH_CRABNET.entry, url: MATBENCH_CRABNET.url, folds, means },
    droppedTest,
  }
  const csv = [
    "table,dim,task,metric,folds,mean,sd,thesis",
    ...rows.map((r) => [r.table, r.dim, r.task, r.metric, r.folds.join(" "), r.mean, r.sd ?? "", thesisValue(r.table, r.dim, r.task) ?? ""].join(",")),
  ].join("\n") + "\n"
  const droppedKeys = new Set(droppedTest.map(droppedKey))
  const markdown = [
    markdownTable("Table 4.2 — CrabNet, regression tasks (test MAE)", ["matbench_steels", "matbench_expt_gap"], rows, droppedKeys),
    "",
    markdownTable("Table 4.3 — CrabNet, classification tasks (test ROC-AUC)", ["matbench_expt_is_metal", "matbench_glass"], rows, droppedKeys),
    "",
    ...improvementLines("Overall improvement of the best Mat2Vec-* over Mat2Vec, this run (each fold on the test formulas every table kept)", improvement, true),
    "",
    ...improvementLines(`The same computed from the thesis's tables (printed: ${THESIS_OVERALL_IMPROVEMENT} %)`, thesisImprovement, false),
    "",
    `Mat2Vec baseline beside MatBench's published CrabNet, same fold (${MATBENCH_CRABNET.url}):`,
    ...folds.map((f) => `- ${f.task} fold ${f.fold}: ${fmt(f.ours, "mae")} vs ${fmt(f.matbench, "mae")} (${f.ratio.toFixed(2)}×)`),
    ...means.map((m) => `- ${m.task} mean over folds ${m.folds.join(",")}: ${fmt(m.ours, "mae")} vs ${fmt(m.matbench, "mae")} (MatBench 5-fold mean ${m.matbenchAllFolds})`),
    ...droppedLines(droppedTest),
  ].join("\n") + "\n"
  return { rows, summary, markdown, csv }
}

export const crabnetTransfer = stage({
  name: "crabnet-transfer",
  version: "1",
  description: "Tables 4.2/4.3: CrabNet per element table, mean ± sd over folds beside the thesis; overall improvement of Mat2Vec-* over Mat2Vec; Mat2Vec beside MatBench's CrabNet",
  params: z.object({}),
  inputs: {
    published: all(crabnet.out.metrics),
    publishedPredictions: all(crabnet.out.predictions),
    distilled: all(crabnetDistilled.out.metrics),
    distilledPredictions: all(crabnetDistilled.out.predictions),
  },
  outputs: { table: artifact.text("csv"), tables: artifact.text("md"), summary: artifact.json(TransferSummary) },
  run: ({ inputs }) => {
    const predictions = new Map([...inputs.publishedPredictions, ...inputs.distilledPredictions].map((g) => [g.node, g.value]))
    const r = transferTables([...inputs.published, ...inputs.distilled].map((g) => ({ ...g.value, predictions: predictions.get(g.node) })))
    return { table: r.csv, tables: r.markdown, summary: r.summary }
  },
})

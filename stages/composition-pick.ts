// stages/composition-pick.ts: thesis §3.2.3, Fig. 3.8 — the rule that turns the composition screen into
// the list of composition-dominated tasks whose embeddings the thesis analyses. Rule: a task is
// composition-dominated when the composition-only forest explains at least `r2Threshold` of the target's
// variance on the held-out folds (mean test R² over the five official folds ≥ 0.6). R² is unit-free,
// so one threshold serves every task; 0.6 lies in the wide empty band between the tasks a composition
// predicts well and those it does not (see the README's table). The thesis's pick is recorded beside
// ours, with whether the rule reproduces it.
import { z } from "zod"
import { all, artifact, stage } from "../engine/index.js"
import { groupedBarsSvg } from "../figures/charts.js"
import { STRUCTURE_TASKS } from "../io/matbench.js"
import { compositionScreen, type ScreenResult } from "./composition-screen.js"

/** Thesis §3.2.3: the tasks whose embeddings it analyses. */
export const THESIS_PICK = ["matbench_phonons", "matbench_log_gvrh", "matbench_log_kvrh", "matbench_mp_gap", "matbench_mp_e_form"] as const

const Pick = z.object({
  rule: z.string(),
  r2Threshold: z.number(),
  tasks: z.array(z.string()),
  thesisPick: z.array(z.string()),
  /** null when not every structure task was screened (a partial screen cannot reproduce a pick) */
  reproducesThesis: z.boolean().nullable(),
  rows: z.array(z.object({ task: z.string(), meanR2: z.number(), meanMae: z.number(), meanMaeDummy: z.number(), bestMae: z.number(), bestAlgorithm: z.string(), unit: z.string(), picked: z.boolean(), maxTrainRows: z.number() })),
})
export type Pick = z.infer<typeof Pick>

/** The rule: mean test R² over the folds ≥ threshold. Pure, so a test can check it. */
export function pickCompositionDominated(results: readonly Pick["rows"][number][] | readonly ScreenResult[], r2Threshold: number): string[] {
  return results.filter((r) => r.meanR2 >= r2Threshold).map((r) => r.task)
}

export function screenSummary(results: readonly ScreenResult[], r2Threshold: number): Pick {
  const order = (t: string) => (STRUCTURE_TASKS as readonly string[]).indexOf(t)
  const sorted = [...results].sort((a, b) => order(a.task) - order(b.task))
  const tasks = pickCompositionDominated(sorted, r2Threshold)
  const complete = STRUCTURE_TASKS.every((t) => sorted.some((r) => r.task === t))
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t) => b.includes(t))
  return {
    rule: `composition-dominated ⇔ mean test R² of the composition-only forest over the 5 official folds ≥ ${r2Threshold}`,
    r2Threshold,
    tasks,
    thesisPick: [...THESIS_PICK],
    reproducesThesis: complete ? same(tasks, THESIS_PICK) : null,
    rows: sorted.map((r) => ({
      task: r.task,
      meanR2: r.meanR2,
      meanMae: r.meanMae,
      meanMaeDummy: r.meanMaeDummy,
      bestMae: r.best.mae,
      bestAlgorithm: r.best.algorithm,
      unit: r.unit,
      picked: tasks.includes(r.task),
      maxTrainRows: r.maxTrainRows,
    })),
  }
}

const short = (t: string) => t.replace(/^matbench_/, "")

export const compositionPick = stage({
  name: "composition-pick",
  version: "1",
  description: "composition-dominated tasks by the screen's rule (mean test R² ≥ threshold), Fig. 3.8",
  params: z.object({ r2Threshold: z.number().min(0).max(1).default(0.6).describe("mean test R² from which a task counts as composition-dominated") }),
  inputs: { screens: all(compositionScreen.out.result) },
  outputs: { pick: artifact.json(Pick), table: artifact.text("csv"), figure: artifact.text("svg") },
  run: ({ params, inputs }) => {
    const results = inputs.screens.map((g) => g.value)
    const pick = screenSummary(results, params.r2Threshold)
    const g = (v: number) => v.toPrecision(4)
    const table =
      [
        "task,unit,mean_r2,mean_mae,mean_mae_dummy,best_published_mae,best_published,picked,thesis_pick,max_train_rows",
        ...pick.rows.map((r) => [r.task, JSON.stringify(r.unit), g(r.meanR2), g(r.meanMae), g(r.meanMaeDummy), r.bestMae, JSON.stringify(r.bestAlgorithm), r.picked, (THESIS_PICK as readonly string[]).includes(r.task), r.maxTrainRows].join(",")),
      ].join("\n") + "\n"
    const sorted = pick.rows.map((r) => results.find((x) => x.task === r.task)!)
    const figure = groupedBarsSvg({
      title: "Composition screen: random forest on element fractions (thesis Fig. 3.8)",
      yLabel: "test R² (mean of 5 folds; whiskers: fold range)",
      categories: sorted.map((r) => short(r.task) + (pick.tasks.includes(r.task) ? " ✓" : "")),
      series: ["random forest", "dummy (training mean)"],
      values: [sorted.map((r) => r.meanR2), sorted.map((r) => r.folds.reduce((a, f) => a + f.r2Dummy, 0) / r.folds.length)],
      whiskers: [sorted.map((r) => [Math.min(...r.folds.map((f) => f.r2)), Math.max(...r.folds.map((f) => f.r2))] as const), sorted.map(() => null)],
      references: [{ value: params.r2Threshold, label: `rule: R² ≥ ${params.r2Threshold}` }],
    })
    return { pick, table, figure }
  },
})

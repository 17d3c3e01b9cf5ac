// stages/train-rows.ts: the one place that turns gathered `train` outputs into figure rows (numerics/stats/train-grid.ts),
// shared by the training figures (strategy-mae, gamma-study). Not a stage.
import type { Gathered } from "../engine/index.js"
import { GAMMAS, type GammaLabel, type ModelRow } from "../numerics/stats/train-grid.js"

export function modelRows(models: readonly Gathered<{ mae: number }>[]): ModelRow[] {
  return models.map(({ params: p, value }) => {
    const gamma = String(p.gamma) as GammaLabel
    if (!GAMMAS.includes(gamma)) throw new Error(`train node with unknown γ '${String(p.gamma)}'`)
    return { backbone: String(p.backbone), task: String(p.task), fold: Number(p.fold), dim: Number(p.dim), gamma, mae: value.mae }
  })
}

export const short = (task: string) => task.replace(/^matbench_/, "")

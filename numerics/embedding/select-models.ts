// Which models feed each distilled table (thesis §4.2.3): per (task, fold, backbone, DIM) the model with the
// lowest VALIDATION MAE over all γ settings (the thesis's 320 of 2,240) → Mat2Vec-S; the pure-H model of each
// setting → Mat2Vec-H; the pure-L model → Mat2Vec-L. The test MAE is never looked at: choosing by it would make
// the test fold part of model selection. Without any trained model (published tables only), every variant
// distils all published tables, and the caller says so.

export interface ModelMeta {
  backbone: string
  strategy: "H" | "L" | "hybrid" | "published"
  dim: number
  task: string
  fold: number | null
  /** test MAE: reported, not used here */
  mae: number | null
  /** best validation MAE: the selection criterion */
  validationMae: number | null
}

export type Variant = "S" | "H" | "L"

export interface Selection {
  /** indices into the input list */
  chosen: number[]
  /** true when no trained model exists and the published tables stand in */
  publishedFallback: boolean
}

export function selectForDistillation(metas: readonly ModelMeta[], variant: Variant): Selection {
  const trained = metas.map((m, i) => ({ m, i })).filter(({ m }) => m.strategy !== "published")
  if (trained.length === 0) return { chosen: metas.map((_, i) => i), publishedFallback: true }
  const eligible = variant === "S" ? trained : trained.filter(({ m }) => m.strategy === variant)
  const best = new Map<string, { m: ModelMeta; i: number }>()
  for (const e of eligible) {
    const key = [e.m.task, e.m.fold, e.m.backbone, e.m.dim].join("\u0000")
    const cur = best.get(key)
    const mae = e.m.validationMae ?? Infinity
    // ties keep the first (input order is the engine's stable node order)
    if (!cur || mae < (cur.m.validationMae ?? Infinity)) best.set(key, e)
  }
  return { chosen: [...best.values()].map((e) => e.i).sort((a, b) => a - b), publishedFallback: false }
}

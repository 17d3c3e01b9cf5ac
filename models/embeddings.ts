// What a trained model (or a published element table treated as a "model") hands to the analysis
// stages (thesis §3.2.3–3.2.4, §4.2): its element vectors per channel plus the metadata the
// correlations and the distillation group by. Producers: stages/train.ts, stages/published-tables.ts.
import { z } from "zod"
import { GammaJson } from "./gamma.js"

export const Strategy = z.enum(["H", "L", "hybrid", "published"])
export type Strategy = z.infer<typeof Strategy>

const Vectors = z.array(z.array(z.number()))

export const ModelEmbeddings = z.object({
  meta: z.object({
    /** "cgcnn" | "megnet" for trained models, the table's name for published ones */
    backbone: z.string(),
    strategy: Strategy,
    /** γ = log10(w_L / w_H) for hybrids; +Infinity ≙ pure L, -Infinity ≙ pure H (encoded as strings in JSON) */
    gamma: GammaJson.nullable(),
    dim: z.number().int().positive(),
    task: z.string(),
    fold: z.number().int().nullable(),
    /** test MAE in target units, null for published tables: reported, never used to choose a model */
    mae: z.number().nullable(),
    /** best validation MAE (the early-stopping epoch's), null for published tables: what model selection uses */
    validationMae: z.number().nullable(),
  }),
  /** element symbols, the row order of every matrix below */
  symbols: z.array(z.string()),
  /** the element vectors the network actually consumes (fused input) */
  fused: Vectors,
  /** H channel after its trainable projection (hybrid and H models) */
  h: Vectors.optional(),
  /** L channel (hybrid and L models) */
  l: Vectors.optional(),
  /** per message-passing layer: the mean atom vector of each element (thesis §3.2.4, Fig. 3.10) */
  layers: z.array(Vectors).optional(),
})
export type ModelEmbeddings = z.infer<typeof ModelEmbeddings>

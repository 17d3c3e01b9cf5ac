// CrabNet's reference training step (../shared/bench/crabnet-step): gen_batch.py's steels batch (128
// formulas × 13 slots) and seeded PyTorch weights, loaded into the port with the sizes the weights
// imply, so `bench:crabnet` and the --check comparison run the very numbers PyTorch runs there.
import { join } from "node:path"
import { linearRow, logRow } from "../../crabnet/fractional.js"
import { type CrabnetBatch, CrabnetModel } from "../../crabnet/model.js"
import { readTensorFile } from "../../crabnet/tensor-file.js"
import { CrabnetTrainer } from "../../crabnet/train.js"

export interface CrabnetReference {
  readonly model: CrabnetModel
  readonly trainer: CrabnetTrainer
  readonly batch: CrabnetBatch
  /** scaled targets */
  readonly y: Float32Array
  /** cyclic LR step_size_up of the batch's fold (batches per epoch) */
  readonly stepSizeUp: number
  dispose(): void
}

/**
 * Model + trainer + batch from a folder holding batch.{json,bin} and weights.{json,bin}. Sizes come
 * from the weights (d_model, FFN width, layers, output widths); `dropout` 0 is the --check setting.
 */
export function crabnetReference(dir: string, dropout: number): CrabnetReference {
  const bf = readTensorFile(join(dir, "batch.json")), wf = readTensorFile(join(dir, "weights.json"))
  const src = bf.i32("src"), frac = bf.f32("frac")
  const [B, L] = bf.shape("src") as [number, number]
  const table = wf.f32("encoder.embed.cbfv.weight")
  const feat = wf.shape("encoder.embed.cbfv.weight")[1]!
  const dModel = wf.shape("encoder.embed.fc_mat2vec.weight")[0]!
  const ffn = wf.shape("encoder.transformer_encoder.layers.0.linear1.weight")[0]!
  let layers = 0
  while (wf.has(`encoder.transformer_encoder.layers.${layers}.norm1.weight`)) layers++
  const outHidden: number[] = []
  while (wf.has(`output_nn.fcs.${outHidden.length}.weight`)) outHidden.push(wf.shape(`output_nn.fcs.${outHidden.length}.weight`)[0]!)
  const heads = Number((bf.meta.heads as number | undefined) ?? 4)
  // the harness's table has the zero padding row 0 and row Z = element Z; the model adds its own row 0
  const model = new CrabnetModel({ dModel, heads, layers, ffn, outHidden, dropout }, table.slice(feat), feat, 0)
  model.loadTorchState((n) => (wf.has(n) ? wf.f32(n) : undefined))
  const batch: CrabnetBatch = {
    batch: B, slots: L, rows: src, frac,
    linearRows: Int32Array.from(frac, (f) => linearRow(f)), logRows: Int32Array.from(frac, (f) => logRow(f)),
  }
  const schedule = bf.meta.schedule as { cyclic_lr: { step_size_up: number } }
  const trainer = new CrabnetTrainer(model)
  return {
    model, trainer, batch, y: bf.f32("y_scaled"), stepSizeUp: schedule.cyclic_lr.step_size_up,
    dispose: () => { trainer.dispose(); model.dispose() },
  }
}

// One training step of the project's own models (models/train.ts buildModel: CGCNN or MEGNet with the
// hybrid γ = 0 element input, DIM 64) on the reference batch's graph (cgcnn-batch.ts: its crystals,
// edges and distances; atomic numbers assigned deterministically, a synthetic 92-d descriptor),
// with the optimiser models/train.ts uses. What a sweep actually runs, per step.
import * as tf from "@tensorflow/tfjs-core"
import { batchTensors, disposeBatch, type GraphBatch } from "../../graph-batch.js"
import type { Backbone } from "../../layers/graph-model.js"
import { buildModel } from "../../train.js"
import type { CgcnnBatch } from "./cgcnn-batch.js"
import type { StepRunner } from "./cgcnn-step.js"

export function graphModelStepRunner(b: CgcnnBatch, backbone: Backbone, dim = 64): StepRunner {
  const host: GraphBatch = {
    structures: Array.from({ length: b.N }, (_, i) => i),
    atomZ: Int32Array.from({ length: b.A }, (_, i) => 1 + ((i * 37) % 83)),
    atomCrystal: b.crystal,
    centre: b.dst,
    nbr: b.src,
    edgeCrystal: Int32Array.from(b.dst, (i) => b.crystal[i]!),
    edgeDist: b.dist,
  }
  const rows = 101, cols = 92
  let s = 99
  const descriptor = { rows, cols, data: Float32Array.from({ length: rows * cols }, () => ((s = (s * 16807) % 2147483647) / 2147483647)) }
  const model = buildModel({ backbone, dim, gamma: 0, descriptor, seed: 1 })
  const bt = batchTensors(host, model.basis)
  const target = tf.tensor2d(b.target, [b.N, 1])
  const optimizer = backbone === "cgcnn" ? tf.train.momentum(0.01, 0.9) : tf.train.adam(1e-3, 0.9, 0.999, 1e-8)
  return {
    step: () =>
      tf.tidy(() =>
        optimizer.minimize(() => tf.mean(tf.square(tf.sub(model.forward(bt, true).y, target))) as tf.Scalar, true,
          model.params.trainable)!.dataSync()[0]!),
    dispose: () => {
      optimizer.dispose()
      target.dispose()
      disposeBatch(bt)
      model.dispose()
    },
  }
}

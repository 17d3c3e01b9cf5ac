// Both backbones end to end on small synthetic crystal graphs: they can fit a training set, a seed
// fixes every number, and crystals/atoms without edges (MEGNet's 4 Å cutoff leaves 18 phonons sites
// isolated) flow through with finite values and gradients.
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { initBackend } from "./backend/runtime/backend.js"
import { batchTensors, disposeBatch, sliceBatch } from "./graph-batch.js"
import type { Backbone } from "./layers/graph-model.js"
import { segmentSoftmax } from "./layers/set2set.js"
import { syntheticSet } from "./synthetic-graphs.js"
import { buildModel, trainModel } from "./train.js"

beforeAll(async () => {
  await initBackend()
})

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i)
const backbones: Backbone[] = ["cgcnn", "megnet"]

describe.each(backbones)("%s", (backbone) => {
  it("overfits a tiny training set (loss falls by >10×)", async () => {
    const set = syntheticSet(24, 11)
    // one batch of 8 crystals, 100 steps (MEGNet's Adam at 1e-3 leaves its plateau after ~50)
    const r = await trainModel(set.graphs, set.targets, { train: range(0, 8), validation: range(16, 20), test: range(20, 24) }, {
      backbone, dim: 8, gamma: -2, descriptor: set.descriptor, epochs: 100, patience: 1000, batchSize: 8, seed: 1,
    })
    const first = r.history[0]!.trainLoss
    const last = Math.min(...r.history.slice(-5).map((h) => h.trainLoss))
    expect(last).toBeLessThan(first / 10)
    expect(r.test).toHaveLength(4)
    expect(Number.isFinite(r.testMae)).toBe(true)
  }, 60_000)

  it("is deterministic for a seed and differs across seeds", async () => {
    const set = syntheticSet(12, 3)
    const split = { train: range(0, 8), validation: range(8, 10), test: range(10, 12) }
    const run = (seed: number) =>
      trainModel(set.graphs, set.targets, split, { backbone, dim: 8, gamma: 0, descriptor: set.descriptor, epochs: 3, patience: 10, batchSize: 4, seed })
    const [a, b, c] = [await run(7), await run(7), await run(8)]
    expect(b.test).toEqual(a.test)
    expect(b.elements).toEqual(a.elements)
    expect(b.history.map((h) => h.trainLoss)).toEqual(a.history.map((h) => h.trainLoss))
    expect(c.test.map((t) => t.prediction)).not.toEqual(a.test.map((t) => t.prediction))
  }, 60_000)

  it("handles crystals and atoms without edges (finite outputs and gradients, right shapes)", () => {
    const set = syntheticSet(6, 5, { isolated: [1, 4, 5] })
    const model = buildModel({ backbone, dim: 8, gamma: 0, descriptor: set.descriptor, seed: 2 })
    for (const structures of [[0, 1, 2, 3, 4, 5], [4, 5]]) {
      const host = sliceBatch(set.graphs, structures)
      const b = batchTensors(host, model.basis)
      for (const training of [true, false]) {
        const { value, grads } = tf.variableGrads(() => tf.sum(model.forward(b, training).y) as tf.Scalar, model.params.trainable)
        expect(Number.isFinite(value.dataSync()[0]!)).toBe(true)
        for (const g of Object.values(grads)) expect(g.dataSync().every(Number.isFinite)).toBe(true)
        tf.dispose([value, ...Object.values(grads)])
      }
      const out = model.forward(b, false)
      expect(out.y.shape).toEqual([structures.length, 1])
      expect(out.atomLayers).toHaveLength(3)
      for (const l of out.atomLayers) expect(l.shape[0]).toBe(host.atomZ.length)
      disposeBatch(b)
    }
    model.dispose()
  })
})

describe("segmentSoftmax", () => {
  it("is a softmax within each segment (empty segments allowed)", () => {
    const ids = Int32Array.from([0, 0, 2, 2, 2])
    const s = [1, 3, -100, 0, 100]
    const a = segmentSoftmax(tf.tensor2d(s, [5, 1]), tf.tensor1d(ids, "int32"), ids, 3).dataSync()
    const soft = (xs: number[]) => xs.map((x) => Math.exp(x - Math.max(...xs)) / xs.reduce((p, y) => p + Math.exp(y - Math.max(...xs)), 0))
    const ref = [...soft([1, 3]), ...soft([-100, 0, 100])]
    ref.forEach((r, k) => expect(a[k]).toBeCloseTo(r, 6))
  })
})

// The H / L / hybrid-γ element input (thesis §4.1.2): the end points are exactly the pure channels,
// and the hybrid is exactly w_L·L + w_H·H of those same channels (parameters are keyed by name).
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-cpu"
import { beforeAll, describe, expect, it } from "vitest"
import { channelWeights, ElementInput } from "./element-input.js"
import { ParamStore } from "./layers/params.js"
import { syntheticSet } from "./synthetic-graphs.js"

beforeAll(async () => {
  await tf.setBackend("cpu")
})

const { descriptor } = syntheticSet(4, 7, { descriptorDim: 20 })
const tableOf = (gamma: number, seed = 5) => {
  const e = new ElementInput(new ParamStore(seed), { dim: 6, gamma, descriptor })
  return { e, fused: e.table().arraySync(), h: e.hTable()?.arraySync(), l: e.lTable()?.arraySync() }
}

describe("channelWeights", () => {
  it("is 0/1 exactly at γ = ∓∞ and follows γ = log10(w_L / w_H) in between", () => {
    expect(channelWeights(-Infinity)).toEqual({ wL: 0, wH: 1 })
    expect(channelWeights(Infinity)).toEqual({ wL: 1, wH: 0 })
    expect(channelWeights(0)).toEqual({ wL: 0.5, wH: 0.5 })
    for (const g of [-4, -2, 2, 4]) {
      const { wL, wH } = channelWeights(g)
      expect(Math.log10(wL / wH)).toBeCloseTo(g, 10)
      expect(wL + wH).toBeCloseTo(1, 14)
    }
  })
})

describe("ElementInput", () => {
  it("γ = −∞ is the projected descriptor alone, bit for bit", () => {
    const { fused, h, l } = tableOf(-Infinity)
    expect(l).toBeUndefined()
    expect(fused).toEqual(h)
    // H = D·W + b, recomputed by hand from the same named parameters
    const p = new ParamStore(5)
    const W = p.uniform("element.h.weight", [20, 6], 20).arraySync() as number[][]
    const b = p.uniform("element.h.bias", [6], 20).arraySync() as number[]
    for (let z = 0; z < descriptor.rows; z++) {
      for (let c = 0; c < 6; c++) {
        let s = 0
        for (let k = 0; k < 20; k++) s += descriptor.data[z * 20 + k]! * W[k]![c]!
        expect(fused[z]![c]).toBeCloseTo(s + b[c]!, 5) // float32 matmul vs float64 sum
      }
    }
  })

  it("γ = +∞ is the lookup table alone, bit for bit", () => {
    const { fused, h, l } = tableOf(Infinity)
    expect(h).toBeUndefined()
    expect(fused).toEqual(l)
    expect(fused).toEqual(new ParamStore(5).normal("element.l.table", [descriptor.rows, 6]).arraySync())
  })

  it("a hybrid is w_L·L + w_H·H of the very channels the pure models start from", () => {
    const H = tableOf(-Infinity).fused
    const L = tableOf(Infinity).fused
    for (const g of [-2, 0, 2]) {
      const { wL, wH } = channelWeights(g)
      const t = tableOf(g)
      expect(t.h).toEqual(H)
      expect(t.l).toEqual(L)
      t.fused.forEach((row, z) => row.forEach((v, c) => expect(v).toBeCloseTo(wL * L[z]![c]! + wH * H[z]![c]!, 6)))
    }
  })

  it("atoms gather their element's row", () => {
    const { e, fused } = tableOf(0)
    const rows = e.embed(tf.tensor1d([3, 1, 3], "int32")).arraySync()
    expect(rows).toEqual([fused[3], fused[1], fused[3]])
  })
})

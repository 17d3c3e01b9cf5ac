// Planner, params and keys, in-process (no CLI): grid fan-out, inherited grids, demand-driven
// upstream nodes, CLI coercion, and pinned golden keys (redun pins its hashes the same way).
import { beforeAll, describe, expect, it } from "vitest"
import { z } from "zod"
import { artifact } from "./artifact.js"
import { canonicalJson } from "./canonical.js"
import { plan, PlanError } from "./graph.js"
import { hashString, initHash } from "./hash.js"
import { coerceCli, parseAssignment, showValue } from "./params.js"
import { all, stage } from "./stage.js"
import { nodeKey } from "./workspace.js"

const graphs = stage({ name: "graphs", version: "1", params: z.object({ task: z.string().default("phonons") }), grid: { task: ["phonons"] }, outputs: { g: artifact.json() }, run: () => ({ g: 1 }) })
const train = stage({
  name: "train",
  version: "1",
  params: z.object({ task: z.string().default("phonons"), dim: z.number().int().default(16), gamma: z.enum(["H", "0", "L"]).default("0"), epochs: z.number().default(10) }),
  grid: { task: ["phonons"], dim: [8, 16], gamma: ["H", "0", "L"] },
  presets: { smoke: { dim: [8], epochs: 1 } },
  inputs: { g: graphs.out.g },
  outputs: { emb: artifact.json() },
  run: () => ({ emb: 1 }),
})
const metrics = stage({ name: "metrics", version: "1", params: z.object({}), inputs: { emb: train.out.emb }, outputs: { m: artifact.json() }, run: () => ({ m: 1 }) })
const distill = stage({ name: "distill", version: "1", params: z.object({ dims: z.array(z.number()).default([32, 64]) }), inputs: { m: all(metrics.out.m) }, outputs: { t: artifact.json() }, run: () => ({ t: 1 }) })
const stages = [graphs, train, metrics, distill]
const ids = (targets: string[], set: string[] = [], sweep: string[] = [], preset: "smoke" | "default" | "paper" = "default") =>
  plan(stages, { targets, preset, assignments: [...set.map((s) => parseAssignment(s, false)), ...sweep.map((s) => parseAssignment(s, true))] }).nodes.map((n) => n.id)

describe("planning", () => {
  it("fans out a grid, inherits it downstream, and gathers it", () => {
    const nodes = ids(["distill"])
    expect(nodes.filter((n) => n.startsWith("train["))).toHaveLength(6)
    expect(nodes).toContain("metrics[dim=8,gamma=H,task=phonons]")
    expect(nodes.filter((n) => n.startsWith("graphs"))).toEqual(["graphs[task=phonons]"])
    expect(nodes.at(-1)).toBe("distill")
  })
  it("presets and --set resolve in order defaults < preset < --set", () => {
    const p = plan(stages, { targets: ["train"], preset: "smoke", assignments: [parseAssignment("train.epochs=3", false)] })
    expect(p.nodes.filter((n) => n.stage === train).map((n) => [n.point.dim, n.params.epochs])).toEqual([[8, 3], [8, 3], [8, 3]])
  })
  it("a consumer's params demand the matching upstream node", () => {
    expect(ids(["train"], ["task=dielectric", "dim=8", "gamma=L"])).toEqual(["graphs[task=dielectric]", "train[dim=8,gamma=L,task=dielectric]"])
  })
  it("--sweep turns a scalar param into a grid", () => {
    expect(ids(["train"], ["dim=8", "gamma=0"], ["train.epochs=1,2,3"]).filter((n) => n.startsWith("train"))).toEqual([
      "train[dim=8,epochs=1,gamma=0,task=phonons]",
      "train[dim=8,epochs=2,gamma=0,task=phonons]",
      "train[dim=8,epochs=3,gamma=0,task=phonons]",
    ])
  })
  it("reports every bad param at once", () => {
    try {
      ids(["distill", "nope"], ["train.dim=x", "foo=1"])
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(PlanError)
      expect((e as Error).message).toMatch(/unknown target 'nope'.*no stage has this param/)
    }
    expect(() => ids(["train"], ["gamma=7"])).toThrow(/bad param train\.gamma: Invalid enum value/)
  })

  it("checks every --set value for its stage even when the targets do not reach that stage (issue 11)", () => {
    // graphs does not depend on train: the bad value used to pass silently
    expect(() => ids(["graphs"], ["train.epochs=abc"])).toThrow(/bad param train\.epochs: Expected number, received string \(got "abc"\)/)
    expect(() => ids(["graphs"], [], ["train.dim=8,x"])).toThrow(/bad param train\.dim: Expected number/)
    expect(() => ids(["graphs"], ["epochs=abc"])).toThrow(/bad param train\.epochs/)
    expect(ids(["graphs"], ["train.epochs=3"])).toEqual(["graphs[task=phonons]"])
  })

  it("refuses numbers that are not finite at planning time, and names them (issue 11)", () => {
    expect(() => ids(["train"], ["train.epochs=1e309"])).toThrow(/bad param train\.epochs: not a finite number \(got "1e309" = Infinity\)/)
    expect(() => ids(["graphs"], ["train.epochs=NaN"])).toThrow(/not a finite number \(got "NaN" = NaN\)/)
    expect(() => ids(["graphs"], [], ["train.epochs=1,-Infinity"])).toThrow(/= -Infinity\)/)
  })

  it("prints Infinity and NaN as such in messages, not as JSON's null (issue 11)", () => {
    expect([showValue(Infinity), showValue(-Infinity), showValue(NaN), showValue(1.5), showValue("a")]).toEqual(["Infinity", "-Infinity", "NaN", "1.5", '"a"'])
    const capped = stage({ name: "capped", version: "1", params: z.object({ x: z.number().finite().default(1) }), presets: { smoke: { x: Infinity } }, outputs: { o: artifact.json() }, run: () => ({ o: 1 }) })
    expect(() => plan([capped], { targets: ["capped"], preset: "smoke", assignments: [] })).toThrow(/bad param capped\.x: .*\(got Infinity\)/)
  })
})

describe("params from the command line", () => {
  it("coerces strings to the schema's type and leaves wrong types for zod to name", () => {
    expect(coerceCli(z.number().default(1), "8")).toBe(8)
    expect(coerceCli(z.number(), "abc")).toBe("abc")
    expect(coerceCli(z.enum(["2", "4"]), "2")).toBe("2")
    expect(coerceCli(z.array(z.number()), "1,2")).toEqual([1, 2])
    expect(coerceCli(z.boolean().default(false), "true")).toBe(true)
    expect(coerceCli(z.union([z.number(), z.literal("auto")]), "auto")).toBe("auto")
    expect(parseAssignment("spacing.lambda=6", false)).toEqual({ stage: "spacing", param: "lambda", raw: "6", sweep: false })
  })
})

describe("keys", () => {
  beforeAll(initHash)
  it("canonical JSON sorts keys and keeps ±∞", () => {
    expect(canonicalJson({ b: 1, a: [Infinity, -Infinity, { d: 1, c: 2 }] })).toBe('{"a":["Infinity","-Infinity",{"c":2,"d":1}],"b":1}')
  })
  it("golden hashes are pinned (a change here invalidates every user's cache: do it on purpose)", () => {
    expect(hashString("")).toBe("ef46db3751d8e999") // the published XXH64 test vector of the empty input
    expect(hashString("pipeline")).toBe("ccc13287108d42b9")
    const node = plan(stages, { targets: ["graphs"], preset: "default", assignments: [] }).nodes[0]!
    expect(nodeKey(node, { hash: "0123456789abcdef", files: {} }, {})).toBe(GOLDEN_KEY)
    // the key depends on params and inputs
    expect(nodeKey(node, { hash: "0123456789abcdef", files: {} }, { g: [{ node: "x", hash: "1" }] })).not.toBe(GOLDEN_KEY)
  })
})

const GOLDEN_KEY = "9e2a7e0bd5fdf055"

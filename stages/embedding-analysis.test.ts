// The analysis stages (thesis §3.2.3–3.2.4, §4.2.2–4.2.3) called directly on real published tables and
// on synthetic "trained" models, smoke-sized; plus the plan: one metrics node per table.
import { beforeAll, describe, expect, it } from "vitest"
import { plan } from "../engine/graph.js"
import { runStage } from "../engine/testing.js"
import { dataDir } from "../io/data-dir.js"
import type { Gathered } from "../engine/index.js"
import type { ModelEmbeddings } from "../models/embeddings.js"
import { mulberry32 } from "../numerics/random.js"
import { gaussian } from "../numerics/embedding/orthogonality.js"
import { useSharedData } from "../tests/fixtures.js"
import { SYMBOLS, zOf } from "../chem/elements.js"
import { clusterEnsemble } from "./cluster-ensemble.js"
import { distill } from "./distill.js"
import { embeddingMetrics, type ModelAnalysis } from "./embedding-metrics.js"
import { layerAri } from "./layer-ari.js"
import { metricCorrelations } from "./metric-correlations.js"
import { orthogonality } from "./orthogonality.js"
import { publishedTables } from "./published-tables.js"
import { radiusGroups } from "./radius-groups.js"
import { publishedCorrelations, publishedDistill, publishedMetrics } from "./published-analysis.js"

useSharedData()
const gathered = <T>(stageName: string, items: [string, T][]): Gathered<T>[] =>
  items.map(([k, value]) => ({ node: `${stageName}[${k}]`, point: {}, params: {}, value }))
const smokeMetrics = { kmeansInit: 2, kMax: 6 }

describe("analysis of published tables", () => {
  let models: Gathered<ModelEmbeddings>[]
  let analyses: Gathered<ModelAnalysis>[]
  beforeAll(async () => {
    const tables = ["megnet16", "cgcnn", "oliynyk"] as const
    models = gathered("published-tables", await Promise.all(tables.map(async (t) => [`table=${t}`, (await runStage(publishedTables, { dataDir: dataDir(), params: { table: t } })).embeddings] as [string, ModelEmbeddings])))
    analyses = gathered("embedding-metrics", await Promise.all(models.map(async (m) => [m.node, (await runStage(embeddingMetrics, { dataDir: dataDir(), params: smokeMetrics, inputs: { model: m.value } })).metrics] as [string, ModelAnalysis])))
  })

  it("published tables: Z ≤ 103, blank rows dropped, strategy 'published'", () => {
    const oliynyk = models[2]!.value
    expect(oliynyk.meta).toMatchObject({ backbone: "oliynyk", strategy: "published", mae: null, dim: 44 })
    expect(oliynyk.fused.every((r) => r.every(Number.isFinite))).toBe(true)
    expect(models[1]!.value.symbols).toHaveLength(100) // CGCNN atom_init: Z = 1…100
  })

  it("metrics: MEGNet-16 has a connected graph, a full-rank-ish spectrum and 10 classes", () => {
    const m = analyses[0]!.value.metrics
    expect(m.dim).toBe(16)
    expect(m.classes).toBe(10)
    expect(m.spectralGap).toBeGreaterThan(0)
    expect(m.spectralRadius).toBeGreaterThanOrEqual(m.spectralGap)
    expect(m.effectiveRank).toBeGreaterThan(1)
    expect(m.effectiveRank).toBeLessThanOrEqual(16)
    expect(m.entropy).toBeLessThanOrEqual(Math.log(16) + 1e-12)
    expect(Math.abs(m.ari)).toBeLessThanOrEqual(1)
    expect(analyses[0]!.value.bestK.labels).toHaveLength(analyses[0]!.value.symbols.length)
  })

  it("artifacts survive the store's JSON encoding (NaN → \"NaN\" → NaN)", () => {
    const kind = embeddingMetrics.outputs.metrics
    const a = analyses[0]!.value
    const withNaN = { ...a, metrics: { ...a.metrics, ari: Number.NaN } }
    const back = kind.decode(kind.encode(withNaN))
    expect(back.metrics.ari).toBeNaN()
    expect(back.metrics.spectralGap).toBe(a.metrics.spectralGap)
    expect(back.bestK.labels).toEqual(a.bestK.labels)
  })

  it("correlations without errors: metrics table written, correlations say they need trained models", async () => {
    const out = await runStage(metricCorrelations, { inputs: { analyses } })
    expect(out.metrics.trim().split("\n")).toHaveLength(1 + 3)
    expect(out.correlations).toMatch(/need trained models/)
    expect(out.heatmap).toMatch(/need trained models/)
    expect((await runStage(layerAri, { inputs: { analyses } })).figure).toMatch(/no model exported per-layer/)
  })

  it("consensus groups and radius sub-groups partition the elements; every sub-group obeys the 30 % rule", async () => {
    const ce = await runStage(clusterEnsemble, { params: { populationSize: 40, generations: 30 }, inputs: { analyses } })
    const c = ce.consensus
    expect(c.labels).toHaveLength(c.symbols.length)
    expect(c.fitness).toBeGreaterThanOrEqual(c.gaFitness)
    const rg = await runStage(radiusGroups, { dataDir: dataDir(), inputs: { consensus: c } })
    const members = rg.subgroups.flatMap((s) => s.members).sort()
    expect(members).toEqual([...c.symbols].sort())
    expect(rg.subgroups.length).toBeGreaterThanOrEqual(c.groups)
    for (const s of rg.subgroups.filter((s) => s.ion !== "none"))
      for (let k = 1; k < s.radii.length; k++) expect(Number(s.radii[k])).toBeLessThan(1.3 * Number(s.radii[k - 1]))
  })

  it("orthogonality without hybrids: untrained baseline only, near 90°", async () => {
    const out = await runStage(orthogonality, { dataDir: dataDir(), params: { baselineDims: [64] }, inputs: { models } })
    const mean = Number(out.table.split("\n")[1]!.split(",")[2])
    expect(Math.abs(mean - 90)).toBeLessThan(5) // isotropic law at DIM 64, 100 elements: sd of the mean ≈ 0.7°
    expect(out.figure).toMatch(/no hybrid models/)
  })

  it("distill falls back to the published tables and says so; CrabNet CSV", async () => {
    const out = await runStage(distill, { dataDir: dataDir(), params: { variant: "S", nComponents: 8, maxIter: 100, nInit: 1 }, inputs: { models } })
    expect(out.summary.publishedFallback).toBe(true)
    expect(out.summary.note).toMatch(/published tables instead/)
    const lines = out.table.trim().split("\n")
    expect(lines[0]).toBe("element,0,1,2,3,4,5,6,7")
    expect(lines[1]!.startsWith("H,")).toBe(true)
    // CrabNet reads rows by position: all 118 elements in Z order, zero rows for those without a vector
    expect(lines).toHaveLength(1 + 118)
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(SYMBOLS)
    expect(out.summary.zeroRows).toHaveLength(118 - out.summary.elements)
    for (const s of out.summary.zeroRows) expect(lines[zOf(s)]).toBe([s, ...Array(8).fill("0")].join(","))
    expect(out.vectors.labels).toHaveLength(out.summary.elements)
    expect(out.vectors.labels!.some((s) => out.summary.zeroRows.includes(s))).toBe(false)
    expect(out.summary.range.maxDistance).toBeGreaterThan(out.summary.range.minDistance)
  })
})

describe("analysis of (synthetic) trained models", () => {
  // hybrid and pure models on two tasks with errors that grow with a known metric (the dimension)
  const r = mulberry32(5)
  const symbols = ["H", "Li", "Be", "B", "C", "N", "O", "F", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "K", "Ca", "Fe", "Cu", "Zn"]
  const table = (d: number) => symbols.map(() => Array.from({ length: d }, () => gaussian(r)))
  const models: Gathered<ModelEmbeddings>[] = []
  for (const task of ["t1", "t2"])
    for (const dim of [4, 8, 16])
      for (const [strategy, gamma] of [["H", "-Infinity"], ["hybrid", 0], ["L", "Infinity"]] as const)
        models.push({
          node: `train[${task},${dim},${strategy}]`,
          point: {},
          params: {},
          value: {
            meta: { backbone: "cgcnn", strategy, gamma, dim, task, fold: 0, mae: dim + (strategy === "hybrid" ? 0 : 0.5), validationMae: dim + (strategy === "hybrid" ? 0 : 0.5) },
            symbols,
            fused: table(dim),
            ...(strategy !== "L" ? { h: table(dim) } : {}),
            ...(strategy !== "H" ? { l: table(dim) } : {}),
            layers: [table(dim), table(dim)],
          },
        })

  it("correlations: dimension vs error is +1 within every group; heatmap drawn", async () => {
    const analyses = gathered("embedding-metrics", await Promise.all(models.map(async (m) => [m.node, (await runStage(embeddingMetrics, { dataDir: dataDir(), params: smokeMetrics, inputs: { model: m.value } })).metrics] as [string, ModelAnalysis])))
    const out = await runStage(metricCorrelations, { inputs: { analyses } })
    const dimRows = out.correlations.split("\n").filter((l) => l.includes(",dim,"))
    expect(dimRows).toHaveLength(3) // cgcnn/H, cgcnn/L, cgcnn/hybrid
    for (const row of dimRows) expect(row.split(",").slice(2, 4).map(Number)).toEqual([1, 1])
    expect(out.heatmap).toContain("Spearman")
    const la = await runStage(layerAri, { inputs: { analyses } })
    expect(la.table.trim().split("\n")).toHaveLength(1 + 18 * 3) // input + 2 layers per model
    expect(la.figure).toContain("layer 2")
  })

  it("orthogonality: one row per hybrid/H-L model pair; distill S picks the best γ per setting", async () => {
    const o = await runStage(orthogonality, { dataDir: dataDir(), params: { baselineDims: [8] }, inputs: { models } })
    expect(o.perModel.trim().split("\n")).toHaveLength(1 + 6) // the 6 hybrids carry both channels
    const d = await runStage(distill, { dataDir: dataDir(), params: { variant: "S", nComponents: 4, maxIter: 50, nInit: 1 }, inputs: { models } })
    expect(d.summary.publishedFallback).toBe(false)
    expect(d.summary.sources).toHaveLength(6) // (2 tasks × 3 dims), each the hybrid (lowest MAE)
    expect(d.summary.sources.every((s) => s.includes("hybrid"))).toBe(true)
    const h = await runStage(distill, { dataDir: dataDir(), params: { variant: "H", nComponents: 4, maxIter: 50, nInit: 1 }, inputs: { models } })
    expect(h.summary.sources.every((s) => s.endsWith(",H]"))).toBe(true)
  })
})

describe("planning", () => {
  it("one metrics node per published table; aggregates gather them all", () => {
    const p = plan([publishedCorrelations, publishedDistill], { targets: ["published-correlations", "published-distill"], preset: "default", assignments: [] })
    const metricNodes = p.nodes.filter((n) => n.stage === publishedMetrics).map((n) => n.id)
    expect(metricNodes).toContain("published-metrics[table=megnet16]")
    expect(metricNodes).toHaveLength(7)
    const corr = p.nodes.find((n) => n.stage === publishedCorrelations)!
    expect(corr.inputs[0]!.upstream).toHaveLength(7)
    expect(p.nodes.filter((n) => n.stage === publishedDistill).map((n) => n.id)).toContain("published-distill[nComponents=64,variant=L]")
  })
  it("one embedding-metrics node per trained model", () => {
    const p = plan([metricCorrelations, distill], { targets: ["metric-correlations"], preset: "default", assignments: [] })
    const trainNodes = p.nodes.filter((n) => n.stage.name === "train")
    expect(trainNodes).toHaveLength(28) // 2 backbones × 7 γ × phonons folds 0, 1 at the default preset
    expect(p.nodes.filter((n) => n.stage === embeddingMetrics)).toHaveLength(28)
    expect(p.nodes.find((n) => n.stage === metricCorrelations)!.inputs[0]!.upstream).toHaveLength(28)
  })
})

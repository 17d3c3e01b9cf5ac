// stages/report.ts: thesis-wide — `npx pipeline report [--open] [--out FILE]`: one self-contained HTML
// page (inline SVG and CSS, no script, no network) with every table and figure the workspace has
// run, in the thesis's order, each beside the thesis's number or figure reference, with provenance
// (preset, params, node key, code fingerprint, git commit).
//
// Why a command and not a stage: a stage's inputs are all required, so a `report` stage would make
// `run report` train and analyse everything. The report shows "whatever was run": it reads
// pipeline.lock (the record of every node's last successful run: key, params, code, output hashes)
// and the content-addressed blobs those hashes name, so every number on the page is a verified
// artifact of a named node. A section whose stage has no node in the lock says so and gives the
// command that runs it. Wiring a new stage in (e.g. `crabnet-transfer`) is one entry in SECTIONS.
import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import type { AnyStage, PipelineCommand } from "../engine/index.js"
import { escapeXml } from "../figures/svg.js"
import { THESIS_PICK } from "./composition-pick.js"

/** What the report reads from one pipeline.lock entry. */
export interface LockedNode {
  readonly stage: string
  readonly key: string
  readonly params: Record<string, unknown>
  readonly code: { readonly hash: string; readonly version: string }
  readonly outputs: Record<string, { readonly hash: string; readonly path: string; readonly size: number }>
}

export interface Section {
  readonly id: string
  readonly title: string
  /** the thesis's reference: section, figure/table numbers and its printed numbers */
  readonly thesis: string
  readonly stages: readonly {
    readonly name: string
    /** outputs to show (default: every svg, csv and small json) */
    readonly outputs?: readonly string[]
    /** fan-out stages: at most this many nodes shown with their artifacts (the rest listed) */
    readonly maxNodes?: number
  }[]
  readonly command: string
  /** extra HTML beside the thesis reference (a thesis table transcribed) */
  readonly thesisHtml?: string
}

const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  `<table class="thesis"><tr>${head.map((h) => `<th>${escapeXml(h)}</th>`).join("")}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(String(c))}</td>`).join("")}</tr>`).join("")}</table>`

// Thesis Table 4.1 (mean angle / variance of θ per DIM 8, 16, 32, 64)
const THESIS_TABLE_4_1 = table(
  ["statistic", "model", "DIM 8", "DIM 16", "DIM 32", "DIM 64"],
  [
    ["mean angle (°)", "untrained", 89.5435, 90.5969, 88.3179, 90.9668],
    ["mean angle (°)", "CGCNN", 88.6925, 90.1415, 89.7174, 90.099],
    ["mean angle (°)", "MEGNet", 79.3096, 80.2907, 81.6483, 83.4162],
    ["variance (deg²)", "untrained", 410.779, 226.3515, 73.0965, 56.3134],
    ["variance (deg²)", "CGCNN", 444.3819, 206.9898, 102.8234, 46.93],
    ["variance (deg²)", "MEGNet", 450.7965, 271.6864, 163.9447, 112.0157],
  ],
)
// Thesis Tables 4.2 (MAE) and 4.3 (ROC-AUC): CrabNet with each element table
const THESIS_TABLES_4_2_3 = table(
  ["element table", "steels (MAE)", "expt_gap (MAE)", "expt_is_metal (ROC-AUC)", "glass (ROC-AUC)"],
  [
    ["Mat2Vec (200)", 106.6691, 0.3449, 0.9641, 0.9024],
    ["SkipAtom (200)", 104.9032, 0.3432, 0.9659, 0.9071],
    ["Mat2Vec-S (32)", 101.9088, 0.3425, 0.9686, 0.92],
    ["Mat2Vec-S (64)", 105.2421, 0.3338, 0.9674, 0.921],
    ["Mat2Vec-H (32)", 96.2327, 0.3314, 0.9675, 0.9171],
    ["Mat2Vec-H (64)", 104.3017, 0.3274, 0.9684, 0.9192],
    ["Mat2Vec-L (32)", 97.9391, 0.3868, 0.958, 0.9189],
    ["Mat2Vec-L (64)", 99.2107, 0.3718, 0.9606, 0.9192],
  ],
)

/** The report's sections in thesis order. */
export const SECTIONS: readonly Section[] = [
  {
    id: "ordering",
    title: "§3.1 One-dimensional element ordering, Table 3.1 and the λ front",
    thesis: "Thesis §3.1, Figs. 3.2–3.4 and Table 3.1: 1-D SMACOF of the substitution distance, gaps of the modified-Pettifor order optimised per λ; the Pareto front of (LossX, LossY) picks λ = 6; Table 3.1 lists the λ = 6 positions of 95 elements (our table.csv sets them beside ours).",
    stages: [{ name: "ordering-1d", outputs: [] }, { name: "lambda-select", outputs: ["pareto", "table", "ordering", "distanceHeatmap", "summary"] }],
    command: "npx pipeline run lambda-select",
  },
  {
    id: "composition-screen",
    title: "§3.2.3 Composition screen (Fig. 3.8)",
    thesis: `Thesis §3.2.3, Fig. 3.8: R² of a random forest on the 103-d element-fraction vector per structure task, beside the dummy and the best model; the thesis keeps the five composition-dominated tasks ${THESIS_PICK.map((t) => t.replace("matbench_", "")).join(", ")}.`,
    stages: [{ name: "composition-pick", outputs: ["figure", "table", "pick"] }, { name: "composition-screen", outputs: ["table"], maxNodes: 8 }],
    command: "npx pipeline run composition-pick",
  },
  {
    id: "training",
    title: "§3.2.2 / §4.1 Training results beside MatBench's per-fold scores",
    thesis: "Thesis §3.2.2: CGCNN and MEGNet trained as in their MatBench submissions (CGCNN v2019, MEGNet kgcnn v2.1.0); every model's test MAE beside the published MAE of the same backbone, task and fold.",
    stages: [{ name: "leaderboard", outputs: ["table", "summary"] }],
    command: "npx pipeline run leaderboard",
  },
  {
    id: "strategies",
    title: "§3.2.2 MAE by element strategy (Figs. 3.6–3.7)",
    thesis: "Thesis Figs. 3.6 (CGCNN) and 3.7 (MEGNet): test MAE of the handcrafted (H) and learnable (L) input per task; §4.1: hybrids beat both pure channels in most task × backbone settings.",
    stages: [{ name: "strategy-mae", outputs: ["figure", "table"] }],
    command: "npx pipeline run strategy-mae",
  },
  {
    id: "gamma",
    title: "§4.1 Hybrid γ: MAE against γ, best-γ frequency, effect of DIM (Figs. 4.2–4.4)",
    thesis: "Thesis Fig. 4.2 (test MAE vs γ per DIM), Fig. 4.3 (how often each γ is best), Fig. 4.4 (effect of DIM per task and mixing mode); 2,240 models (8 tasks × 5 folds × 2 backbones × 4 DIM × 7 γ).",
    stages: [{ name: "gamma-study", outputs: ["maeVsGamma", "bestGamma", "dimEffect", "curves"] }],
    command: "npx pipeline run gamma-study",
  },
  {
    id: "metrics",
    title: "§3.2.3 Embedding metrics and their correlation with the error (Fig. 3.9)",
    thesis: "Thesis Fig. 3.9: Pearson/Spearman correlation of λ1, spectral gap, Fiedler value, effective rank, entropy, ARI and silhouette with the fold-normalised error, per backbone and strategy, over 400 models of the five picked tasks.",
    stages: [{ name: "metric-correlations", outputs: ["heatmap", "correlations"] }],
    command: "npx pipeline run metric-correlations",
  },
  {
    id: "layer-ari",
    title: "§3.2.4 ARI per message-passing layer (Fig. 3.10)",
    thesis: "Thesis Fig. 3.10: agreement (ARI) of K-means on each layer's element vectors with the chemical classes.",
    stages: [{ name: "layer-ari", outputs: ["figure", "table"] }],
    command: "npx pipeline run layer-ari",
  },
  {
    id: "groups",
    title: "§3.2.4 Consensus element groups and radius groups on the periodic table",
    thesis: "Thesis §3.2.4: consensus of the models' best-silhouette K-means labellings by a genetic algorithm gives 17 groups; splitting by Shannon radius (≥ 30 % jump) and cation/anion gives 33.",
    stages: [{ name: "cluster-ensemble", outputs: ["figure", "groups"] }, { name: "radius-groups", outputs: ["figure", "table"] }],
    command: "npx pipeline run radius-groups",
  },
  {
    id: "published",
    title: "§3.2.3–3.2.4 The published element tables analysed the same way",
    thesis: "Thesis §3.2.3: Mat2Vec, SkipAtom, MEGNet-16, Magpie, Oliynyk … as reference embeddings for the same metrics, ARI and consensus (the random_200 table is the control).",
    stages: [{ name: "published-correlations", outputs: ["heatmap"] }, { name: "published-cluster-ensemble", outputs: ["figure"] }, { name: "published-radius-groups", outputs: ["figure"] }],
    command: "npx pipeline run published-radius-groups published-correlations",
  },
  {
    id: "orthogonality",
    title: "§4.2.2 Orthogonality of the two channels (Table 4.1, Fig. 4.5)",
    thesis: "Thesis Table 4.1 (below) and Fig. 4.5: angle θ between the projected handcrafted vector and the learnable vector of each element; near 90° like the untrained baseline, with a wider spread after training.",
    thesisHtml: THESIS_TABLE_4_1,
    stages: [{ name: "orthogonality", outputs: ["table", "figure"] }, { name: "angle-distribution", outputs: ["figure"] }],
    command: "npx pipeline run orthogonality angle-distribution",
  },
  {
    id: "distill",
    title: "§4.2.3 Distilled element tables Mat2Vec-S/H/L (Fig. 4.7)",
    thesis: "Thesis Figs. 4.6–4.7: best-γ models per setting (320 of 2,240), cosine distances median-rescaled and averaged, SMACOF to 32/64 dimensions; heatmaps of the distance matrices beside Mat2Vec's.",
    stages: [{ name: "distill", outputs: ["heatmap"], maxNodes: 6 }],
    command: "npx pipeline run distill",
  },
  {
    id: "crabnet",
    title: "§4.2.4 CrabNet with the distilled tables (Tables 4.2, 4.3)",
    thesis: "Thesis Tables 4.2 (regression, MAE) and 4.3 (classification, ROC-AUC), below: CrabNet with each element table on the four composition tasks; Mat2Vec-* improves on Mat2Vec by 4.3 % overall.",
    thesisHtml: THESIS_TABLES_4_2_3,
    stages: [{ name: "crabnet-transfer" }],
    command: "npx pipeline run crabnet-transfer",
  },
]

const CSS = `
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 1.5rem 3rem;color:#222;line-height:1.45}
header{border-bottom:2px solid #0072B2;margin-bottom:1rem}
h1{font-size:1.6rem;margin:1.2rem 0 .3rem} h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid #ccc}
h3{font-size:1rem;margin:1rem 0 .3rem;font-family:ui-monospace,monospace}
nav ol{columns:2;font-size:.9rem} .thesis-ref{background:#f3f7fb;border-left:4px solid #0072B2;padding:.5rem .8rem;margin:.5rem 0}
.not-run{background:#fff6e5;border-left:4px solid #E69F00;padding:.5rem .8rem} code{background:#f2f2f2;padding:0 .25rem}
.figure{overflow-x:auto;margin:.5rem 0} .figure svg{max-width:none;height:auto}
table{border-collapse:collapse;font-size:.8rem;margin:.4rem 0} td,th{border:1px solid #ddd;padding:.15rem .4rem;text-align:right} th{background:#f5f5f5}
.csv{overflow-x:auto;max-height:28rem;overflow-y:auto} details{margin:.3rem 0} summary{cursor:pointer;color:#0072B2}
pre{font-size:.75rem;background:#fafafa;border:1px solid #eee;padding:.4rem;overflow-x:auto;max-height:20rem}
.prov td{text-align:left;font-family:ui-monospace,monospace;font-size:.72rem} footer{margin-top:3rem;font-size:.8rem;color:#666}
`

export interface ReportInput {
  /** node id → lock entry */
  readonly nodes: Readonly<Record<string, LockedNode>>
  /** the bytes of an output (by content hash, else its artifact path); undefined when neither is there */
  readonly read: (output: { hash: string; path: string }) => string | undefined
  /** presets whose params the node's params equal ("custom" when none) */
  readonly presetOf: (node: LockedNode) => string
  readonly codeVersion: string
  readonly generatedAt: string
}

const MAX_CSV_ROWS = 60

function csvHtml(text: string, path: string): string {
  const lines = text.trimEnd().split("\n")
  const split = (l: string) => {
    const out: string[] = []
    let cur = "", quoted = false
    for (const ch of l) {
      if (ch === '"') quoted = !quoted
      else if (ch === "," && !quoted) {
        out.push(cur)
        cur = ""
      } else cur += ch
    }
    out.push(cur)
    return out
  }
  const [head, ...rows] = lines.map(split)
  const more = rows.length > MAX_CSV_ROWS ? `<p>… ${rows.length - MAX_CSV_ROWS} more rows in <code>${escapeXml(path)}</code></p>` : ""
  return `<div class="csv">${table(head ?? [], rows.slice(0, MAX_CSV_ROWS))}</div>${more}`
}

function outputHtml(name: string, out: { hash: string; path: string; size: number }, text: string | undefined): string {
  const label = `<h3>${escapeXml(out.path)}</h3>`
  if (text === undefined) return `${label}<p class="not-run">artifact ${escapeXml(out.hash)} is not in the cache any more (gc'd?): rerun the command above.</p>`
  if (out.path.endsWith(".svg")) return `${label}<div class="figure">${text.replace(/<\?xml[^>]*>\s*/, "")}</div>`
  if (out.path.endsWith(".csv")) return `${label}${csvHtml(text, out.path)}`
  if (out.path.endsWith(".json")) {
    const shown = text.length > 6000 ? text.slice(0, 6000) + "\n…" : text
    let pretty = shown
    try {
      if (text.length <= 6000) pretty = JSON.stringify(JSON.parse(text), null, 1)
    } catch {
      /* shown as is */
    }
    return `<details><summary>${escapeXml(out.path)} (${out.size.toLocaleString("en")} bytes)</summary><pre>${escapeXml(pretty)}</pre></details>`
  }
  return `<p>${escapeXml(name)}: <code>${escapeXml(out.path)}</code> (${out.size.toLocaleString("en")} bytes)</p>`
}

function provenanceHtml(nodes: readonly [string, LockedNode][], input: ReportInput): string {
  const rows = nodes.map(([id, n]) => [id, n.key, input.presetOf(n), `v${n.code.version} · ${n.code.hash}`, JSON.stringify(n.params)])
  return `<details><summary>provenance: ${nodes.length} node${nodes.length === 1 ? "" : "s"} (preset, params, key, code)</summary><div class="csv"><table class="prov"><tr><th>node</th><th>key</th><th>preset</th><th>code</th><th>params</th></tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeXml(c)}</td>`).join("")}</tr>`).join("")}</table></div></details>`
}

/** The whole page. Pure: tests call it on a hand-made lock. */
export function renderReport(input: ReportInput): string {
  const byStage = new Map<string, [string, LockedNode][]>()
  for (const [id, n] of Object.entries(input.nodes).sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))) byStage.set(n.stage, [...(byStage.get(n.stage) ?? []), [id, n]])
  const body = SECTIONS.map((s) => {
    const parts = [`<section id="${s.id}"><h2>${escapeXml(s.title)}</h2>`, `<div class="thesis-ref"><strong>Thesis:</strong> ${escapeXml(s.thesis)}${s.thesisHtml ?? ""}</div>`]
    const present = s.stages.filter((st) => byStage.has(st.name))
    if (present.length === 0) {
      parts.push(`<p class="not-run"><strong>Not run.</strong> Run: <code>${escapeXml(s.command)}</code></p></section>`)
      return parts.join("\n")
    }
    for (const st of s.stages) {
      const nodes = byStage.get(st.name)
      if (!nodes) {
        parts.push(`<p class="not-run"><code>${escapeXml(st.name)}</code> not run. Run: <code>${escapeXml(s.command)}</code></p>`)
        continue
      }
      const shown = nodes.slice(0, st.maxNodes ?? 1)
      for (const [id, n] of shown) {
        if (nodes.length > 1) parts.push(`<h3>${escapeXml(id)}</h3>`)
        // the section's order when it names outputs (figures before their tables), else the lock's
        const names = st.outputs ? st.outputs.filter((o) => o in n.outputs) : Object.keys(n.outputs).filter((o) => /\.(svg|csv|json)$/.test(n.outputs[o]!.path) && (!n.outputs[o]!.path.endsWith(".json") || n.outputs[o]!.size < 20_000))
        for (const name of names) parts.push(outputHtml(name, n.outputs[name]!, input.read(n.outputs[name]!)))
      }
      if (nodes.length > shown.length) parts.push(`<p>${nodes.length - shown.length} more <code>${escapeXml(st.name)}</code> nodes: see the provenance list and <code>artifacts/${escapeXml(st.name)}/</code>.</p>`)
      parts.push(provenanceHtml(nodes, input))
    }
    parts.push(`</section>`)
    return parts.join("\n")
  })
  const toc = SECTIONS.map((s) => `<li><a href="#${s.id}">${escapeXml(s.title)}</a>${s.stages.some((st) => byStage.has(st.name)) ? "" : " — not run"}</li>`).join("")
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thesis reproduction report</title><style>${CSS}</style></head>
<body><header><h1>不同嵌入方法对材料结构信息表征能力的研究 — reproduction report</h1>
<p>Every table and figure below is an artifact of a node recorded in <code>pipeline.lock</code> (its key, params, code fingerprint and content hash), in the thesis's order, beside the thesis's reference. Code version <code>${escapeXml(input.codeVersion)}</code>; generated ${escapeXml(input.generatedAt)}; ${Object.keys(input.nodes).length} nodes in the lock.</p>
<nav><ol>${toc}</ol></nav></header>
${body.join("\n")}
<footer>Made by <code>npx pipeline report</code>. Self-contained: inline SVG and CSS, no script, no network.</footer>
</body></html>
`
}

// ---- the command

/** The presets under which a stage resolves to exactly these params (grid params: the value is in the preset's grid). */
export function presetsMatching(s: AnyStage, params: Readonly<Record<string, unknown>>, presets: readonly string[] = Object.keys(s.presets ?? {})): string[] {
  const canon = (v: unknown) => JSON.stringify(v)
  const shape = (s.params as { shape: Record<string, { safeParse: (v: unknown) => { success: boolean; data?: unknown } }> }).shape
  return presets.filter((p) =>
    Object.entries(shape).every(([k, field]) => {
      const pv = (s.presets?.[p] as Record<string, unknown> | undefined)?.[k]
      const gv = (s.grid as Record<string, unknown[]> | undefined)?.[k]
      const allowed = k in (s.grid ?? {}) ? (pv !== undefined ? (Array.isArray(pv) ? pv : [pv]) : gv!) : [pv !== undefined ? pv : field.safeParse(undefined).data]
      return allowed.some((a) => canon(a) === canon(params[k]))
    }),
  )
}

function codeVersion(root: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim()
    return dirty ? `${head} (uncommitted changes)` : head
  } catch {
    return "unknown (not a git checkout)"
  }
}

export const reportCommand: PipelineCommand = {
  summary: "one self-contained HTML page of every table and figure the workspace has run, in thesis order",
  usage: "report [--open] [--out FILE]   (default artifacts/report/index.html)",
  run: async (args) => {
    const root = process.cwd()
    const outIdx = args.indexOf("--out")
    const unknown = args.filter((a, i) => a !== "--open" && a !== "--out" && !(outIdx >= 0 && i === outIdx + 1))
    if (unknown.length) throw new Error(`report: unknown argument '${unknown[0]}' (usage: ${reportCommand.usage})`)
    const out = resolve(root, outIdx >= 0 ? args[outIdx + 1] ?? "" : "artifacts/report/index.html")
    const lockFile = join(root, "pipeline.lock")
    if (!existsSync(lockFile)) throw new Error(`report: no pipeline.lock in ${root} — run something first, e.g. npx pipeline run distill --preset smoke`)
    let lock: { nodes?: Record<string, LockedNode> }
    try {
      lock = JSON.parse(readFileSync(lockFile, "utf8"))
    } catch (e) {
      throw new Error(`report: ${lockFile} is not valid JSON (${(e as Error).message})`)
    }
    const { default: pipeline } = await import("../pipeline.js")
    const stages = new Map(pipeline.stages.map((s) => [s.name, s]))
    const blob = (hash: string) => join(root, "cache", "blobs", hash.slice(0, 2), hash)
    const html = renderReport({
      nodes: lock.nodes ?? {},
      read: (o) => (existsSync(blob(o.hash)) ? readFileSync(blob(o.hash), "utf8") : existsSync(join(root, o.path)) ? readFileSync(join(root, o.path), "utf8") : undefined),
      presetOf: (n) => {
        const s = stages.get(n.stage)
        const m = s ? presetsMatching(s, n.params, pipeline.presets ?? Object.keys(s.presets ?? {})) : []
        return m.length ? m.join(" = ") : "custom (--set/--sweep)"
      },
      codeVersion: codeVersion(root),
      generatedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    })
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, html)
    console.log(`report: ${out} (${(html.length / 1024).toFixed(0)} KiB, ${Object.keys(lock.nodes ?? {}).length} nodes)`)
    if (args.includes("--open")) spawn(process.platform === "darwin" ? "open" : "xdg-open", [out], { detached: true, stdio: "ignore" }).on("error", () => console.log(`report: open ${out} in a browser`)).unref()
    return 0
  },
}

// Planning: stages → nodes. A stage expands into one node per grid point; an upstream stage gets
// the nodes its consumers demand (a consumer's params fix the upstream grid keys they share), so
// `--set task=X` on a training node pulls in the graphs node for X, and a gather (`all(...)`) takes
// every upstream node that agrees on the shared keys. Planning is pure and separate from running.
import { canonicalJson } from "./canonical.js"
import { BadParam, UnknownTarget } from "./errors.js"
import { parseParams, resolveStageParams, validateAssignments, type Assignment } from "./params.js"
import { inputRefs, type AnyStage, type InputRef, type PresetName } from "./stage.js"

export interface NodeInput {
  readonly name: string
  readonly output: string
  readonly gather: boolean
  readonly upstream: PlannedNode[]
}

export interface PlannedNode {
  readonly id: string
  readonly stage: AnyStage
  readonly params: Readonly<Record<string, unknown>>
  /** values of the stage's grid keys at this node */
  readonly point: Readonly<Record<string, unknown>>
  /** readable sub-path of artifacts/<stage>/ for this grid point ("" without a grid) */
  readonly gridPath: string
  readonly inputs: NodeInput[]
}

export interface Plan {
  /** topological order: every node after its inputs */
  readonly nodes: readonly PlannedNode[]
  readonly byId: ReadonlyMap<string, PlannedNode>
  readonly targets: readonly AnyStage[]
  readonly stages: readonly AnyStage[]
}

export interface PlanOptions {
  readonly targets: readonly string[]
  readonly preset: PresetName
  readonly assignments: readonly Assignment[]
}

const refStage = (ref: InputRef): AnyStage => (ref._tag === "GatherRef" ? ref.ref.stage : ref.stage)
const refOutput = (ref: InputRef): string => (ref._tag === "GatherRef" ? ref.ref.output : ref.output)

export const formatValue = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : canonicalJson(v))

export function nodeId(stageName: string, point: Record<string, unknown>): string {
  const keys = Object.keys(point).sort()
  return keys.length === 0 ? stageName : `${stageName}[${keys.map((k) => `${k}=${formatValue(point[k])}`).join(",")}]`
}

const pathSafe = (s: string) => s.replace(/[^A-Za-z0-9._+-]/g, "_")
export const gridPathOf = (point: Record<string, unknown>): string =>
  Object.keys(point)
    .sort()
    .map((k) => `${pathSafe(k)}=${pathSafe(formatValue(point[k]))}`)
    .join("/")

/** Stages reachable upstream from `targets`, in topological order. */
export function stageClosure(targets: readonly AnyStage[]): AnyStage[] {
  const order: AnyStage[] = []
  const state = new Map<AnyStage, "visiting" | "done">()
  const visit = (s: AnyStage) => {
    const st = state.get(s)
    if (st === "done") return
    if (st === "visiting") throw new Error(`cycle in the DAG through stage '${s.name}'`)
    state.set(s, "visiting")
    for (const [, ref] of inputRefs(s)) visit(refStage(ref))
    state.set(s, "done")
    order.push(s)
  }
  targets.forEach(visit)
  return order
}

function cartesian(grid: Record<string, unknown[]>): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}]
  for (const key of Object.keys(grid).sort()) {
    const next: Record<string, unknown>[] = []
    for (const p of points) for (const v of grid[key]!) next.push({ ...p, [key]: v })
    points = next
  }
  return points
}

export class PlanError extends Error {
  constructor(readonly problems: readonly (BadParam | UnknownTarget | Error)[]) {
    super(problems.map((p) => p.message).join("; "))
  }
}

export function plan(all: readonly AnyStage[], options: PlanOptions): Plan {
  const byName = new Map(all.map((s) => [s.name, s]))
  const problems: (BadParam | UnknownTarget | Error)[] = []
  const targets: AnyStage[] = []
  for (const t of options.targets) {
    const s = byName.get(t)
    if (s) targets.push(s)
    else problems.push(new UnknownTarget({ target: t, known: [...byName.keys()] }))
  }
  problems.push(...validateAssignments(options.assignments, all))
  if (problems.length > 0) throw new PlanError(problems)

  const stages = stageClosure(targets)
  const raw = new Map(stages.map((s) => [s, resolveStageParams(s, options.preset, options.assignments)]))
  // Fan-out propagates: a stage reading one upstream node per point (OutputRef) inherits that
  // stage's grid keys it has no param for, so "metrics per trained model" needs no grid of its own.
  const effGrid = new Map<AnyStage, Record<string, unknown[]>>()
  for (const s of stages) {
    const own = raw.get(s)!.grid
    const shape = s.params.shape as Record<string, unknown>
    const grid: Record<string, unknown[]> = {}
    for (const [, ref] of inputRefs(s)) {
      if (ref._tag !== "OutputRef") continue
      for (const [k, v] of Object.entries(effGrid.get(ref.stage)!)) if (!(k in shape)) grid[k] = v
    }
    effGrid.set(s, { ...grid, ...own })
  }
  const nodesOf = new Map<AnyStage, Map<string, PlannedNode>>()
  // consumer node + input name → upstream node ids, resolved once upstream nodes exist
  const demands: { consumer: PlannedNode; input: string; ref: InputRef; ids: string[] }[] = []

  const addNode = (s: AnyStage, rawPoint: Record<string, unknown>): string | undefined => {
    const shape = s.params.shape as Record<string, unknown>
    const schemaPoint = Object.fromEntries(Object.entries(rawPoint).filter(([k]) => k in shape))
    const parsed = parseParams(s, { ...raw.get(s)!.scalars, ...schemaPoint })
    if ("errors" in parsed) {
      problems.push(...parsed.errors)
      return undefined
    }
    const point = Object.fromEntries(
      Object.keys(effGrid.get(s)!)
        .sort()
        .map((k) => [k, k in shape ? parsed.ok[k] : rawPoint[k]]),
    )
    const id = nodeId(s.name, point)
    const map = nodesOf.get(s) ?? new Map<string, PlannedNode>()
    nodesOf.set(s, map)
    if (!map.has(id)) map.set(id, { id, stage: s, params: parsed.ok, point, gridPath: gridPathOf(point), inputs: [] })
    return id
  }

  const isTarget = new Set(targets)
  for (const s of [...stages].reverse()) {
    const grid = effGrid.get(s)!
    if (isTarget.has(s)) for (const p of cartesian(grid)) addNode(s, p)
    // demands of consumers (already expanded: they come later in topological order)
    for (const d of demands.filter((d) => refStage(d.ref) === s)) {
      const shared: Record<string, unknown[]> = { ...grid }
      for (const k of Object.keys(grid)) {
        if (k in d.consumer.point) shared[k] = [d.consumer.point[k]]
        else if (k in d.consumer.params) shared[k] = [d.consumer.params[k]]
      }
      for (const p of cartesian(shared)) {
        const id = addNode(s, p)
        if (id) d.ids.push(id)
      }
    }
    // register this stage's own demands on its inputs
    for (const node of nodesOf.get(s)?.values() ?? []) {
      for (const [name, ref] of inputRefs(s)) demands.push({ consumer: node, input: name, ref, ids: [] })
    }
  }
  if (problems.length > 0) throw new PlanError(dedupe(problems))

  for (const d of demands) {
    const up = nodesOf.get(refStage(d.ref))!
    const upstream = [...new Set(d.ids)].map((id) => up.get(id)!)
    const gather = d.ref._tag === "GatherRef"
    if (!gather && upstream.length !== 1)
      problems.push(
        new Error(
          `input '${d.input}' of ${d.consumer.id} matches ${upstream.length} nodes of '${refStage(d.ref).name}' — pin the grid param or gather with all()`,
        ),
      )
    d.consumer.inputs.push({ name: d.input, output: refOutput(d.ref), gather, upstream })
  }
  if (problems.length > 0) throw new PlanError(problems)

  const nodes = stages.flatMap((s) => [...(nodesOf.get(s)?.values() ?? [])])
  return { nodes, byId: new Map(nodes.map((n) => [n.id, n])), targets, stages }
}

function dedupe<T extends Error>(xs: T[]): T[] {
  const seen = new Set<string>()
  return xs.filter((x) => (seen.has(x.message) ? false : (seen.add(x.message), true)))
}

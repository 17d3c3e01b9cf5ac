// ad hoc: the leaderboard stage over finished train artifacts of other worktrees (not committed)
import { readFileSync } from "node:fs"
import { execFileSync } from "node:child_process"
import { runStage } from "../engine/testing.js"
import { leaderboard } from "../stages/leaderboard.js"
import { train } from "../stages/train.js"
const dirs = process.argv.slice(2)
const models: any[] = [], predictions: any[] = []
for (const root of dirs) for (const f of execFileSync("find", [`${root}/artifacts/train`, "-name", "metrics.json"], { encoding: "utf8" }).trim().split("\n").filter(Boolean)) {
  const d = f.replace(/\/metrics\.json$/, "")
  const point = Object.fromEntries(d.split("/artifacts/train/")[1]!.split("/").map((kv) => kv.split("=")).map(([k, v]) => [k, ["dim", "fold"].includes(k!) ? Number(v) : v]))
  const m = JSON.parse(readFileSync(f, "utf8"))
  const params = { ...train.params.parse({ ...point }), epochs: 300, patience: 100 }
  const node = `train[${Object.entries(point).map(([k, v]) => `${k}=${v}`).join(",")}]`
  models.push({ node, point, params, value: m })
  predictions.push({ node, point, params, value: readFileSync(`${d}/predictions.csv`, "utf8") })
}
const out = await runStage(leaderboard, { inputs: { models, predictions } })
console.log(out.table)
console.log(JSON.stringify(out.summary, null, 1))

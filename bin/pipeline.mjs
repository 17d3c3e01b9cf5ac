#!/usr/bin/env node
// `npx pipeline …`: transpile what changed into .build/ (milliseconds), then run it as plain ESM.
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { buildProject } from "./build.mjs"
import { constants } from "node:os"

const osSignals = constants.signals

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
// One GC thread per process: the run fills every core with a worker thread, and V8's concurrent marking
// and parallel scavenges then take CPU from the other workers (two full-size CrabNets at once:
// 6.0–6.3 s per steels epoch each, 4.7–4.9 with this flag). V8 cannot switch it after start, and
// NODE_OPTIONS refuses it, so the CLI re-executes itself once (~0.1 s); PIPELINE_GC=parallel keeps V8's
// default. Not for a cluster job (exec-node): its CPUs are its allocation's, and it starts often.
const wantsOwnGc = process.argv[2] !== "exec-node" && process.env.PIPELINE_GC !== "parallel"
if (wantsOwnGc && !process.execArgv.includes("--single-threaded-gc")) {
  const { spawnSync } = await import("node:child_process")
  const r = spawnSync(process.execPath, ["--single-threaded-gc", ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" })
  if (r.error) throw r.error
  process.exit(r.status ?? (r.signal ? 128 + (osSignals[r.signal] ?? 0) : 1))
}
if (process.argv[2] === "exec-node") {
  // a cluster job computing one node: the submitter built .build/ already, and loading only what
  // one node needs (not the whole CLI) saves a few hundred ms per job
  const { execNodeMain } = await import(pathToFileURL(join(root, ".build/engine/executors/slurm-job.js")).href)
  process.exitCode = await execNodeMain(process.argv[3])
} else {
  buildProject(root)
  const { main } = await import(pathToFileURL(join(root, ".build/engine/cli/main.js")).href)
  process.exitCode = await main(process.argv.slice(2))
}

#!/usr/bin/env node
// `npx pipeline …`: transpile what changed into .build/ (milliseconds), then run it as plain ESM.
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { buildProject } from "./build.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
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

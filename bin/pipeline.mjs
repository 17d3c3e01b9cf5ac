#!/usr/bin/env node
// `npx pipeline …`: transpile what changed into .build/ (milliseconds), then run it as plain ESM.
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { buildProject } from "./build.mjs"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
buildProject(root)
const { main } = await import(pathToFileURL(join(root, ".build/engine/cli/main.js")).href)
process.exitCode = await main(process.argv.slice(2))

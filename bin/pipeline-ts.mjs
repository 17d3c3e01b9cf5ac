#!/usr/bin/env node
// Run a TypeScript file (benchmarks, scripts) with the project's loader: node bin/pipeline-ts.mjs FILE [args…]
import { register } from "tsx/esm/api"
import { resolve } from "node:path"
import { pathToFileURL } from "node:url"

register()
const [file, ...rest] = process.argv.slice(2)
process.argv = [process.argv[0], resolve(file), ...rest]
await import(pathToFileURL(resolve(file)).href)

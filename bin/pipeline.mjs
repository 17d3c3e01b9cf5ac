#!/usr/bin/env node
// `npx pipeline …`: run the TypeScript sources through tsx (no build step to forget).
import { register } from "tsx/esm/api"

register()
const { main } = await import("../engine/cli/main.ts")
process.exitCode = await main(process.argv.slice(2))

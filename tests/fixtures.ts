// Test helpers: the shared reference fixtures (scikit-learn / pymatgen outputs) and the data mirror.
import { readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..")
export const sharedDir = resolve(repoRoot, "..", "shared")
export const sharedData = join(sharedDir, "data")

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(sharedDir, "fixtures", name), "utf8")) as T
}

/** Point the data layer at the shared mirror (as .ci/run does). */
export function useSharedData(): void {
  process.env.PIPELINE_DATA_DIR ??= sharedData
}

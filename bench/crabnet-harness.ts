// The PyTorch CrabNet harness (../shared/bench/crabnet-step) in a writable place with its data/ written,
// for bench:crabnet, crabnet-check and kernel-profile. ../shared is read-only and gen_batch.py writes
// data/ beside itself, so the folder is copied to <root>/bench/crabnet-step with <root>/data linked to
// the shared data (its common.py reads ../../data), and gen_batch.py runs once there. Needs Debian's
// python3-torch and friends (the harness README's apt-get line); nothing is downloaded.
import { execFileSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const SHARED = resolve(repoRoot, "..", "shared")
export const PYTHON = "/usr/bin/python3"
/** Default place of the writable copy (override with CRABNET_HARNESS or --harness). */
export const DEFAULT_HARNESS = process.env.CRABNET_HARNESS ?? "/tmp/pipeline-crabnet/bench/crabnet-step"

export function hasTorch(): boolean {
  try {
    execFileSync(PYTHON, ["-c", "import torch, pandas, sklearn"], { stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

/** The harness folder with data/batch.json, prepared on first use; exits 2 with what to do when it cannot be. */
export function crabnetHarness(dir = DEFAULT_HARNESS): string {
  if (existsSync(join(dir, "data", "batch.json"))) return dir
  const source = join(SHARED, "bench", "crabnet-step")
  if (!existsSync(join(source, "gen_batch.py"))) fail(`no ${source}/gen_batch.py (the shared folder must sit beside the repo)`)
  if (!hasTorch()) fail(`${PYTHON} cannot import torch/pandas/sklearn: apt-get install -y python3-torch python3-pandas python3-numpy python3-tqdm python3-seaborn python3-sklearn python3-matplotlib`)
  if (!existsSync(join(dir, "gen_batch.py"))) {
    mkdirSync(dirname(dir), { recursive: true })
    cpSync(source, dir, { recursive: true, filter: (p) => !p.includes(`${source}/data`) })
  }
  const data = resolve(dir, "..", "..", "data")
  if (!existsSync(data)) symlinkSync(join(SHARED, "data"), data)
  console.error(`crabnet harness: writing ${dir}/data with gen_batch.py (once, ~15 s)`)
  execFileSync(PYTHON, [join(dir, "gen_batch.py")], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] })
  return dir
}

function fail(why: string): never {
  console.error(`crabnet harness: ${why}`)
  process.exit(2)
}

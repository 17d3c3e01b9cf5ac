#!/usr/bin/env bash
# The committed smoke hashes (smoke.lock.json): run the smoke DAG from an empty cache in a scratch copy of this
# working tree, then compare what it produced with smoke.lock.json, or with --update rewrite the file.
#   bin/smoke-lock.sh            # check (exit 1 naming each artifact that moved)
#   bin/smoke-lock.sh --update   # regenerate after a change meant to alter results; commit the diff
# Extra arguments after the flag go to `pipeline run` (e.g. --jobs 1). Data: PIPELINE_DATA_DIR, else ../shared/data.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
mode=()
if [[ "${1:-}" == "--update" ]]; then mode=(--update); shift; fi
export PIPELINE_DATA_DIR="${PIPELINE_DATA_DIR:-$(cd "$repo/.." && pwd)/shared/data}"
# the hashes are those of the CPU path; tfjs-node / tfjs-node-gpu, where they install, compute differently
export PIPELINE_TFJS_BACKEND=cpu
scratch="$(mktemp -d "${TMPDIR:-/tmp}/smoke-lock.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
# tracked and untracked-but-not-ignored files: what a commit of this tree would hold
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [[ -e "$f" ]] && mkdir -p "$scratch/$(dirname "$f")" && cp -p "$f" "$scratch/$f"; done)
ln -s "$repo/node_modules" "$scratch/node_modules"
cd "$scratch"
npx pipeline run distill leaderboard crabnet-transfer --preset smoke "$@"
npx pipeline verify --expected "$repo/smoke.lock.json" "${mode[@]}"

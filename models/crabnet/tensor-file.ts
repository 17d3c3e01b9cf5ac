// Reader for the tensor files of ../shared/bench/crabnet-step (gen_batch.py's data/*.{json,bin}) and of
// models/crabnet/fixtures: a JSON header listing {name, dtype, shape, offset, nbytes} and one raw
// little-endian C-order .bin beside it (same format as that folder's read_data.mjs).
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { dirname, join } from "node:path"

export interface TensorFile {
  readonly meta: Record<string, unknown>
  readonly f32: (name: string) => Float32Array
  readonly i32: (name: string) => Int32Array
  readonly shape: (name: string) => number[]
  readonly has: (name: string) => boolean
}

export function readTensorFile(jsonPath: string): TensorFile {
  const meta = JSON.parse(readFileSync(jsonPath, "utf8")) as Record<string, unknown> & {
    bin: string; bin_sha256?: string; tensors: { name: string; dtype: string; shape: number[]; offset: number; nbytes: number }[]
  }
  const buf = readFileSync(join(dirname(jsonPath), meta.bin))
  if (meta.bin_sha256 && createHash("sha256").update(buf).digest("hex") !== meta.bin_sha256) {
    throw new Error(`${meta.bin}: sha256 differs from ${jsonPath}; regenerate the pair`)
  }
  const byName = new Map(meta.tensors.map((t) => [t.name, t]))
  const get = (name: string) => {
    const t = byName.get(name)
    if (!t) throw new Error(`${jsonPath} has no tensor ${name}`)
    return { t, bytes: buf.buffer.slice(buf.byteOffset + t.offset, buf.byteOffset + t.offset + t.nbytes) }
  }
  return {
    meta,
    f32: (n) => new Float32Array(get(n).bytes),
    i32: (n) => new Int32Array(get(n).bytes),
    shape: (n) => get(n).t.shape,
    has: (n) => byName.has(n),
  }
}

// Artifact kinds: how a stage output is encoded into the content-addressed store and which file
// extension it gets when materialized under artifacts/. Encoding is deterministic so equal values
// hash equally (canonical JSON sorts keys).
import { z } from "zod"
import { canonicalJson } from "./canonical.js"

export interface ArtifactKind<T> {
  readonly kind: string
  /** file extension used under artifacts/<stage>/<grid point>/<output>.<ext> */
  readonly ext: string
  encode(value: T): Uint8Array
  decode(bytes: Uint8Array): T
}

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder()

/** A dense row-major matrix with optional row labels (e.g. element symbols). */
export interface LabelledMatrix {
  readonly rows: number
  readonly cols: number
  readonly data: Float64Array
  readonly labels?: readonly string[]
}

const json = <S extends z.ZodTypeAny = z.ZodUnknown>(schema?: S, ext = "json"): ArtifactKind<z.infer<S>> => ({
  kind: "json",
  ext,
  encode: (value) => utf8.encode(canonicalJson(value, 1)),
  decode: (bytes) => {
    const parsed = JSON.parse(fromUtf8.decode(bytes))
    return schema ? schema.parse(parsed) : parsed
  },
})

const text = (ext: string): ArtifactKind<string> => ({
  kind: "text",
  ext,
  encode: (value) => utf8.encode(value),
  decode: (bytes) => fromUtf8.decode(bytes),
})

const bytes = (ext = "bin"): ArtifactKind<Uint8Array> => ({
  kind: "bytes",
  ext,
  encode: (value) => value,
  decode: (b) => b,
})

/** Matrix as a small JSON header line + raw little-endian float64 payload. */
const matrix = (): ArtifactKind<LabelledMatrix> => ({
  kind: "matrix",
  ext: "f64",
  encode: (m) => {
    const header = utf8.encode(JSON.stringify({ rows: m.rows, cols: m.cols, labels: m.labels ?? null }) + "\n")
    const pad = (8 - (header.length % 8)) % 8
    const out = new Uint8Array(header.length + pad + m.data.byteLength)
    out.set(header, 0)
    out.fill(0x20, header.length - 1, header.length - 1 + pad) // spaces before the newline keep it one JSON line
    out[header.length - 1 + pad] = 0x0a
    out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), header.length + pad)
    return out
  },
  decode: (b) => {
    const nl = b.indexOf(0x0a)
    const header = JSON.parse(fromUtf8.decode(b.subarray(0, nl)))
    const start = nl + 1
    const data = new Float64Array(b.buffer.slice(b.byteOffset + start, b.byteOffset + b.byteLength))
    return { rows: header.rows, cols: header.cols, data, labels: header.labels ?? undefined }
  },
})

/** A codec of the stage's own (e.g. typed-array graph batches). */
const custom = <T>(spec: { kind: string; ext: string; encode(v: T): Uint8Array; decode(b: Uint8Array): T }): ArtifactKind<T> =>
  spec

export const artifact = { json, text, bytes, matrix, custom }

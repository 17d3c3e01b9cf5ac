// Canonical JSON: object keys sorted, so equal values give equal bytes and equal hashes
// (redun/DVC hash a canonical encoding for the same reason). Non-finite numbers are encoded
// as strings because JSON has no Infinity/NaN and γ = ±∞ is a real parameter value.
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(normalize(value), null, indent)
}

function normalize(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) return String(value)
    if (typeof value === "bigint") return value.toString()
    return value
  }
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, (x) => normalize(x))
  if (Array.isArray(value)) return value.map(normalize)
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(value as object).sort()) {
    const v = (value as Record<string, unknown>)[k]
    if (v !== undefined) out[k] = normalize(v)
  }
  return out
}

// xxhash64 (xxhash-wasm): fast, non-cryptographic content hashes for blobs and cache keys.
// Initialised once per process; everything after `initHash()` is synchronous.
import xxhash from "xxhash-wasm"

type Hasher = Awaited<ReturnType<typeof xxhash>>
let hasher: Hasher | undefined

export async function initHash(): Promise<void> {
  hasher ??= await xxhash()
}

function h(): Hasher {
  if (!hasher) throw new Error("hash not initialised: call initHash() first")
  return hasher
}

const hex = (x: bigint) => x.toString(16).padStart(16, "0")

export const hashBytes = (bytes: Uint8Array): string => hex(h().h64Raw(bytes))
export const hashString = (text: string): string => hex(h().h64(text))

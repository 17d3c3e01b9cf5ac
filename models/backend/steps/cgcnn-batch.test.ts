// cgcnnBatch() against the generator it restates (../shared/bench/cgcnn-step/gen_data.js).
import { execFileSync } from "node:child_process"
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cgcnnBatch } from "./cgcnn-batch.js"

const GEN_DATA = "/work/shared/bench/cgcnn-step/gen_data.js"

describe("reference batch", () => {
  // The reference generator writes next to itself; run a copy in a temp folder and compare bytes.
  it.skipIf(!existsSync(GEN_DATA))("cgcnnBatch() regenerates gen_data.js's arrays bit for bit", () => {
    const dir = mkdtempSync(join(tmpdir(), "cgcnn-gen-"))
    try {
      copyFileSync(GEN_DATA, join(dir, "gen_data.cjs"))
      execFileSync(process.execPath, [join(dir, "gen_data.cjs")], { stdio: "ignore" })
      const b = cgcnnBatch()
      const read = (k: string) => readFileSync(join(dir, "data", `${k}.bin`))
      const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)
      for (const [k, v] of Object.entries({ atom: b.atom, edge: b.edge, dst: b.dst, src: b.src, crystal: b.crystal,
        target: b.target, conv0_W: b.convW[0]!, conv2_b: b.convB[2]!, fc1_W: b.fc1W, fc2_W: b.fc2W, fc2_b: b.fc2B })) {
        expect(bytes(v).equals(read(k)), k).toBe(true)
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

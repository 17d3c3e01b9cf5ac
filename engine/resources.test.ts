// Resources: declared on the stage < preset < pipeline.config.json < --resource; their sbatch flags.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { chooseExecutor, ConfigError, readProjectConfig } from "./config.js"
import { minutesOf, parseResourceFlag, resolveResources, sbatchResourceArgs } from "./resources.js"

describe("resources", () => {
  const train = { cpus: 1, memGB: 3, time: "4h", presets: { smoke: { memGB: 2, time: "30m" }, paper: { gpus: 1, memGB: 8, time: "24h" } } }

  it("resolve: stage < preset < config < flag; a stage without resources stays cheap", () => {
    expect(resolveResources(train, "default")).toEqual({ cpus: 1, memGB: 3, time: "4h" })
    expect(resolveResources(train, "paper")).toEqual({ cpus: 1, memGB: 8, gpus: 1, time: "24h" })
    expect(resolveResources(train, "paper", { time: "12h", cpus: 4 }, { cpus: 8 })).toEqual({ cpus: 8, memGB: 8, gpus: 1, time: "12h" })
    expect(resolveResources(undefined, "paper", { cpus: 4 })).toBeUndefined()
  })

  it("wall time in minutes, rounded up, from our units and SLURM's formats", () => {
    expect(["90s", "30m", "4h", "1.5h", "2d", "45", "10:30", "1:00:00", "1-12", "2-00:30:00"].map(minutesOf)).toEqual([2, 30, 240, 90, 2880, 45, 11, 60, 2160, 2910])
  })

  it("sbatch flags", () => {
    expect(sbatchResourceArgs({ cpus: 4, memGB: 0.2, gpus: 2, time: "90m" })).toEqual(["--cpus-per-task=4", "--mem=205M", "--gres=gpu:2", "--time=90"])
    expect(sbatchResourceArgs({ memGB: 8 })).toEqual(["--mem=8192M"])
  })

  it("--resource stage.key=value, and one clear error for anything else", () => {
    expect(parseResourceFlag("train.gpus=1")).toEqual(["train", { gpus: 1 }])
    expect(parseResourceFlag("train.time=2h")).toEqual(["train", { time: "2h" }])
    expect(() => parseResourceFlag("train.disk=3")).toThrow(/stage\.key=value with key cpus, memGB, gpus or time/)
    expect(() => parseResourceFlag("train.cpus=-1")).toThrow(/--resource train\.cpus=-1: Number must be greater than 0/)
    expect(() => parseResourceFlag("train.time=soon")).toThrow(/a duration like "90s"/)
  })
})

describe("pipeline.config.json and the executor choice", () => {
  const dir = (json: string) => {
    const d = mkdtempSync(join(tmpdir(), "pipeline-config-"))
    writeFileSync(join(d, "pipeline.config.json"), json)
    return d
  }

  it("flag > PIPELINE_EXECUTOR > config > local", () => {
    const config = readProjectConfig(dir(JSON.stringify({ executor: "slurm", maxJobs: 20, slurm: { partition: "gpu" }, resources: { train: { gpus: 1 } } })))
    const saved = process.env.PIPELINE_EXECUTOR
    delete process.env.PIPELINE_EXECUTOR
    try {
      expect(chooseExecutor(config, {}).executor).toBe("slurm")
      expect(chooseExecutor({}, {}).executor).toBe("local")
      process.env.PIPELINE_EXECUTOR = "local"
      expect(chooseExecutor(config, {}).executor).toBe("local")
      expect(chooseExecutor(config, { executor: "slurm", maxJobs: 5, resources: [["train", { time: "1h" }]] })).toEqual({
        executor: "slurm",
        maxJobs: 5,
        slurm: { partition: "gpu" },
        resources: new Map([["train", [{ gpus: 1 }, { time: "1h" }]]]),
      })
      process.env.PIPELINE_EXECUTOR = "kubernetes"
      expect(() => chooseExecutor(config, {})).toThrow("unknown executor 'kubernetes' (from PIPELINE_EXECUTOR) — use one of local, slurm")
    } finally {
      if (saved === undefined) delete process.env.PIPELINE_EXECUTOR
      else process.env.PIPELINE_EXECUTOR = saved
    }
  })

  it("a bad config file is one ConfigError naming the field", () => {
    expect(() => readProjectConfig(dir(`{"slurm": {"partiton": "gpu"}}`))).toThrow(ConfigError)
    expect(() => readProjectConfig(dir(`{"slurm": {"partiton": "gpu"}}`))).toThrow(/pipeline\.config\.json: slurm: Unrecognized key\(s\) in object: 'partiton'/)
    expect(() => readProjectConfig(dir(`{"resources": {"train": {"time": "soon"}}}`))).toThrow(/resources\.train\.time: a duration like/)
    expect(() => readProjectConfig(dir(`{executor`))).toThrow(/is not valid JSON/)
    expect(readProjectConfig(mkdtempSync(join(tmpdir(), "pipeline-config-")))).toEqual({})
  })
})

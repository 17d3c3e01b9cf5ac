#!/usr/bin/env node
// `npx pipeline …`: transpile what changed into .build/ (milliseconds), then run it as plain ESM.
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { buildProject } from "./build.mjs"
import { createRequire } from "node:module"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
// One GC thread per process: the run fills every core with a worker thread, and V8's concurrent marking
// and parallel scavenges then take CPU from the other workers (two full-size CrabNets at once:
// 6.0–6.3 s per steels epoch each, 4.6–4.7 with this flag). V8 cannot switch it after start and
// NODE_OPTIONS refuses it, so the CLI replaces itself (execv: same pid, so signals, kill and exit codes
// stay the caller's) with node --single-threaded-gc; PIPELINE_GC=parallel keeps V8's default. Not for a
// cluster job (exec-node): its CPUs are its allocation's, and it starts often; nor under an IPC channel (fork).
if (process.argv[2] !== "exec-node" && process.env.PIPELINE_GC !== "parallel" && process.env.NODE_CHANNEL_FD === undefined &&
  !process.execArgv.includes("--single-threaded-gc")) {
  try {
    const libc = createRequire(import.meta.url)("koffi").load("libc.so.6")
    const fcntl = libc.func("int fcntl(int, int, ...)"), execv = libc.func("int execv(const char *, const char **)")
    // Node marks its stdio close-on-exec at startup (so children it spawns do not inherit them): undo that
    for (const fd of [0, 1, 2]) fcntl(fd, 2 /* F_SETFD */, "int", 0)
    execv(process.execPath, [process.execPath, "--single-threaded-gc", ...process.execArgv, ...process.argv.slice(1), null])
  } catch {
    // no koffi or no glibc (execv returns only on failure): V8's default GC
  }
}
if (process.argv[2] === "exec-node") {
  // a cluster job computing one node: the submitter built .build/ already, and loading only what
  // one node needs (not the whole CLI) saves a few hundred ms per job
  const { execNodeMain } = await import(pathToFileURL(join(root, ".build/engine/executors/slurm-job.js")).href)
  process.exitCode = await execNodeMain(process.argv[3])
} else {
  buildProject(root)
  const { main } = await import(pathToFileURL(join(root, ".build/engine/cli/main.js")).href)
  process.exitCode = await main(process.argv.slice(2))
}

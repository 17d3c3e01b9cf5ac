// Progress: a redrawn bar with counts and ETA on a TTY, plain one-line events otherwise (CI logs).
export interface Reporter {
  start(total: number): void
  nodeStarted(id: string): void
  nodeProgress(id: string, done: number, total: number, label?: string): void
  nodeDone(id: string, outcome: "ran" | "cached" | "failed" | "skipped", ms: number, detail?: string): void
  log(id: string, message: string): void
  finish(): void
}

export const silentReporter: Reporter = {
  start() {},
  nodeStarted() {},
  nodeProgress() {},
  nodeDone() {},
  log() {},
  finish() {},
}

const fmtTime = (ms: number) => {
  if (!Number.isFinite(ms)) return "?"
  const s = Math.round(ms / 1000)
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`
}

export function consoleReporter(stream: NodeJS.WriteStream = process.stderr, tty = Boolean(stream.isTTY) && !process.env.CI): Reporter {
  let total = 0
  let finished = 0
  let ranMs = 0
  let ran = 0
  const running = new Map<string, { since: number; note?: string; frac?: number }>()
  const t0 = Date.now()
  let lastDraw = 0
  const lastLine = new Map<string, number>()

  const eta = () => {
    // running nodes that report progress extrapolate their own rate; nodes not started yet cost
    // the mean of executed nodes; the sum is shared by the running slots
    const now = Date.now()
    let runningLeft = 0
    for (const r of running.values()) {
      if (r.frac && r.frac > 0) runningLeft += ((now - r.since) * (1 - r.frac)) / r.frac
      else if (ran > 0) runningLeft += Math.max(0, ranMs / ran - (now - r.since))
      else return NaN
    }
    const waiting = total - finished - running.size
    if (waiting > 0 && ran === 0) return NaN
    return (runningLeft + (waiting > 0 ? waiting * (ranMs / ran) : 0)) / Math.max(1, running.size)
  }
  const draw = (force = false) => {
    if (!tty) return
    const now = Date.now()
    if (!force && now - lastDraw < 100) return
    lastDraw = now
    const width = 28
    const filled = total ? Math.round((finished / total) * width) : width
    const current = [...running.entries()].slice(0, 1).map(([id, r]) => ` · ${id}${r.note ? ` ${r.note}` : ""}`)[0] ?? ""
    const line = `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${finished}/${total} · ${running.size} running · ${fmtTime(now - t0)} elapsed · ETA ${fmtTime(eta())}${current}`
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`)
  }
  const print = (line: string) => {
    if (tty) stream.write(`\r\x1b[2K${line}\n`)
    else stream.write(line + "\n")
    draw(true)
  }
  return {
    start(n) {
      total = n
      draw(true)
    },
    nodeStarted(id) {
      running.set(id, { since: Date.now() })
      if (!tty) print(`▶ ${id}`)
      draw()
    },
    nodeProgress(id, done, of, label) {
      const r = running.get(id)
      if (!r) return
      r.note = `${label ?? ""} ${done}/${of}`.trim()
      r.frac = of > 0 ? done / of : undefined
      if (tty) return draw()
      const now = Date.now()
      if (now - (lastLine.get(id) ?? 0) >= 10_000 || done === of) {
        lastLine.set(id, now)
        print(`  ${id}: ${r.note}`)
      }
    },
    nodeDone(id, outcome, ms, detail) {
      running.delete(id)
      finished++
      if (outcome === "ran") {
        ran++
        ranMs += ms
      }
      if (outcome !== "cached") {
        const mark = outcome === "ran" ? "✓" : outcome === "failed" ? "✗" : "–"
        print(`${mark} ${id} ${outcome === "ran" ? `${fmtTime(ms)}` : outcome}${detail ? ` — ${detail}` : ""} (${finished}/${total})`)
      } else draw()
    },
    log(id, message) {
      print(`  ${id}: ${message}`)
    },
    finish() {
      if (tty) stream.write("\r\x1b[2K")
    },
  }
}

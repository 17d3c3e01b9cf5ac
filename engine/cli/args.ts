// Command-line parsing: `pipeline <command> [positionals] [--flag value]…`. Flags are declared per
// command so a typo is an error, not a silently ignored option.
import { parseResourceFlag, type Resources } from "../resources.js"

export interface Args {
  readonly command: string
  readonly positionals: string[]
  readonly set: string[]
  readonly sweep: string[]
  /** undefined: the pipeline's default preset (checked against the pipeline's presets once it is loaded) */
  readonly preset?: string
  readonly jobs?: number
  readonly dryRun: boolean
  readonly offline: boolean
  readonly pipeline?: string
  readonly nodes: boolean
  readonly keepDays: number
  /** verify: the committed expected-hashes file to compare pipeline.lock with */
  readonly expected?: string
  /** verify --expected: rewrite that file from pipeline.lock instead */
  readonly update: boolean
  readonly executor?: string
  readonly maxJobs?: number
  /** `--resource stage.key=value`, in order */
  readonly resources: [string, Resources][]
  readonly rest: string[]
}

export class UsageError extends Error {}

const FLAGS_WITH_VALUE = new Set(["--set", "--sweep", "--preset", "--jobs", "--pipeline", "--keep-days", "--expected", "--executor", "--max-jobs", "--resource"])
const BOOLEAN_FLAGS = new Set(["--dry-run", "--nodes", "--offline", "--update"])
const HELP_FLAGS = new Set(["--help", "-h"])
const VERSION_FLAGS = new Set(["--version", "-V", "-v"])

/** Commands the engine owns; any other command (e.g. `fetch`) gets its raw arguments. */
export const ENGINE_COMMANDS = ["run", "status", "dag", "verify", "gc", "params", "show", "help", "version"] as const

export function parseArgs(argv: readonly string[]): Args {
  let [command = "help", ...tail] = argv
  // `pipeline --help`, `pipeline -h`, `pipeline --version`; `pipeline <command> --help` is `help <command>`
  if (HELP_FLAGS.has(command)) command = "help"
  else if (VERSION_FLAGS.has(command)) command = "version"
  else if (command !== "help" && tail.some((a) => HELP_FLAGS.has(a))) {
    tail = [command, ...tail.filter((a) => !HELP_FLAGS.has(a))]
    command = "help"
  }
  const args = { command, positionals: [] as string[], set: [] as string[], sweep: [] as string[], dryRun: false, offline: false, nodes: false, update: false, keepDays: 7, resources: [] as [string, Resources][], rest: [...tail] } as {
    -readonly [K in keyof Args]: Args[K]
  }
  if (!(ENGINE_COMMANDS as readonly string[]).includes(command)) {
    // a pipeline command still accepts --pipeline so tests can point it at a toy pipeline
    const i = tail.indexOf("--pipeline")
    if (i >= 0) {
      args.pipeline = tail[i + 1]
      args.rest = [...tail.slice(0, i), ...tail.slice(i + 2)]
    }
    return args
  }
  for (let i = 0; i < tail.length; i++) {
    let a = tail[i]!
    let value: string | undefined
    const eq = a.indexOf("=")
    if (a.startsWith("--") && eq > 0 && FLAGS_WITH_VALUE.has(a.slice(0, eq))) {
      value = a.slice(eq + 1)
      a = a.slice(0, eq)
    }
    if (FLAGS_WITH_VALUE.has(a)) {
      value ??= tail[++i]
      if (value === undefined) throw new UsageError(`${a} needs a value`)
      if (a === "--set") args.set.push(value)
      else if (a === "--sweep") args.sweep.push(value)
      else if (a === "--preset") args.preset = value
      else if (a === "--jobs") {
        const n = Number(value)
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs needs a positive integer, got '${value}'`)
        args.jobs = n
      } else if (a === "--keep-days") {
        const n = Number(value)
        if (!(n >= 0)) throw new UsageError(`--keep-days needs a number ≥ 0, got '${value}'`)
        args.keepDays = n
      } else if (a === "--max-jobs") {
        const n = Number(value)
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-jobs needs a positive integer, got '${value}'`)
        args.maxJobs = n
      } else if (a === "--executor") args.executor = value
      else if (a === "--resource") {
        try {
          args.resources.push(parseResourceFlag(value))
        } catch (e) {
          throw new UsageError((e as Error).message)
        }
      }
      else if (a === "--pipeline") args.pipeline = value
      else if (a === "--expected") args.expected = value
    } else if (BOOLEAN_FLAGS.has(a)) {
      if (a === "--dry-run") args.dryRun = true
      else if (a === "--nodes") args.nodes = true
      else if (a === "--update") args.update = true
      else args.offline = true
    } else if (a.startsWith("--")) throw new UsageError(`unknown option ${a} for '${command}' — see \`pipeline help\``)
    else args.positionals.push(a)
  }
  return args
}

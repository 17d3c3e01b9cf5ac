// Turn a Node.js file-system error into a FileSystemFault that says what was being done, on which
// path and (for a full disk) which mount point: "ENOSPC: no space left on device, copyfile" alone
// does not say which of the project's disks filled up.
import { realpathSync, statSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { FileSystemFault } from "./errors.js"

const FS_CODES = new Set(["ENOSPC", "EDQUOT", "EACCES", "EPERM", "EROFS", "EIO", "EXDEV", "EISDIR", "ENOTDIR", "ENOTEMPTY", "EMFILE"])

/** `e` as a FileSystemFault when it is a file-system error, else unchanged. */
export function fsFault(e: unknown, doing: string, fallbackPath?: string): unknown {
  if (e instanceof FileSystemFault) return e
  const err = e as NodeJS.ErrnoException | undefined
  if (!err || typeof err.code !== "string" || !FS_CODES.has(err.code)) return e
  const path = (err as { dest?: string }).dest ?? err.path ?? fallbackPath ?? "?"
  return new FileSystemFault({ code: err.code, path, doing, disk: mountPoint(path) })
}

/** The mount point holding `path`: the highest ancestor (symlinks resolved) on the same device. */
export function mountPoint(path: string): string | undefined {
  let p = resolve(path)
  let dev: number | undefined
  while (dev === undefined) {
    const st = statSync(p, { throwIfNoEntry: false })
    if (st) {
      dev = st.dev
      p = realpathSync(p)
    } else if (dirname(p) === p) return undefined
    else p = dirname(p)
  }
  for (;;) {
    const up = dirname(p)
    if (up === p || statSync(up, { throwIfNoEntry: false })?.dev !== dev) return p
    p = up
  }
}

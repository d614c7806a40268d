// Whether a built file predates the sources it is built from: the bench and the package-entry test build first if so.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The newest modification time of any file under `dir`, in ms. */
export function newestMtime (dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/** True when `built` is missing or older than a file under `root`/src or `root`/scripts/bundle.mjs. */
export function isStale (root: string, built: string): boolean {
  const builtMs = statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0
  return builtMs < Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'scripts', 'bundle.mjs')).mtimeMs)
}

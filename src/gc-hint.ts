// A way for the sandbox to ask V8 for a full GC after it drops a lot of memory at once; a no-op unless enabled.
let collect: (() => void) | null = null

/** Installed by src/memory-flags.ts in the sandbox's own processes; a program embedding buildApp() keeps its own GC. */
export function enableGcHints (gc: (() => void) | null): void {
  collect = gc
}

/** Asks for a full GC (it runs as a task, not inside the caller), if the process enabled hints. */
export function hintFullGc (): void {
  collect?.()
}

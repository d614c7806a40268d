// The sandbox's one clock: real time by default, frozen or moved by the control plane.
export class SandboxClock {
  #frozenAt: number | null = null

  /** Milliseconds since the epoch, on the sandbox's time. */
  nowMs (): number {
    return this.#frozenAt ?? Date.now()
  }

  /** ISO 8601 with a Z, whole seconds, the way Trackstar writes dates. */
  isoNow (): string {
    return toTrackstarDate(this.nowMs())
  }

  get frozen (): boolean {
    return this.#frozenAt !== null
  }

  freeze (atMs: number): void {
    this.#frozenAt = atMs
  }

  unfreeze (): void {
    this.#frozenAt = null
  }
}

// Dates have whole seconds, and a busy sandbox writes many in the same second: the last one is kept.
let lastSecond = NaN
let lastDate = ''

export function toTrackstarDate (ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    lastDate = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    lastSecond = second
  }
  return lastDate
}

// Fault injection: matching rules that answer a status, delay, or drop the connection, before or after the real handling.
import { randomBytes } from 'node:crypto'
import type { Static } from '@sinclair/typebox'
import { ApiError, validationFailed } from './errors.js'
import { addMessage } from './validation.js'
import type { Detail } from './errors.js'
import type { SandboxClock } from './clock.js'
import { FaultInputSchema, FaultSchema, MAX_FAULTS } from '../schemas/control.js'



export type FaultInput = Static<typeof FaultInputSchema>
export type Fault = Static<typeof FaultSchema>

interface ActiveFault {
  fault: Fault
  path: RegExp | null
  random: () => number
}

/** What a request looks like to the matcher. */
export interface FaultTarget { method: string, path: string, accessToken: string | undefined, productId: string | undefined }

// mulberry32: a tiny, well-known 32-bit PRNG, so a seeded fault fires on the same requests every run.
function seeded (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const globToRegExp = (glob: string): RegExp =>
  new RegExp('^' + glob.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$')

export class FaultStore {
  readonly #clock: SandboxClock
  #faults: ActiveFault[] = []

  constructor (clock: SandboxClock) {
    this.#clock = clock
  }

  /** Checks and adds a fault; throws a 422 naming the field for a contradictory one. */
  add (input: FaultInput): Fault {
    const { action } = input
    const detail: Detail = {}
    if (action.status === undefined && action.delay_ms === undefined && action.drop !== true) {
      addMessage(detail, 'json', 'action', 'Give at least one of status, delay_ms or drop: true.')
    }
    if (action.status !== undefined && action.drop === true) addMessage(detail, 'json', 'action.drop', 'A dropped connection answers no status: give status or drop, not both.')
    if (action.status === undefined && (action.body !== undefined || action.headers !== undefined)) addMessage(detail, 'json', 'action.status', 'body and headers are sent with a status: give status too.')
    if (this.#faults.length >= MAX_FAULTS) addMessage(detail, 'json', '_schema', `At most ${MAX_FAULTS} faults at once: delete some first.`)
    if (Object.keys(detail).length > 0) throw validationFailed(detail, 'The fault is invalid.')

    const match = { ...input.match, ...(input.match?.method === undefined ? {} : { method: input.match.method.toUpperCase() }) }
    const fault: Fault = {
      id: `flt_${randomBytes(8).toString('hex')}`,
      match,
      action,
      times: input.times ?? null,
      probability: input.probability ?? 1,
      seed: input.seed ?? null,
      hits: 0,
      created_at: this.#clock.isoNow()
    }
    this.#faults.push({ fault, path: match.path === undefined ? null : globToRegExp(match.path), random: input.seed === undefined ? Math.random : seeded(input.seed) })
    return fault
  }

  list (): Fault[] {
    return this.#faults.map((active) => active.fault).reverse()
  }

  remove (id: string): boolean {
    const before = this.#faults.length
    this.#faults = this.#faults.filter((active) => active.fault.id !== id)
    return this.#faults.length < before
  }

  clear (): void {
    this.#faults = []
  }

  /** The first fault (oldest first) that matches and wins its draw; it is counted and, when used up, removed. */
  take (target: FaultTarget): Fault | null {
    for (const active of this.#faults) {
      const { fault } = active
      const { match } = fault
      if (match.method !== undefined && match.method !== target.method) continue
      if (active.path !== null && !active.path.test(target.path)) continue
      if (match.access_token !== undefined && match.access_token !== target.accessToken) continue
      if (match.product_id !== undefined && match.product_id !== target.productId) continue
      if (active.random() >= fault.probability) continue
      fault.hits++
      if (fault.times !== null && --fault.times === 0) this.remove(fault.id)
      return fault
    }
    return null
  }
}

/** The body and headers a status fault answers with. */
export function faultAnswer (fault: Fault): { status: number, payload: string, headers: Record<string, string> } {
  const status = fault.action.status as number
  const defaultBody = status >= 400
    ? new ApiError(status, { error: status === 429 ? 'Too many requests (injected fault).' : `Injected fault: HTTP ${status}.`, origin: 'trackstar' }).body
    : {}
  const headers = { ...(status === 429 ? { 'retry-after': '1' } : {}), ...fault.action.headers }
  return { status, payload: JSON.stringify(fault.action.body ?? defaultBody), headers }
}

// Fault injection: matching rules that answer a status, delay, or drop the connection, before or after the real handling.
import { randomBytes } from 'node:crypto'
import { Type, type Static } from '@sinclair/typebox'
import { ApiError, validationFailed } from './errors.js'
import { addMessage } from './validation.js'
import type { Detail } from './errors.js'
import type { SandboxClock } from './clock.js'

export const MAX_FAULTS = 100
export const MAX_DELAY_MS = 30_000

export const FaultMatchSchema = Type.Object({
  method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,16}$', description: 'HTTP method, any case.' })),
  path: Type.Optional(Type.String({ pattern: '^/', maxLength: 1000, description: 'The request path without its query; `*` matches any characters inside one segment, e.g. `/cart/products/*/adjust-inventory`.' })),
  access_token: Type.Optional(Type.String({ minLength: 1, description: 'The x-trackstar-access-token of the request.' })),
  product_id: Type.Optional(Type.String({ minLength: 1, description: 'The product_id path parameter.' }))
}, { additionalProperties: false })

export const FaultActionSchema = Type.Object({
  status: Type.Optional(Type.Integer({ minimum: 200, maximum: 599, description: 'Answer this status instead of the real one.' })),
  body: Type.Optional(Type.Unknown({ description: 'The JSON body sent with `status`; default: a Trackstar error body.' })),
  headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' }), Type.String({ maxLength: 1000 }), { description: 'Headers sent with `status` (a 429 gets `retry-after: 1` unless given).' })),
  delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS, description: 'Wait this long first.' })),
  drop: Type.Optional(Type.Boolean({ description: 'Close the socket without an answer.' })),
  after: Type.Optional(Type.Boolean({ description: 'Act after the real handling (the adjustment is applied, the ledger says so), not before it (nothing is touched).' }))
}, { additionalProperties: false })

export const FaultInputSchema = Type.Object({
  match: Type.Optional(FaultMatchSchema),
  action: FaultActionSchema,
  times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Fire this many times, then disappear; default: until removed.' })),
  probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Chance that a matching request fires it; default 1.' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'Seed of the fault\'s own random sequence, for reproducible `probability`.' }))
}, { additionalProperties: false })

export const FaultSchema = Type.Object({
  id: Type.String(),
  match: FaultMatchSchema,
  action: FaultActionSchema,
  times: Type.Union([Type.Integer(), Type.Null()], { description: 'Firings left; null = unlimited.' }),
  probability: Type.Number(),
  seed: Type.Union([Type.Integer(), Type.Null()]),
  hits: Type.Integer({ description: 'How many requests it fired on.' }),
  created_at: Type.String()
})

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

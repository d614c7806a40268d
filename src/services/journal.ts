// The request journal: a bounded ring of the emulated API's requests and answers, newest first, secrets redacted.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ACCESS_TOKEN_HEADER } from '../auth.js'
import type { SandboxClock } from '../clock.js'

/** Bodies longer than this are kept cut (answers) or not at all (requests), so a full journal stays bounded in memory. */
export const MAX_KEPT_BODY = 64 * 1024

/** Headers whose values are credentials: only their last 4 characters are ever shown. */
export const SECRET_HEADERS = new Set(['x-trackstar-api-key', 'x-trackstar-access-token', 'authorization', 'cookie', 'proxy-authorization'])

/** Body fields whose values are credentials (the Cart Sandbox generator answers with an access_token). */
const SECRET_FIELDS = new Set(['access_token', 'api_key'])
const redactFields = (key: string, value: unknown): unknown => SECRET_FIELDS.has(key) && typeof value === 'string' ? redact(value) : value

/** `****` plus the last 4 characters, and only when the value is long enough that they reveal little. */
export function redact (value: string): string {
  return value.length >= 8 ? `****${value.slice(-4)}` : '****'
}

export interface JournalEntry {
  request_id: string
  time: string
  method: string
  path: string
  query: Record<string, unknown>
  /** The answer's status; null when the connection was dropped before anything was answered. */
  status: number | null
  duration_ms: number
  access_token: string | null
  product_id: string | null
  /** The injected fault that fired on this request, if any. */
  fault_id: string | null
  /** The connection was closed without the answer reaching the client. */
  dropped: boolean
  request: { headers: Record<string, string>, body: unknown, truncated?: true }
  response: { body: unknown, truncated?: true }
}

/**
 * What the request left behind, kept as references (Node makes new header, query and body objects per request) and
 * shaped into a JournalEntry only when someone reads the journal: recording is on every request's path, reading is not.
 */
interface Recorded {
  requestId: string
  startedMs: number
  method: string
  url: string
  query: unknown
  status: number | null
  elapsedMs: number
  headers: Record<string, string | string[] | undefined>
  productId: string | null
  faultId: string | null
  dropped: boolean
  /** The request body, or undefined when it was too long to keep. */
  body: unknown
  /** The full token, kept only to filter by; never serialized. */
  token: string | undefined
  payload: string | null
}

export interface JournalFilter {
  accessToken?: string
  productId?: string
  status?: number
  method?: string
  limit: number
}

export class Journal {
  readonly size: number
  #ring: Array<Recorded | undefined>
  #next = 0
  #count = 0

  constructor (size: number) {
    this.size = size
    this.#ring = new Array<Recorded | undefined>(size)
  }

  get count (): number {
    return this.#count
  }

  record (recorded: Recorded): void {
    this.#ring[this.#next] = recorded
    this.#next = (this.#next + 1) % this.size
    this.#count = Math.min(this.#count + 1, this.size)
  }

  clear (): void {
    this.#ring = new Array<Recorded | undefined>(this.size)
    this.#next = 0
    this.#count = 0
  }

  /** Newest first. */
  * #newestFirst (): Generator<Recorded> {
    for (let i = 1; i <= this.#count; i++) yield this.#ring[(this.#next - i + this.size) % this.size] as Recorded
  }

  list (filter: JournalFilter): { data: JournalEntry[], total: number } {
    const data: JournalEntry[] = []
    let total = 0
    for (const recorded of this.#newestFirst()) {
      if (filter.accessToken !== undefined && recorded.token !== filter.accessToken) continue
      if (filter.productId !== undefined && recorded.productId !== filter.productId) continue
      if (filter.status !== undefined && recorded.status !== filter.status) continue
      if (filter.method !== undefined && recorded.method !== filter.method.toUpperCase()) continue
      total++
      if (data.length < filter.limit) data.push(present(recorded))
    }
    return { data, total }
  }

  /** The newest entry with this request id (clients may reuse their own ids). */
  get (requestId: string): JournalEntry | undefined {
    for (const recorded of this.#newestFirst()) if (recorded.requestId === requestId) return present(recorded)
    return undefined
  }
}

// Answers are kept as the serialized text they were sent as and parsed only when someone reads the journal.
function present (recorded: Recorded): JournalEntry {
  const entry = toEntry(recorded)
  let body: unknown = recorded.payload
  if (recorded.payload !== null && recorded.payload.length > MAX_KEPT_BODY) {
    return { ...entry, response: { body: recorded.payload.slice(0, MAX_KEPT_BODY), truncated: true } }
  }
  if (recorded.payload !== null) {
    try {
      body = JSON.parse(recorded.payload, redactFields)
    } catch {
      body = recorded.payload
    }
  }
  return { ...entry, response: { body } }
}

function toEntry (recorded: Recorded): Omit<JournalEntry, 'response'> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(recorded.headers)) {
    const text = Array.isArray(value) ? value.join(', ') : String(value)
    headers[name] = SECRET_HEADERS.has(name) ? redact(text) : text
  }
  return {
    request_id: recorded.requestId,
    time: new Date(recorded.startedMs).toISOString(),
    method: recorded.method,
    path: recorded.url.split('?')[0] as string,
    query: { ...(recorded.query as Record<string, unknown>) },
    status: recorded.status,
    duration_ms: Math.round(recorded.elapsedMs * 1000) / 1000,
    access_token: recorded.token === undefined ? null : redact(recorded.token),
    product_id: recorded.productId,
    fault_id: recorded.faultId,
    dropped: recorded.dropped,
    request: recorded.body === undefined ? { headers, body: null, truncated: true } : { headers, body: recorded.body }
  }
}

/** Whether a path belongs to the emulated API (the control plane and the docs are not journaled). */
export function isEmulatedPath (path: string): boolean {
  return !(path === '/_sandbox' || path.startsWith('/_sandbox/') || path === '/docs' || path.startsWith('/docs/') || path === '/openapi.json')
}

interface Pending { startedMs: number, payload: string | null, faultId: string | null, dropped: boolean }
declare module 'fastify' {
  // What the journal notes while a request runs; a request property, faster to reach than a WeakMap entry.
  interface FastifyRequest { journaling: Pending | null }
}

/** Notes that a fault fired on this request, and the body it answered instead, for its journal entry. */
export function markFault (request: FastifyRequest, faultId: string, payload?: string): void {
  // Faults fire only on emulated routes, which always have a pending entry.
  const state = request.journaling as Pending
  state.faultId = faultId
  if (payload !== undefined) state.payload = payload
}

/** Records a request whose connection is being dropped: no onResponse hook runs for it. */
export function recordDropped (journal: Journal, request: FastifyRequest, reply: FastifyReply, status: number | null): void {
  const state = request.journaling as Pending
  state.dropped = true
  journal.record(toRecorded(request, state, status, reply.elapsedTime))
  // Recorded once: should an onResponse still run for this request, it finds nothing left to record.
  request.journaling = null
}

function toRecorded (request: FastifyRequest, state: Pending, status: number | null, elapsedMs: number): Recorded {
  const { headers } = request
  const tokenHeader = headers[ACCESS_TOKEN_HEADER]
  const bodyTooLong = Number(headers['content-length'] ?? 0) > MAX_KEPT_BODY
  return {
    requestId: request.id,
    startedMs: state.startedMs,
    method: request.method,
    url: request.url,
    query: request.query,
    status,
    elapsedMs,
    headers,
    productId: (request.params as Record<string, string | undefined>).product_id ?? null,
    faultId: state.faultId,
    dropped: state.dropped,
    body: bodyTooLong ? undefined : request.body ?? null,
    token: typeof tokenHeader === 'string' ? tokenHeader : undefined,
    // One character past the limit is kept so the reader knows it was cut.
    payload: state.payload === null ? null : state.payload.slice(0, MAX_KEPT_BODY + 1)
  }
}

/** Journals every request outside the control plane and the docs, at the root so unknown routes are journaled too. */
export function journalRequests (app: FastifyInstance, journal: Journal, clock: SandboxClock): void {
  app.decorateRequest('journaling', null)
  // Callback-style: these run on every request and never wait for anything.
  app.addHook('onRequest', (request, _reply, done) => {
    if (isEmulatedPath(request.url.split('?')[0] as string)) request.journaling = { startedMs: clock.nowMs(), payload: null, faultId: null, dropped: false }
    done()
  })
  app.addHook('onSend', (request, _reply, payload, done) => {
    const state = request.journaling
    if (state && typeof payload === 'string') state.payload = payload
    done(null, payload)
  })
  app.addHook('onResponse', (request, reply, done) => {
    const state = request.journaling
    if (state) journal.record(toRecorded(request, state, reply.statusCode, reply.elapsedTime))
    done()
  })
}

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
 * What the request left behind: packed into the journal's slab when recorded, unpacked and shaped into a JournalEntry
 * only when someone reads the journal (recording is on every request's path, reading is not).
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
  /** The full token, kept only to filter by; never shown. */
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

/** Bytes of slab memory per entry; an entry packed into more (a long list answer) is kept as a string instead. */
export const SLOT_BYTES = 2048
/** Slots per slab chunk: chunks are allocated as the ring first fills, so a large SANDBOX_JOURNAL_SIZE costs nothing up front. */
const CHUNK_SLOTS = 256

/** Where a slot lives: its chunk's index, and its first byte in that chunk. */
const chunkIndex = (slot: number): number => Math.floor(slot / CHUNK_SLOTS)
const slotStart = (slot: number): number => (slot % CHUNK_SLOTS) * SLOT_BYTES

/** An entry too long for a slot (a list answer): its packed head and its answer. */
interface LongEntry { head: string, payload: string }

export class Journal {
  readonly size: number
  /**
   * Each entry is packed into text (ids, headers, query, body, answer) written into a slot of reused off-heap slab
   * memory, with its numbers in typed arrays: entries kept as objects were promoted and made full GCs frequent, and a
   * reused slot allocates nothing that lives on. Only entries too long for a slot (list answers) stay on the V8 heap.
   */
  readonly #chunks: Buffer[] = []
  readonly #lengths: Int32Array
  /** Entries too long for a slot, by slot. */
  readonly #oversized = new Map<number, LongEntry>()
  /**
   * The answer of the latest long entry. A test polling a list gets the same answer again and again: an equal answer
   * shares this string instead of keeping its own copy.
   */
  #lastLongPayload = ''
  readonly #times: Float64Array
  readonly #statuses: Int16Array
  #next = 0
  #count = 0

  constructor (size: number) {
    this.size = size
    this.#lengths = new Int32Array(size)
    this.#times = new Float64Array(size * 2)
    this.#statuses = new Int16Array(size)
  }

  get count (): number {
    return this.#count
  }

  record (recorded: Recorded): void {
    const slot = this.#next
    const head = packHead(recorded)
    const payload = recorded.payload ?? ''
    this.#oversized.delete(slot)
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit, so most entries need no byte count, and long ones are known at once.
    const units = head.length + payload.length
    if (units * 3 <= SLOT_BYTES || (units <= SLOT_BYTES && Buffer.byteLength(head) + Buffer.byteLength(payload) <= SLOT_BYTES)) {
      const chunk = this.#chunk(chunkIndex(slot))
      const start = slotStart(slot)
      const written = chunk.write(head, start, SLOT_BYTES, 'utf8')
      this.#lengths[slot] = payload === '' ? written : written + chunk.write(payload, start + written, SLOT_BYTES - written, 'utf8')
    } else {
      this.#keepLong(slot, head, payload)
    }
    this.#times[slot * 2] = recorded.startedMs
    this.#times[slot * 2 + 1] = recorded.elapsedMs
    this.#statuses[slot] = recorded.status ?? -1
    this.#next = (slot + 1) % this.size
    this.#count = Math.min(this.#count + 1, this.size)
  }

  #keepLong (slot: number, head: string, payload: string): void {
    // Compared only with the latest long answer: equal answers come in runs (polling), and a comparison stops at the
    // first difference, so it costs little next to building the answer.
    if (payload !== this.#lastLongPayload) this.#lastLongPayload = payload
    this.#lengths[slot] = -1
    this.#oversized.set(slot, { head, payload: this.#lastLongPayload })
  }

  #chunk (index: number): Buffer {
    let chunk = this.#chunks[index]
    if (chunk === undefined) {
      chunk = Buffer.allocUnsafeSlow(Math.min(CHUNK_SLOTS, this.size - index * CHUNK_SLOTS) * SLOT_BYTES)
      this.#chunks[index] = chunk
    }
    return chunk
  }

  clear (): void {
    this.#oversized.clear()
    this.#lastLongPayload = ''
    this.#next = 0
    this.#count = 0
  }


  #text (slot: number): string {
    const length = this.#lengths[slot] as number
    if (length === -1) {
      const long = this.#oversized.get(slot) as LongEntry
      return long.head + long.payload
    }
    const start = slotStart(slot)
    return (this.#chunks[chunkIndex(slot)] as Buffer).toString('utf8', start, start + length)
  }

  /** Slots newest first. */
  * #slotsNewestFirst (): Generator<number> {
    for (let i = 1; i <= this.#count; i++) yield (this.#next - i + this.size) % this.size
  }

  /** The entry's first line, its ids: enough to filter on, without decoding and parsing the rest of it. */
  #meta (slot: number): Meta {
    const length = this.#lengths[slot] as number
    if (length === -1) {
      const { head } = this.#oversized.get(slot) as LongEntry
      return JSON.parse(head.slice(0, head.indexOf('\n'))) as Meta
    }
    const chunk = this.#chunks[chunkIndex(slot)] as Buffer
    const start = slotStart(slot)
    // A newline byte is never part of a multi-byte UTF-8 character, and JSON text escapes its own.
    return JSON.parse(chunk.toString('utf8', start, chunk.indexOf(NEWLINE, start))) as Meta
  }

  #recorded (slot: number): Recorded {
    const status = this.#statuses[slot] as number
    return unpack(this.#text(slot), this.#times[slot * 2] as number, this.#times[slot * 2 + 1] as number, status === -1 ? null : status)
  }

  /**
   * Filtering reads no more of an entry than it needs (the status is kept apart, the ids are its first line), and
   * only the entries returned are unpacked whole: a test asking for the newest entry of a full journal after each of
   * its requests would otherwise pay for unpacking all 1,000 every time.
   */
  list (filter: JournalFilter): { data: JournalEntry[], total: number } {
    const data: JournalEntry[] = []
    let total = 0
    const method = filter.method?.toUpperCase()
    const byIds = filter.accessToken !== undefined || filter.productId !== undefined || method !== undefined
    for (const slot of this.#slotsNewestFirst()) {
      if (filter.status !== undefined && this.#statuses[slot] !== filter.status) continue
      if (byIds) {
        const [, entryMethod, , productId, , , token] = this.#meta(slot)
        if (filter.accessToken !== undefined && token !== filter.accessToken) continue
        if (filter.productId !== undefined && productId !== filter.productId) continue
        if (method !== undefined && entryMethod !== method) continue
      }
      total++
      if (data.length < filter.limit) data.push(present(this.#recorded(slot)))
    }
    return { data, total }
  }

  /**
   * The newest entries up to and excluding the one `stopAt` accepts, each with the full token it was sent with
   * (never shown: the console resolves it to the connection's id and integration).
   */
  newestWithTokens (limit: number, stopAt: (entry: JournalEntry) => boolean = () => false): { entry: JournalEntry, token: string | null }[] {
    const out: { entry: JournalEntry, token: string | null }[] = []
    for (const slot of this.#slotsNewestFirst()) {
      if (out.length >= limit) break
      const recorded = this.#recorded(slot)
      const entry = present(recorded)
      if (stopAt(entry)) break
      out.push({ entry, token: recorded.token ?? null })
    }
    return out
  }

  /** The newest entry with this request id (clients may reuse their own ids). */
  get (requestId: string): JournalEntry | undefined {
    for (const slot of this.#slotsNewestFirst()) if (this.#meta(slot)[0] === requestId) return present(this.#recorded(slot))
    return undefined
  }
}

/** An entry's first line: request id, method, url, product id, fault id, dropped, token. */
type Meta = [string, string, string, string | null, string | null, boolean, string | null]
const NEWLINE = 0x0a

// One line of JSON per part, then `-` (no answer) or `+` and the answer's text, which follows the head when unpacked
// (it may hold line breaks; JSON text never does).
function packHead (recorded: Recorded): string {
  const meta = JSON.stringify([recorded.requestId, recorded.method, recorded.url, recorded.productId, recorded.faultId, recorded.dropped, recorded.token ?? null])
  const body = recorded.body === undefined ? '' : JSON.stringify(recorded.body)
  return `${meta}\n${JSON.stringify(recorded.headers)}\n${JSON.stringify(recorded.query) ?? '{}'}\n${body}\n${recorded.payload === null ? '-' : '+'}`
}

function unpack (text: string, startedMs: number, elapsedMs: number, status: number | null): Recorded {
  const metaEnd = text.indexOf('\n')
  const headersEnd = text.indexOf('\n', metaEnd + 1)
  const queryEnd = text.indexOf('\n', headersEnd + 1)
  const bodyEnd = text.indexOf('\n', queryEnd + 1)
  const [requestId, method, url, productId, faultId, dropped, token] = JSON.parse(text.slice(0, metaEnd)) as Meta
  const body = text.slice(queryEnd + 1, bodyEnd)
  return {
    requestId,
    startedMs,
    method,
    url,
    query: JSON.parse(text.slice(headersEnd + 1, queryEnd)),
    status,
    elapsedMs,
    headers: JSON.parse(text.slice(metaEnd + 1, headersEnd)) as Record<string, string | string[] | undefined>,
    productId,
    faultId,
    dropped,
    body: body === '' ? undefined : JSON.parse(body),
    token: token ?? undefined,
    payload: text[bodyEnd + 1] === '+' ? text.slice(bodyEnd + 2) : null
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

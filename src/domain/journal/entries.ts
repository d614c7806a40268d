// How a journal entry is kept and shown: packed into text when recorded, unpacked and redacted when read.
import type { JournalEntry } from '../../schemas/control.js'


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

/**
 * What the request left behind: packed into the journal's slab when recorded, unpacked and shaped into a JournalEntry
 * only when someone reads the journal (recording is on every request's path, reading is not).
 */
export interface Recorded {
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

/** An entry's first line: request id, method, url, product id, fault id, dropped, token. */
export type Meta = [string, string, string, string | null, string | null, boolean, string | null]
export const NEWLINE = 0x0a

// One line of JSON per part, then `-` (no answer) or `+` and the answer's text, which follows the head when unpacked
// (it may hold line breaks; JSON text never does).
export function packHead (recorded: Recorded): string {
  const meta = JSON.stringify([recorded.requestId, recorded.method, recorded.url, recorded.productId, recorded.faultId, recorded.dropped, recorded.token ?? null])
  const body = recorded.body === undefined ? '' : JSON.stringify(recorded.body)
  return `${meta}\n${JSON.stringify(recorded.headers)}\n${JSON.stringify(recorded.query) ?? '{}'}\n${body}\n${recorded.payload === null ? '-' : '+'}`
}

export function unpack (text: string, startedMs: number, elapsedMs: number, status: number | null): Recorded {
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
export function present (recorded: Recorded): JournalEntry {
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

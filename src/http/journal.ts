// Journal hooks: note each emulated request when it arrives, keep its answer's text, record it once answered.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ACCESS_TOKEN_HEADER } from '../domain/auth.js'
import type { SandboxClock } from '../domain/clock.js'
import type { Journal } from '../domain/journal/journal.js'
import { isEmulatedPath, MAX_KEPT_BODY, type Recorded } from '../domain/journal/entries.js'

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

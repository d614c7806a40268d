// Idempotency-Key on the emulated writes: the first 2xx answer is replayed with `idempotent-replayed: true`, changing nothing.
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify'
import stringify from 'safe-stable-stringify'
import type { SandboxClock } from '../clock.js'
import type { Db } from '../db/database.js'
import { IdempotencyRepository } from '../db/repositories/idempotency.js'
import { ApiError, badRequest, fieldError } from '../errors.js'

export const IDEMPOTENCY_HEADER = 'idempotency-key'
export const MAX_KEY_LENGTH = 255
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
export const IDEMPOTENCY_CAPACITY = 10_000

interface PendingKey { id: string, connectionId: string, key: string, fingerprint: string }

declare module 'fastify' {
  interface FastifyRequest { idempotency: PendingKey | null }
}

/** Same method, path and JSON body (key order ignored) → same fingerprint. */
export function fingerprint (request: FastifyRequest): string {
  const path = request.url.replace(/\?.*$/s, '')
  // No body (a missing content type) fingerprints as "undefined"; such a request ends in a 415 and is never stored.
  return createHash('sha256').update(`${request.method} ${path}\n${String(stringify(request.body))}`).digest('base64url')
}

/**
 * Adds the hooks to `app` (root level, so they see the emulated routes); they act on routes with `config.write`.
 * The preHandler runs after auth and the rate limit (onRequest) and after the body is parsed, before the handler.
 */
export function registerIdempotency (app: FastifyInstance, deps: { db: Db, clock: SandboxClock, capacity?: number }): IdempotencyRepository {
  const store = new IdempotencyRepository(deps.db, deps.capacity ?? IDEMPOTENCY_CAPACITY, IDEMPOTENCY_TTL_MS)
  // Keys whose first request has not answered yet: Trackstar answers a concurrent retry with 409.
  const inFlight = new Set<string>()
  const release = (request: FastifyRequest, done: () => void): void => {
    if (request.idempotency) inFlight.delete(request.idempotency.id)
    done()
  }

  app.decorateRequest('idempotency', null)

  const check = async (request: FastifyRequest, reply: FastifyReply, raw: string | string[], connectionId: string): Promise<FastifyReply | undefined> => {
    // Node joins a repeated header into one string, so this is the whole value as sent.
    const header = String(raw)
    if (header.length < 1 || header.length > MAX_KEY_LENGTH) {
      throw fieldError('headers', IDEMPOTENCY_HEADER, `Must be 1 to ${MAX_KEY_LENGTH} characters.`)
    }
    const id = `${connectionId}\u0000${header}`
    if (inFlight.has(id)) throw new ApiError(409, { error: 'A request with this Idempotency-Key is still being processed; retry when it has answered.', origin: 'trackstar' })
    const print = fingerprint(request)
    const stored = store.find(connectionId, header, deps.clock.nowMs())
    if (stored) {
      if (stored.fingerprint !== print) throw badRequest('This Idempotency-Key was already used with another request body or path; use a new key for a new request.')
      return reply.code(stored.status).headers({ 'idempotent-replayed': 'true', 'x-original-request-id': stored.request_id })
        .type('application/json; charset=utf-8').send(stored.body)
    }
    inFlight.add(id)
    request.idempotency = { id, connectionId, key: header, fingerprint: print }
    return undefined
  }

  // Only on write routes, and synchronous when no key is sent.
  const preHandler: preHandlerHookHandler = (request, reply, done) => {
    const raw = request.headers[IDEMPOTENCY_HEADER]
    if (raw === undefined || !request.caller) return done()
    return check(request, reply, raw, request.caller.connection.id)
  }
  app.addHook('onRoute', (route) => {
    if (route.config?.write === true) route.preHandler = [...[route.preHandler ?? []].flat(), preHandler]
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    const pending = request.idempotency
    if (!pending) return done(null, payload)
    inFlight.delete(pending.id)
    // Only a success is remembered: an errored first attempt leaves the key free for the retry.
    if (reply.statusCode >= 200 && reply.statusCode < 300) {
      // The adjust handler returns an object, so the payload here is its serialized JSON.
      store.save(pending.connectionId, pending.key, { fingerprint: pending.fingerprint, request_id: request.id, status: reply.statusCode, body: String(payload), created_ms: deps.clock.nowMs() })
    }
    done(null, payload)
  })
  app.addHook('onResponse', (request, _reply, done) => release(request, done))
  app.addHook('onRequestAbort', release)
  return store
}

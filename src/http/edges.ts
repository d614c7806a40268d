// The HTTP edges every route shares: which bodies are read (charset, encoding, UTF-8), empty control-plane bodies, CORS.
import { isUtf8 } from 'node:buffer'
import type { IncomingHttpHeaders } from 'node:http'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import cors from '@fastify/cors'
import { ApiError, badRequest, methodNotAllowed } from '../domain/errors.js'

/** Response headers a browser app may read: the request id, the rate limits and the idempotency replay flag. */
export const EXPOSED_HEADERS = ['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after', 'idempotent-replayed']

const unsupported = (message: string): ApiError => new ApiError(415, { error: message, origin: 'trackstar' })

/** A 415 for a body the sandbox cannot read as it is: a charset other than UTF-8 or a compressed body; else undefined. */
export function unreadableBody (headers: IncomingHttpHeaders): ApiError | undefined {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(String(headers['content-type']))?.[1]?.toLowerCase()
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return unsupported(`Unsupported charset ${charset}: send the body as application/json in UTF-8.`)
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase()
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    return unsupported(`Unsupported content-encoding ${encoding}: send the body uncompressed.`)
  }
  return undefined
}

export const invalidUtf8 = (): ApiError => badRequest('The request body is not valid UTF-8.')

/** Control-plane POSTs need no body: `content-type: application/json` with nothing after it reads as `{}`. */
export const readsEmptyAsObject = (request: FastifyRequest): boolean => request.url.startsWith('/_sandbox/')

/** Replaces the JSON parser with one that refuses other charsets, compressed and invalid UTF-8 bodies, then parses as Fastify does. */
export function parseJsonStrictly (app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const buffer = body as Buffer
    const refused = unreadableBody(request.headers) ?? (isUtf8(buffer) ? undefined : invalidUtf8())
    if (refused !== undefined) return done(refused, undefined)
    if (buffer.length === 0 && readsEmptyAsObject(request)) return done(null, {})
    parseJson(request, buffer.toString('utf8'), done)
  })
}

/** `SANDBOX_CORS_ORIGINS`: '' (off), '*' or a comma list of origins. */
export function corsOrigins (setting: string): '*' | string[] | undefined {
  const value = setting.trim()
  if (value === '') return undefined
  if (value === '*') return '*'
  return value.split(',').map((origin) => origin.trim()).filter((origin) => origin !== '')
}

/**
 * CORS for the emulated API and the control plane, off unless origins are configured. Registered before the admin
 * token's hook: a preflight carries no credentials, so it is answered first; the request that follows still needs them.
 */
export async function registerCors (app: FastifyInstance, setting: string): Promise<void> {
  const origins = corsOrigins(setting)
  if (origins === undefined) return
  await app.register(cors, {
    origin: origins,
    methods: ['GET', 'HEAD', 'PUT', 'POST', 'PATCH', 'DELETE'],
    exposedHeaders: EXPOSED_HEADERS,
    // Any OPTIONS is answered as a preflight rather than with a text/plain 400 outside Trackstar's error shape.
    strictPreflight: false,
    maxAge: 600
  })
}

/** A static path next to a parametric one (`/x/deliveries` next to `/x/:id`): methods it lacks answer 405, not the parametric route. */
export function refuseOtherMethods (app: FastifyInstance, url: string, allowed: string[], refused: ('DELETE' | 'PUT' | 'PATCH' | 'POST')[]): void {
  for (const method of refused) {
    app.route({
      method,
      url,
      schema: { hide: true },
      handler: async () => {
        throw methodNotAllowed(method, url, allowed)
      }
    })
  }
}

// The admin token: when configured, every /_sandbox request except health needs `authorization: Bearer <token>`.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { ApiError } from './errors.js'

// The Docker HEALTHCHECK and orchestrators probe health without credentials; it reveals nothing about the state.
const OPEN_PATHS = new Set(['/_sandbox/health'])

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** Compares in constant time: both sides are hashed to equal-length digests first, so the length leaks nothing either. */
export function tokenMatches (presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected))
}

export function requireAdminToken (app: FastifyInstance, token: string): void {
  if (token === '') return
  // Callback-style: it runs on every request, the emulated API's included, and never waits for anything.
  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?')[0] as string
    if (!(path === '/_sandbox' || path.startsWith('/_sandbox/')) || OPEN_PATHS.has(path)) return done()
    const header = request.headers.authorization
    const presented = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : ''
    if (!tokenMatches(presented, token)) {
      throw new ApiError(401, {
        error: header === undefined ? 'Missing admin token: send authorization: Bearer <SANDBOX_ADMIN_TOKEN>.' : 'Invalid admin token.',
        origin: 'trackstar'
      }, { 'www-authenticate': 'Bearer realm="trackstar-sandbox"' })
    }
    done()
  })
}

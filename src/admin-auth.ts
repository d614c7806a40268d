// The admin token: when configured, every /_sandbox request except health needs `authorization: Bearer <token>`.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { ApiError } from './errors.js'

// The Docker HEALTHCHECK and orchestrators probe health without credentials; it reveals nothing about the state.
// The console's page and assets hold no data: they load so the page can ask for the token.
const OPEN_PATHS = new Set(['/_sandbox/health', '/_sandbox/ui', '/_sandbox/ui/'])
const OPEN_PREFIX = '/_sandbox/ui/assets/'

/** The console's event stream: EventSource cannot send headers, so there (only) the token may come as this cookie. */
export const EVENTS_PATH = '/_sandbox/ui/api/events'
export const EVENTS_COOKIE = 'sandbox_admin_token'

function cookieToken (header: string | undefined): string {
  if (header === undefined) return ''
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === EVENTS_COOKIE) {
      try {
        return decodeURIComponent(value.join('='))
      } catch {
        return ''
      }
    }
  }
  return ''
}

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
    if (!(path === '/_sandbox' || path.startsWith('/_sandbox/')) || OPEN_PATHS.has(path) || path.startsWith(OPEN_PREFIX)) return done()
    const header = request.headers.authorization
    let presented = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : ''
    if (presented === '' && path === EVENTS_PATH) presented = cookieToken(request.headers.cookie)
    if (!tokenMatches(presented, token)) {
      throw new ApiError(401, {
        error: header === undefined ? 'Missing admin token: send authorization: Bearer <SANDBOX_ADMIN_TOKEN>.' : 'Invalid admin token.',
        origin: 'trackstar'
      }, { 'www-authenticate': 'Bearer realm="trackstar-sandbox"' })
    }
    done()
  })
}

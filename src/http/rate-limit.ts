// Trackstar's per-token rate limits (10 reads/s, 50 writes/s) through @fastify/rate-limit, on fixed windows of the sandbox clock.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fastifyRateLimit from '@fastify/rate-limit'
import type { SandboxClock } from '../domain/clock.js'
import { ApiError } from '../domain/errors.js'
import { ACCESS_TOKEN_HEADER } from '../domain/auth.js'

export interface RateLimits {
  /** GET requests per second per access token (Trackstar: 10). */
  reads: number
  /** PUT, POST, PATCH and DELETE requests per second per access token (Trackstar: 50). */
  writes: number
}

export const TRACKSTAR_RATE_LIMITS: RateLimits = { reads: 10, writes: 50 }
const WINDOW_MS = 1000
// Above this many live counters, counters of past windows are dropped (they can never count again).
const PRUNE_ABOVE = 10_000

/** Counts one request of the request's (already identified) access token and sets the rate-limit headers; throws the 429. */
export type TokenRateLimiter = (request: FastifyRequest, reply: FastifyReply) => Promise<void>

interface Counter { window: number, count: number }

/**
 * A store for @fastify/rate-limit whose windows are fixed, aligned to whole seconds of the sandbox clock.
 * The plugin's LocalStore starts a window at each key's first request and reads Date.now(), so a frozen or
 * moved sandbox clock would not move its windows.
 */
export function sandboxClockStore (clock: SandboxClock, pruneAbove = PRUNE_ABOVE) {
  return class SandboxClockStore {
    readonly #counters = new Map<string, Counter>()

    incr (key: string, callback: (error: Error | null, result?: { current: number, ttl: number }) => void, timeWindow: number): void {
      const now = clock.nowMs()
      const window = Math.floor(now / timeWindow)
      let counter = this.#counters.get(key)
      if (counter?.window !== window) {
        if (this.#counters.size >= pruneAbove) this.#prune(window)
        counter = { window, count: 0 }
        this.#counters.set(key, counter)
      }
      counter.count++
      callback(null, { current: counter.count, ttl: (window + 1) * timeWindow - now })
    }

    /** Live counters (memory stays bounded by the tokens active in the current window). */
    get size (): number {
      return this.#counters.size
    }

    child (): SandboxClockStore {
      return new SandboxClockStore()
    }

    #prune (window: number): void {
      for (const [key, counter] of this.#counters) if (counter.window !== window) this.#counters.delete(key)
    }
  }
}

const isWrite = (method: string): boolean => method !== 'GET' && method !== 'HEAD'

/**
 * Registers the plugin without its global hook and returns the per-token limiter the emulated API calls
 * once the token is known (after the 401 checks, before 403/501). The plugin's own header writing is not
 * used: it sends `x-ratelimit-reset` as seconds until the reset, while Trackstar documents the epoch
 * second of the reset, and its 429 is not Trackstar's error shape; so the headers are written here from
 * the plugin's result.
 */
export async function registerRateLimit (app: FastifyInstance, clock: SandboxClock, limits: RateLimits = TRACKSTAR_RATE_LIMITS): Promise<TokenRateLimiter> {
  // The plugin-level store is the one createRateLimit uses (through its child()).
  await app.register(fastifyRateLimit, { global: false, store: sandboxClockStore(clock) })
  const check = app.createRateLimit({
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => `${isWrite(request.method) ? 'w' : 'r'}:${String(request.headers[ACCESS_TOKEN_HEADER])}`,
    max: (_request, key) => key.startsWith('w:') ? limits.writes : limits.reads
  })
  return async (request, reply) => {
    const result = await check(request)
    /* c8 ignore next -- no allowList is configured, so the plugin always counts */
    if (result.isAllowed) return
    const resetEpochSeconds = Math.ceil((clock.nowMs() + result.ttl) / 1000)
    reply.header('x-ratelimit-limit', result.max)
    reply.header('x-ratelimit-remaining', result.remaining)
    reply.header('x-ratelimit-reset', resetEpochSeconds)
    if (result.isExceeded) {
      throw new ApiError(429, {
        error: `Rate limit exceeded: ${result.max} ${isWrite(request.method) ? 'writes' : 'reads'} per second per access token. Retry after ${result.ttlInSeconds} second(s).`,
        origin: 'trackstar'
      }, { 'retry-after': String(Math.max(1, result.ttlInSeconds)) })
    }
  }
}

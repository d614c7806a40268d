// Admission of an emulated request: due scheduled adjustments first, then auth, the token's rate limit, permissions.
import type { FastifyInstance, onRequestHookHandler } from 'fastify'
import { authorize, identify, type Caller } from '../domain/auth.js'
import type { Action } from '../schemas/connection.js'
import type { Sandbox } from '../domain/sandbox.js'
import type { TokenRateLimiter } from './rate-limit.js'

declare module 'fastify' {
  interface FastifyRequest { caller: Caller | null }
}

/** Due scheduled adjustments are applied before any emulated request looks at stock. */
export function applyDueFirst (app: FastifyInstance, sandbox: Sandbox): void {
  app.addHook('onRequest', (_request, _reply, done) => {
    sandbox.inventory.applyDue()
    done()
  })
}

/**
 * The one place an emulated request is admitted: auth (401, then the token's rate limit, then 403/501), before the
 * body is read. A route-level hook made from each route's `config.action` and `config.write` (request.routeOptions
 * would build an object per request), and callback-style unless a rate limit has to be awaited.
 */
export function admitCallers (app: FastifyInstance, sandbox: Sandbox, rateLimit: TokenRateLimiter | undefined): void {
  app.decorateRequest('caller', null)
  const admit = (action: Action, write: boolean): onRequestHookHandler => (request, reply, done) => {
    const identity = identify(sandbox.tenants, request.headers)
    if (rateLimit) {
      return rateLimit(request, reply).then(() => { request.caller = authorize(identity, action, write) })
    }
    request.caller = authorize(identity, action, write)
    done()
  }
  app.addHook('onRoute', (route) => {
    const action = route.config?.action
    if (action !== undefined) route.onRequest = [...[route.onRequest ?? []].flat(), admit(action, route.config?.write === true)]
  })
}

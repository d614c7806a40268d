// When a route's writes are visible: the one consistency choice per route, made from its `config` flags.
import type { FastifyInstance, preHandlerHookHandler } from 'fastify'
import type { Sandbox } from '../domain/sandbox.js'

/**
 * Adjustments share group commits (src/domain/inventory/group-commit.ts); every other handler starts with nothing pending, so it
 * never reads uncommitted stock and never answers before its own writes are committed. Most also need the products
 * table caught up (a checkpoint); a route marked `answersFromCache` reads products only through the repository,
 * which answers from the changed copies in memory, so a read-back after each adjustment costs no checkpoint.
 * Added per route, not as a global hook: reading request.routeOptions builds a new object on every call.
 */
export function consistentReads (app: FastifyInstance, sandbox: Sandbox): void {
  const flushFirst: preHandlerHookHandler = (_request, _reply, done) => {
    sandbox.inventory.flushWrites()
    done()
  }
  const commitFirst: preHandlerHookHandler = (_request, _reply, done) => {
    sandbox.inventory.commitPending()
    done()
  }
  app.addHook('onRoute', (route) => {
    if (route.config?.action === 'adjust_inventory') return
    route.preHandler = [route.config?.answersFromCache === true ? commitFirst : flushFirst, ...[route.preHandler ?? []].flat()]
  })
}

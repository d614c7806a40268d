// The request pipeline in one place: every hook, parser, handler and route group, registered in the order it acts.
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Action } from '../schemas/connection.js'
import type { Sandbox } from '../domain/sandbox.js'
import { ADJUST_SCHEMAS } from '../schemas/integrations.js'
import { ErrorSchema } from '../schemas/common.js'
import { AdjustResponseSchema, CartProductSchema, ProductMeasurementsSchema, WarehouseSchema } from '../schemas/product.js'
import { cartRoutes } from '../routes/cart.js'
import { controlRoutes } from '../routes/control/connections.js'
import { webhookRoutes } from '../routes/control/webhooks.js'
import { controlStateRoutes } from '../routes/control/state.js'
import { controlObserveRoutes } from '../routes/control/observe.js'
import { controlFaultRoutes } from '../routes/control/faults.js'
import { merchantRoutes } from '../routes/control/merchant.js'
import { consoleRoutes } from '../routes/console.js'
import { requestIdAndClosing } from './closing.js'
import { parseJsonStrictly, refuseOtherMethods, registerCors } from './edges.js'
import { registerErrorHandlers } from './errors.js'
import { requireAdminToken } from './admin-auth.js'
import { journalRequests } from './journal.js'
import { consistentReads } from './consistency.js'
import { registerOpenApi } from './openapi/register.js'
import { registerDocs } from './docs.js'
import { registerRateLimit, type RateLimits } from './rate-limit.js'
import { registerIdempotency } from './idempotency.js'
import { registerDueScheduler } from './scheduler.js'
import { injectFaults } from './faults.js'
import { admitCallers, applyDueFirst } from './admission.js'
import { decodeJsonAsItArrives } from './streamed-json.js'
import { consoleStreams } from './console-streams.js'

declare module 'fastify' {
  /** A route's flags, read once per route by the onRoute hooks below (never per request). */
  interface FastifyContextConfig {
    /** An emulated endpoint: admitted by auth, rate limit and the connection's permissions for this action. */
    action?: Action
    /** Changes state: counted as a write by the rate limit, and replayed for a repeated Idempotency-Key. */
    write?: boolean
    /** The handler reads products only through the repository's in-memory copies: no checkpoint first. */
    answersFromCache?: boolean
  }
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>

export interface PipelineOptions {
  corsOrigins: string
  adminToken: string
  rateLimit: boolean
  rateLimits: RateLimits | undefined
  version: string
}

/**
 * Fastify runs hooks of one kind in the order they are registered: root hooks first, then those of the plugin that
 * owns the route, then the route's own (added by the onRoute hooks). Hooks on the request path are callback-style
 * unless they must wait: an async hook costs a promise per request.
 */
export async function registerPipeline (app: App, sandbox: Sandbox, options: PipelineOptions): Promise<void> {
  // 1. Lifecycle: webhook retries stop, then the database closes, after the last answer.
  app.addHook('onClose', async () => {
    await sandbox.webhooks.close()
    sandbox.close()
  })
  // 2. Request id on every answer; 503 for requests arriving while the app closes.
  requestIdAndClosing(app)
  // 3. Body parsing: JSON only (text/plain would otherwise be parsed as a string), strictly.
  app.removeContentTypeParser(['text/plain'])
  parseJsonStrictly(app)
  // 4. Errors: anything thrown answers in Trackstar's shape; unknown paths 404, known paths under another method 405.
  registerErrorHandlers(app)
  // 5. CORS for browser apps (preflights answer here).
  await registerCors(app, options.corsOrigins)
  // 6. The admin token on the control plane.
  requireAdminToken(app, options.adminToken)
  // 7. The journal notes each emulated request (unknown paths included) and records its answer.
  journalRequests(app, sandbox.journal, sandbox.clock)
  // 8. Consistency: every route but adjust starts with nothing pending (a preHandler per route).
  consistentReads(app, sandbox)

  // The shared schemas, the served OpenAPI document and /docs.
  for (const schema of [ProductMeasurementsSchema, CartProductSchema, AdjustResponseSchema, WarehouseSchema, ErrorSchema, ...ADJUST_SCHEMAS.values()]) app.addSchema(schema)
  const openapi = await registerOpenApi(app, options.version, sandbox.fixtures)
  await registerDocs(app, openapi)

  // 9. The token's rate limit (awaited in admission, step 12), when on.
  const rateLimit = options.rateLimit ? await registerRateLimit(app, sandbox.clock, options.rateLimits) : undefined
  // 10. Idempotency-Key on routes with `config.write`: a preHandler after the body is parsed; the answer kept on send.
  registerIdempotency(app, sandbox)
  // 11. The due-adjustment timer, re-armed after every answer.
  registerDueScheduler(app, sandbox)

  // The emulated API: 12. faults first (an injected answer touches no state), then due scheduled adjustments, then
  // admission (auth, rate limit, permissions) per route; then the body, validated in the handler per integration.
  await app.register(async (api) => {
    injectFaults(api, sandbox.faults, sandbox.journal)
    applyDueFirst(api, sandbox)
    admitCallers(api, sandbox, rateLimit)
    await api.register(cartRoutes, { sandbox })
  })

  // The control plane: its large bodies (catalogues) are decoded as they arrive.
  await app.register(async (control) => {
    decodeJsonAsItArrives(control)
    await control.register(controlRoutes, { sandbox, version: options.version })
  })
  await app.register(webhookRoutes, { sandbox })
  // The deliveries log is not a webhook id: DELETE on it must not reach DELETE /_sandbox/webhooks/:id.
  refuseOtherMethods(app, '/_sandbox/webhooks/deliveries', ['GET', 'HEAD'], ['DELETE'])
  await app.register(controlStateRoutes, { sandbox })
  await app.register(controlObserveRoutes, { sandbox })
  await app.register(controlFaultRoutes, { sandbox })
  await app.register(async (ui) => {
    await ui.register(consoleRoutes, { sandbox, ...consoleStreams(ui, sandbox) })
  })
  await app.register(merchantRoutes, { sandbox })
}

// buildApp(config): the whole sandbox as one Fastify instance, without listening; server.ts, the CLI and the library wrap it.
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance, type FastifyServerOptions, type preHandlerHookHandler } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DEFAULT_CONFIG, type SandboxConfig } from './config.js'
import { VERSION } from './version.js'
import { AJV_OPTIONS } from './validation.js'
import { lazySerializerFactory, lazyValidatorFactory } from './lazy-compilers.js'
import { clientErrorHandler, frameworkErrorHandler, registerErrorHandlers, shuttingDown } from './errors.js'
import { registerOpenApi } from './openapi/register.js'
import { registerLazyDocs } from './lazy-docs.js'
import { parseJsonStrictly, refuseOtherMethods, registerCors } from './http-edges.js'
import { Sandbox } from './sandbox.js'
import { cartRoutes } from './routes/cart.js'
import { controlRoutes } from './routes/control.js'
import { webhookRoutes } from './routes/webhooks.js'
import { registerRateLimit, type RateLimits } from './plugins/rate-limit.js'
import { registerIdempotency } from './plugins/idempotency.js'
import { registerDueScheduler } from './plugins/scheduler.js'
import type { WebhookOptions } from './services/webhooks.js'
import { controlStateRoutes } from './routes/control-state.js'
import { controlObserveRoutes } from './routes/control-observe.js'
import { controlFaultRoutes } from './routes/control-faults.js'
import { consoleRoutes } from './routes/console.js'
import { merchantRoutes } from './routes/merchant.js'
import { journalRequests } from './services/journal.js'
import { childLoggers, REDACT } from './logging.js'
import { requireAdminToken } from './admin-auth.js'
import { ADJUST_SCHEMAS } from './integrations/catalog.js'
import { ErrorSchema } from './schemas/common.js'
import { AdjustResponseSchema, CartProductSchema, ProductMeasurementsSchema, WarehouseSchema } from './schemas/product.js'

declare module 'fastify' {
  interface FastifyInstance { sandbox: Sandbox }
}

export { VERSION }

/** A client's own x-request-id is echoed when it is 1..200 visible ASCII characters. */
export function requestIdFrom (header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\x21-\x7e]{1,200}$/.test(header) ? header : randomUUID()
}

/** How long a client may take, in ms: slow or stuck clients must not hold sockets (and memory) forever. */
export const HTTP_LIMITS = {
  /** the whole request line and headers */
  headersTimeout: 10_000,
  /** the whole request, body included */
  requestTimeout: 30_000,
  /** a socket with no traffic at all */
  connectionTimeout: 60_000,
  /** an idle keep-alive socket between requests */
  keepAliveTimeout: 72_000,
  /** how often Node checks the two request timeouts above (its default, 30 s, would let them overrun by that much) */
  connectionsCheckingInterval: 1_000,
  /** the emulated API's request body; the control plane allows more for big catalogues */
  bodyLimit: 1024 * 1024
}

export interface BuildOptions {
  /** Per-token limits when config.rateLimit is on; default Trackstar's 10 reads/s and 50 writes/s. */
  rateLimits?: RateLimits
  /** Webhook retry delays, timeout and log size; tests shorten the delays. */
  webhooks?: Partial<WebhookOptions>
  /** pino options (level, stream, ...) or false; default: pino at config.logLevel. Secrets are always redacted. */
  logger?: false | Exclude<FastifyServerOptions['logger'], boolean | undefined>
  /** Overrides of HTTP_LIMITS (tests use short timeouts). */
  limits?: Partial<typeof HTTP_LIMITS>
}

export async function buildApp (overrides: Partial<SandboxConfig> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const config: SandboxConfig = { ...DEFAULT_CONFIG, ...overrides }
  const limits = { ...HTTP_LIMITS, ...options.limits }
  const app = Fastify({
    // Redaction stays on whatever logger options a caller passes (level, stream): secrets never reach a log.
    logger: options.logger === false ? false : { level: config.logLevel, ...options.logger, redact: REDACT },
    childLoggerFactory: childLoggers,
    ajv: { customOptions: AJV_OPTIONS },
    // Route schemas compile on first use: compiling them all at startup was most of the cold start.
    schemaController: { compilersFactory: { buildValidator: lazyValidatorFactory(), buildSerializer: lazySerializerFactory() } },
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    http: { headersTimeout: limits.headersTimeout, requestTimeout: limits.requestTimeout, connectionsCheckingInterval: limits.connectionsCheckingInterval },
    connectionTimeout: limits.connectionTimeout,
    requestTimeout: limits.requestTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    bodyLimit: limits.bodyLimit,
    // Product ids may be up to 500 characters (and percent-encoded), more than find-my-way's default of 100.
    routerOptions: { maxParamLength: 2000 },
    forceCloseConnections: 'idle',
    // Fastify's own 503 is not in Trackstar's shape; the onRequest hook below answers it instead.
    return503OnClosing: false,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler
  }).withTypeProvider<TypeBoxTypeProvider>()

  const sandbox = new Sandbox({ dbPath: config.dbPath, fixtures: config.fixtures, journalSize: config.journalSize })
  app.decorate('sandbox', sandbox)
  app.addHook('onClose', async () => sandbox.close())
  // While closing, requests still arriving on open keep-alive sockets are refused (503, connection closed),
  // so in-flight ones finish and the database closes only after the last answer.
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  // Hooks on the request path are callback-style unless they must wait: an async hook costs a promise per request.
  // The request id is set here rather than when sending: Fastify keeps reply headers through its error handling, and
  // one hook fewer runs per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done(closing ? shuttingDown() : undefined)
  })
  // A keep-alive socket whose last answer went out during the close would otherwise hold the server open until its
  // keep-alive timeout (forceCloseConnections only closes the sockets idle when the close starts).
  app.addHook('onResponse', (_request, _reply, done) => {
    if (closing) setImmediate(() => app.server.closeIdleConnections())
    done()
  })

  // Only JSON bodies exist in Trackstar's API; text/plain would otherwise be parsed as a string.
  app.removeContentTypeParser(['text/plain'])
  parseJsonStrictly(app)
  registerErrorHandlers(app)
  await registerCors(app, config.corsOrigins)
  requireAdminToken(app, config.adminToken)
  journalRequests(app, sandbox.journal, sandbox.clock)
  // Adjustments share group commits (src/db/group-commit.ts); every other handler starts with nothing pending, so it
  // never reads uncommitted stock and never answers before its own writes are committed. Most also need the products
  // table caught up (a checkpoint); a route marked `answersFromCache` reads products only through the repository,
  // which answers from the changed copies in memory, so a read-back after each adjustment costs no checkpoint.
  // Added per route, not as a global hook: reading request.routeOptions builds a new object on every call.
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

  for (const schema of [ProductMeasurementsSchema, CartProductSchema, AdjustResponseSchema, WarehouseSchema, ErrorSchema, ...ADJUST_SCHEMAS.values()]) app.addSchema(schema)
  const openapi = await registerOpenApi(app, VERSION, sandbox.fixtures)
  registerLazyDocs(app, openapi)

  const rateLimit = config.rateLimit ? await registerRateLimit(app, sandbox.clock, options.rateLimits) : undefined
  registerIdempotency(app, sandbox)
  registerDueScheduler(app, sandbox)
  await app.register(cartRoutes, { sandbox, rateLimit })
  await app.register(controlRoutes, { sandbox, version: VERSION })
  await app.register(webhookRoutes, { sandbox, options: options.webhooks })
  // The deliveries log is not a webhook id: DELETE on it must not reach DELETE /_sandbox/webhooks/:id.
  refuseOtherMethods(app, '/_sandbox/webhooks/deliveries', ['GET', 'HEAD'], ['DELETE'])
  await app.register(controlStateRoutes, { sandbox })
  await app.register(controlObserveRoutes, { sandbox })
  await app.register(controlFaultRoutes, { sandbox })
  await app.register(consoleRoutes, { sandbox })
  await app.register(merchantRoutes, { sandbox })
  return app
}

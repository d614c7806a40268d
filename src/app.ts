// buildApp(config): the whole sandbox as one Fastify instance, without listening; the entry points and the library wrap it.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DEFAULT_CONFIG, type SandboxConfig } from './config.js'
import { VERSION } from './version.js'
import { AJV_OPTIONS } from './domain/validation.js'
import { Sandbox } from './domain/sandbox.js'
import type { WebhookOptions } from './domain/webhooks.js'
import { lazySerializerFactory, lazyValidatorFactory } from './http/lazy-compilers.js'
import { clientErrorHandler, frameworkErrorHandler } from './http/errors.js'
import { requestIdFrom } from './http/closing.js'
import { childLoggers, REDACT } from './http/logging.js'
import type { RateLimits } from './http/rate-limit.js'
import { registerPipeline } from './http/pipeline.js'

declare module 'fastify' {
  interface FastifyInstance { sandbox: Sandbox }
}

export { VERSION }

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
    // Fastify's own 503 is not in Trackstar's shape; an onRequest hook (src/http/closing.ts) answers it instead.
    return503OnClosing: false,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler
  }).withTypeProvider<TypeBoxTypeProvider>()

  const sandbox = new Sandbox({ dbPath: config.dbPath, fixtures: config.fixtures, journalSize: config.journalSize, webhooks: options.webhooks })
  app.decorate('sandbox', sandbox)
  await registerPipeline(app, sandbox, { corsOrigins: config.corsOrigins, adminToken: config.adminToken, rateLimit: config.rateLimit, rateLimits: options.rateLimits, version: VERSION })
  return app
}

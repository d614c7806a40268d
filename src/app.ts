// buildApp(config): the whole sandbox as one Fastify instance, without listening; server.ts, the CLI and the library wrap it.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DEFAULT_CONFIG, type SandboxConfig } from './config.js'
import { AJV_OPTIONS } from './validation.js'
import { registerErrorHandlers } from './errors.js'
import { Sandbox } from './sandbox.js'
import { cartRoutes } from './routes/cart.js'
import { controlRoutes } from './routes/control.js'
import { ADJUST_SCHEMAS } from './integrations/catalog.js'
import { ErrorSchema } from './schemas/common.js'
import { AdjustResponseSchema, CartProductSchema, ProductMeasurementsSchema, WarehouseSchema } from './schemas/product.js'

declare module 'fastify' {
  interface FastifyInstance { sandbox: Sandbox }
}

export const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version

const SECRET_HEADERS = ['x-trackstar-api-key', 'x-trackstar-access-token', 'authorization']

/** A client's own x-request-id is echoed when it is 1..200 visible ASCII characters. */
export function requestIdFrom (header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\x21-\x7e]{1,200}$/.test(header) ? header : randomUUID()
}

export interface BuildOptions {
  /** pino options or false; default: pino at config.logLevel with secrets redacted. */
  logger?: FastifyServerOptions['logger']
}

export async function buildApp (overrides: Partial<SandboxConfig> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const config: SandboxConfig = { ...DEFAULT_CONFIG, ...overrides }
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: { paths: SECRET_HEADERS.map((h) => `req.headers["${h}"]`), censor: '[redacted]' }
    },
    ajv: { customOptions: AJV_OPTIONS },
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    // Slow or stuck clients must not hold sockets forever.
    connectionTimeout: 60_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    forceCloseConnections: 'idle',
    return503OnClosing: true
  }).withTypeProvider<TypeBoxTypeProvider>()

  const sandbox = new Sandbox({ dbPath: config.dbPath, fixtures: config.fixtures })
  app.decorate('sandbox', sandbox)
  app.addHook('onClose', async () => sandbox.close())

  // Only JSON bodies exist in Trackstar's API; text/plain would otherwise be parsed as a string.
  app.removeContentTypeParser(['text/plain'])
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  registerErrorHandlers(app)
  // Adjustments share group commits (src/db/group-commit.ts); every other handler starts with nothing pending, so it
  // never reads uncommitted stock and never answers before its own writes are committed.
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.routeOptions.config.action !== 'adjust_inventory') sandbox.inventory.flushWrites()
    done()
  })

  for (const schema of [ProductMeasurementsSchema, CartProductSchema, AdjustResponseSchema, WarehouseSchema, ErrorSchema, ...ADJUST_SCHEMAS.values()]) app.addSchema(schema)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'trackstar-sandbox',
        description: "A local, stateful emulator of Trackstar's PUT /cart/products/{product_id}/adjust-inventory, its read-backs and a test control plane (/_sandbox).",
        version: VERSION
      },
      servers: [{ url: `http://localhost:${config.port}` }],
      tags: [{ name: 'cart' }, { name: 'Products' }, { name: 'Warehouses' }, { name: 'sandbox' }, { name: 'sandbox control' }]
    },
    // Shared schemas keep their $id as their component name, so the document names them as the seed does.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => typeof json.$id === 'string' ? json.$id : `def-${i}` },
    transform: ({ schema, url, route }) => {
      // The body is validated per integration after auth, so it is documented here, not declared on the route.
      if (url === '/cart/products/:product_id/adjust-inventory' && route.method === 'PUT') {
        return { schema: { ...schema, body: { oneOf: [...ADJUST_SCHEMAS.values()].map((s) => ({ $ref: `${s.$id as string}#` })) } }, url }
      }
      return { schema, url }
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())

  await app.register(cartRoutes, { sandbox })
  await app.register(controlRoutes, { sandbox, version: VERSION })
  return app
}

// The emulated Trackstar API: adjust-inventory, its read-backs, and the Cart Sandbox generator.
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import { ErrorSchema } from '../schemas/common.js'
import { AdjustResponseSchema, ProductEnvelopeSchema, ProductListSchema, WarehouseListSchema } from '../schemas/product.js'
import { API_KEY_HEADER, ACCESS_TOKEN_HEADER, authorize, identify, type Caller } from '../auth.js'
import { ApiError, fieldError, forbidden, unauthorized, validationFailed, type Detail } from '../errors.js'
import type { AdjustBody } from '../services/inventory.js'
import { createStore, defaultProducts, newSecret, type Action } from '../services/stores.js'
import { findIntegration, type IntegrationRow } from '../integrations/catalog.js'
import { addMessage } from '../validation.js'
import type { Sandbox } from '../sandbox.js'
import type { TokenRateLimiter } from '../plugins/rate-limit.js'
import { injectFaults } from '../services/faults.js'

declare module 'fastify' {
  interface FastifyRequest { caller: Caller | null }
  interface FastifyContextConfig {
    action?: Action
    write?: boolean
    /** The handler reads products only through the repository's in-memory copies (src/app.ts: no checkpoint first). */
    answersFromCache?: boolean
  }
}

const AuthHeaders = Type.Object({
  [API_KEY_HEADER]: Type.Optional(Type.String({ description: 'Your organization-level Trackstar API key.' })),
  [ACCESS_TOKEN_HEADER]: Type.Optional(Type.String({ description: "Your user's access token for a specific integration (ShipHero, Extensiv, etc)." }))
})
const ProductParams = Type.Object({ product_id: Type.String({ minLength: 1, maxLength: 500 }) })
const errorResponses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 415: ErrorSchema, 422: ErrorSchema, 501: ErrorSchema }

const ListQuery = Type.Object({
  limit: Type.Optional(Type.String({ description: '1..1000, default 1000' })),
  page_token: Type.Optional(Type.String({ description: 'The next_token of the previous page.' })),
  'ids[in]': Type.Optional(Type.String({ description: 'Comma-separated product ids (at most 100); other parameters are then ignored.' }))
}, { additionalProperties: false })

export const MAX_PAGE = 1000
// A string sent with a JSON content type goes out as is; the typed `send` only knows the schema's object form.
const JSON_TYPE = 'application/json; charset=utf-8'
const MAX_IDS = 100

/** The caller resolved by the onRequest hook; every emulated route has one. */
const callerOf = (request: FastifyRequest): Caller => request.caller as Caller

export const cartRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox, rateLimit?: TokenRateLimiter | undefined }> = async (app, { sandbox, rateLimit }) => {
  app.decorateRequest('caller', null)
  // Faults come first: an injected answer touches no state, not even the scheduled adjustments below.
  injectFaults(app, sandbox.faults, sandbox.journal)

  // Due scheduled adjustments are applied before any emulated request looks at stock.
  app.addHook('onRequest', (_request, _reply, done) => {
    sandbox.inventory.applyDue()
    done()
  })

  // The one place an emulated request is admitted: auth (401, then the token's rate limit, then 403/501), before the
  // body is read. A route-level hook made from each route's `config.action` and `config.write` (request.routeOptions
  // would build an object per request), and callback-style unless a rate limit has to be awaited.
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

  app.put('/cart/products/:product_id/adjust-inventory', {
    config: { action: 'adjust_inventory', write: true },
    schema: {
      tags: ['cart', 'Products'],
      summary: 'Adjust Inventory for Product',
      description: "Adjust the inventory for the specified cart product. The body must match the variant of the connection's integration.",
      operationId: 'put_cart_adjust_inventory',
      params: ProductParams,
      headers: AuthHeaders,
      response: { 200: AdjustResponseSchema, ...errorResponses }
    }
  }, async (request, reply) => {
    const { connection, integration } = callerOf(request)
    if (request.body === undefined) throw new ApiError(415, { error: 'Unsupported media type: send the body as application/json.', origin: 'trackstar' })
    const detail = sandbox.adjustValidators.get(integration.slug)?.(request.body) ?? null
    if (detail) throw validationFailed(detail, `The request body does not match the ${integration.displayName} adjust-inventory schema.`)
    const { product_id: productId } = request.params
    const result = sandbox.inventory.adjust(connection, integration, productId, request.body as AdjustBody, request.id)
    await result.durable
    // The product was serialized when it was written; the envelope around it is all that is built here.
    return reply.type(JSON_TYPE).send(`{"id":${JSON.stringify(productId)},"data":${result.productJson},"unused_fields":${JSON.stringify(result.unusedFields)}}` as never)
  })

  app.get('/cart/products/:product_id', {
    config: { action: 'get_products', answersFromCache: true },
    schema: { tags: ['cart', 'Products'], summary: 'Get Cart Product', params: ProductParams, headers: AuthHeaders, response: { 200: ProductEnvelopeSchema, ...errorResponses } }
  }, async (request, reply) => {
    const { connection } = callerOf(request)
    const product = sandbox.products.getJson(connection.id, request.params.product_id)
    if (product === undefined) throw new ApiError(404, { error: `Cart product ${request.params.product_id} not found.`, origin: 'trackstar', id: request.params.product_id })
    // Stored products are already their API shape: sent as stored, not parsed and serialized again.
    return reply.type(JSON_TYPE).send(`{"data":${product}}` as never)
  })

  app.get('/cart/products', {
    config: { action: 'get_products' },
    schema: { tags: ['cart', 'Products'], summary: 'Get All Cart Products', querystring: ListQuery, headers: AuthHeaders, response: { 200: ProductListSchema, ...errorResponses } }
  }, async (request, reply) => {
    const { connection } = callerOf(request)
    const query = request.query
    if (query['ids[in]'] !== undefined) {
      const ids = [...new Set(query['ids[in]'].split(',').map((id) => id.trim()).filter((id) => id.length > 0))]
      if (ids.length > MAX_IDS) throw fieldError('query', 'ids[in]', `At most ${MAX_IDS} ids.`)
      const data = ids.map((id) => sandbox.products.get(connection.id, id)).filter((p) => p !== undefined)
      return { data, next_token: null, total_count: data.length }
    }
    const detail: Detail = {}
    const limit = parseLimit(query.limit, detail)
    const after = parsePageToken(query.page_token, detail)
    if (Object.keys(detail).length > 0) throw validationFailed(detail)
    const page = sandbox.products.pageJson(connection.id, after, limit)
    const nextToken = page.nextPosition === null ? null : encodePageToken(page.nextPosition)
    return reply.type(JSON_TYPE).send(`{"data":[${page.bodies.join(',')}],"next_token":${JSON.stringify(nextToken)},"total_count":${page.total}}` as never)
  })

  app.get('/cart/warehouses', {
    config: { action: 'get_warehouses' },
    schema: { tags: ['cart', 'Warehouses'], summary: 'Get All Cart Warehouses', headers: AuthHeaders, response: { 200: WarehouseListSchema, ...errorResponses } }
  }, async (request) => {
    const warehouses = sandbox.tenants.listWarehouses(callerOf(request).connection.id)
    return { data: warehouses, next_token: null, total_count: warehouses.length }
  })

  app.post('/sandbox/generate-sandbox/cart', {
    schema: {
      tags: ['sandbox'],
      summary: "(Re)create the organisation's Cart Sandbox connection with fresh seeded data",
      headers: Type.Object({ [API_KEY_HEADER]: Type.Optional(Type.String()) }),
      response: {
        200: Type.Object({
          access_token: Type.String(), connection_id: Type.String(), integration_name: Type.String(),
          customer_id: Type.Union([Type.String(), Type.Null()]), available_actions: Type.Array(Type.String())
        }),
        401: ErrorSchema,
        403: ErrorSchema
      }
    }
  }, async (request) => {
    const key = request.headers[API_KEY_HEADER]
    const apiKey = typeof key === 'string' ? sandbox.tenants.findApiKey(key) : undefined
    if (!apiKey) throw unauthorized(key === undefined ? `Missing ${API_KEY_HEADER} header.` : `Invalid ${API_KEY_HEADER}.`)
    if (apiKey.access === 'read_only') throw forbidden('This API key is read-only; writes need a full-access key.')
    // Trackstar: "Uses the same connection ID every time, and will reset any existing sandbox."
    const connectionId = `conn_${apiKey.organisationId}_cart_sandbox`
    const existing = sandbox.tenants.findConnection(connectionId)
    const row = findIntegration('sandbox') as IntegrationRow
    const store = sandbox.db.transaction(() => {
      sandbox.tenants.deleteConnection(connectionId)
      return createStore(sandbox, apiKey.organisationId, {
        integration: row.slug,
        id: connectionId,
        access_token: existing?.accessToken ?? newSecret('sandbox'),
        products: defaultProducts(['wh_main'])
      }, sandbox.clock.isoNow())
    })()
    const { connection } = store
    return { access_token: connection.accessToken, connection_id: connection.id, integration_name: 'sandbox', customer_id: connection.customerId, available_actions: connection.availableActions }
  })
}

function parseLimit (raw: string | undefined, detail: Detail): number {
  if (raw === undefined) return MAX_PAGE
  const limit = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN
  if (!(limit >= 1 && limit <= MAX_PAGE)) addMessage(detail, 'query', 'limit', `Must be an integer between 1 and ${MAX_PAGE}.`)
  return limit
}

// Page tokens are opaque to clients; inside they are the catalogue position the next page starts after.
const encodePageToken = (position: number): string => Buffer.from(`p:${position}`).toString('base64url')

function parsePageToken (raw: string | undefined, detail: Detail): number {
  if (raw === undefined) return 0
  const match = /^p:(\d{1,12})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'))
  if (!match) addMessage(detail, 'query', 'page_token', 'Invalid page token: pass back the next_token of a previous page.')
  return Number(match?.[1] ?? 0)
}

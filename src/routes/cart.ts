// The emulated Trackstar API: adjust-inventory, its read-backs, and the Cart Sandbox generator.
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest, preValidationHookHandler } from 'fastify'
import { ErrorSchema } from '../schemas/common.js'
import { AdjustResponseSchema, ProductEnvelopeSchema, ProductListSchema, WarehouseEnvelopeSchema, WarehouseListSchema } from '../schemas/product.js'
import { API_KEY_HEADER, ACCESS_TOKEN_HEADER, type Caller } from '../domain/auth.js'
import { ApiError, forbidden, notFound, unauthorized, validationFailed } from '../domain/errors.js'
import type { AdjustBody } from '../domain/inventory/types.js'
import { createStore, defaultProducts, newSecret } from '../domain/catalogue/store-builder.js'
import { findIntegration, type IntegrationRow } from '../schemas/integrations.js'
import { encodePageToken, filtersToSql, ListQuerySchema, matchesFilters, parseListQuery, typedQuery, type ListQuery } from '../domain/list-query.js'
import { registerBatchAdjust } from './cart-batch.js'
import type { Sandbox } from '../domain/sandbox.js'

const AuthHeaders = Type.Object({
  [API_KEY_HEADER]: Type.Optional(Type.String({ description: 'Your organization-level Trackstar API key.' })),
  [ACCESS_TOKEN_HEADER]: Type.Optional(Type.String({ description: "Your user's access token for a specific integration (ShipHero, Extensiv, etc)." }))
})
const ProductParams = Type.Object({ product_id: Type.String({ minLength: 1, maxLength: 500 }) })
const errorResponses = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 415: ErrorSchema, 422: ErrorSchema, 501: ErrorSchema }

// A string sent with a JSON content type goes out as is; the typed `send` only knows the schema's object form.
const JSON_TYPE = 'application/json; charset=utf-8'
const WarehouseParams = Type.Object({ warehouse_id: Type.String({ minLength: 1, maxLength: 500 }) })

/** The caller resolved by the admission hook (src/http/admission.ts); every emulated route has one. */
const callerOf = (request: FastifyRequest): Caller => request.caller as Caller

export const cartRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox }> = async (app, { sandbox }) => {
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

  // The list parameters are read (and refused with Trackstar's 422) before the route schema sees them; the schema
  // then gets them typed as Trackstar's document declares them (lists as arrays, limit as an integer).
  const listQueries = new WeakMap<FastifyRequest, ListQuery>()
  const readListQuery: preValidationHookHandler = (request, _reply, done) => {
    const raw = request.query as Record<string, unknown>
    listQueries.set(request, parseListQuery(raw))
    request.query = typedQuery(raw)
    done()
  }
  const listQueryOf = (request: FastifyRequest): ListQuery => listQueries.get(request) as ListQuery

  app.get('/cart/products', {
    config: { action: 'get_products' },
    preValidation: readListQuery,
    schema: {
      tags: ['cart', 'Products'],
      summary: 'Get All Cart Products',
      description: 'Returns all Products for the Cart connection associated with the provided access token.',
      operationId: 'get_cart_products',
      querystring: ListQuerySchema,
      headers: AuthHeaders,
      response: { 200: ProductListSchema, ...errorResponses }
    }
  }, async (request, reply) => {
    const { connection } = callerOf(request)
    const query = listQueryOf(request)
    if (query.ids !== null) {
      const data = query.ids.map((id) => sandbox.products.get(connection.id, id)).filter((p) => p !== undefined)
      return { data, next_token: null, total_count: data.length }
    }
    const page = query.filters.length === 0
      ? sandbox.products.pageJson(connection.id, query.after, query.limit)
      : sandbox.products.pageJsonWhere(connection.id, query.after, query.limit, filtersToSql(query.filters))
    const nextToken = page.nextPosition === null ? null : encodePageToken(page.nextPosition, query.filters)
    return reply.type(JSON_TYPE).send(`{"data":[${page.bodies.join(',')}],"next_token":${JSON.stringify(nextToken)},"total_count":${page.total}}` as never)
  })

  app.get('/cart/warehouses', {
    config: { action: 'get_warehouses' },
    preValidation: readListQuery,
    schema: {
      tags: ['cart', 'Warehouses'],
      summary: 'Get All Cart Warehouses',
      description: 'Returns all Warehouses for the Cart connection associated with the provided access token.',
      operationId: 'get_cart_warehouses',
      querystring: ListQuerySchema,
      headers: AuthHeaders,
      response: { 200: WarehouseListSchema, ...errorResponses }
    }
  }, async (request) => {
    const warehouses = sandbox.tenants.listWarehouses(callerOf(request).connection.id)
    const query = listQueryOf(request)
    if (query.ids !== null) {
      const data = (query.ids).map((id) => warehouses.find((w) => w.id === id)).filter((w) => w !== undefined)
      return { data, next_token: null, total_count: data.length }
    }
    // Positions are 1-based list indexes: a connection's warehouses keep their order.
    const matching = warehouses.map((warehouse, i) => ({ warehouse, position: i + 1 })).filter(({ warehouse }) => matchesFilters(warehouse, query.filters))
    const rest = matching.filter(({ position }) => position > query.after)
    const page = rest.slice(0, query.limit)
    const nextToken = rest.length > query.limit ? encodePageToken((page.at(-1) as { position: number }).position, query.filters) : null
    return { data: page.map(({ warehouse }) => warehouse), next_token: nextToken, total_count: matching.length }
  })

  app.get('/cart/warehouses/:warehouse_id', {
    config: { action: 'get_warehouses' },
    schema: {
      tags: ['cart', 'Warehouses'],
      summary: 'Get Cart Warehouse',
      description: 'Returns a single Warehouse for the Cart connection with the associated warehouse ID.',
      operationId: 'get_cart_warehouse',
      params: WarehouseParams,
      headers: AuthHeaders,
      // The error answers are added to the document for every /cart/ operation at once, not per route.
      response: { 200: WarehouseEnvelopeSchema }
    }
  }, async (request) => {
    const id = request.params.warehouse_id
    const warehouse = sandbox.tenants.listWarehouses(callerOf(request).connection.id).find((w) => w.id === id)
    if (!warehouse) throw notFound(`Cart warehouse ${id} not found.`, id)
    return { data: warehouse }
  })

  registerBatchAdjust(app, sandbox)

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

// PUT /cart/products/batch-adjust-inventory: registered inside the emulated API's plugin, so auth, rate limit and faults apply.
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { CartProductSchema } from '../schemas/product.js'
import { ApiError } from '../errors.js'
import { API_KEY_HEADER, ACCESS_TOKEN_HEADER, type Caller } from '../auth.js'
import { adjustBatch, MAX_LINE_ITEMS } from '../services/batch-adjust.js'
import type { Sandbox } from '../sandbox.js'

const BatchResponseSchema = Type.Object({
  data: Type.Array(Type.Ref(CartProductSchema), { description: 'Each distinct product of the batch, in first-appearance order, as the whole batch left it.' }),
  unused_fields: Type.Array(Type.String(), { description: 'Unused fields' })
})

// The body is checked per line against the connection's own variant (src/services/batch-adjust.ts); this is its outline.
const BatchBodyDoc = {
  type: 'object',
  required: ['line_items'],
  additionalProperties: false,
  properties: {
    line_items: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_LINE_ITEMS,
      description: "Each line item is product_id plus exactly the single adjust-inventory body of the connection's integration.",
      items: { type: 'object', required: ['product_id'], properties: { product_id: { type: 'string' } }, additionalProperties: true }
    }
  },
  example: { line_items: [{ product_id: 'shp_tee_001_m', adjustment_type: 'increase', quantity: 1, warehouse_id: 'wh_nyc' }] }
}

const JSON_TYPE = 'application/json; charset=utf-8'

export function registerBatchAdjust (app: FastifyInstance, sandbox: Sandbox): void {
  app.withTypeProvider<TypeBoxTypeProvider>().put('/cart/products/batch-adjust-inventory', {
    config: { action: 'adjust_inventory', write: true },
    // The schemas document the route; the body is checked line by line against the connection's variant by adjustBatch.
    validatorCompiler: () => () => true,
    schema: {
      tags: ['cart', 'Products'],
      summary: 'Batch Adjust Inventory',
      description: 'Adjusts many products at once, all or nothing: every line item is checked before any is applied, then all are applied in order in one transaction.',
      operationId: 'put_cart_batch_adjust_inventory',
      body: BatchBodyDoc,
      headers: Type.Object({ [API_KEY_HEADER]: Type.Optional(Type.String()), [ACCESS_TOKEN_HEADER]: Type.Optional(Type.String()) }),
      // The error answers are added to the document for every /cart/ operation at once, not per route.
      response: { 200: BatchResponseSchema }
    }
  }, async (request, reply) => {
    const { connection, integration } = request.caller as Caller
    if (request.body === undefined) throw new ApiError(415, { error: 'Unsupported media type: send the body as application/json.', origin: 'trackstar' })
    const validate = sandbox.adjustValidators.get(integration.slug) as (body: unknown) => null
    const { value, durable } = sandbox.inventory.writeInBatch((writes) => adjustBatch(request.body, {
      connection,
      integration,
      requestId: request.id,
      nowMs: sandbox.clock.nowMs(),
      validate,
      products: sandbox.products,
      tenants: sandbox.tenants,
      eventsWanted: sandbox.inventory.eventsWanted
    }, writes))
    await durable
    return reply.type(JSON_TYPE).send(value as never)
  })
}

// The control plane under /_sandbox: health, the integration catalogue, per-test connections, reset.
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { CartProductSchema, WarehouseSchema } from '../../schemas/product.js'
import { INTEGRATIONS } from '../../schemas/integrations.js'
import { CreateConnectionSchema, HealthSchema } from '../../schemas/control.js'
import { createOrganisation, createStore, newSecret } from '../../domain/catalogue/store-builder.js'
import { fieldError } from '../../domain/errors.js'
import type { Sandbox } from '../../domain/sandbox.js'

// A catalogue of thousands of products is a normal per-test store; the emulated API keeps Fastify's 1 MiB limit.
const CONTROL_BODY_LIMIT = 64 * 1024 * 1024

export const controlRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox, version: string }> = async (app, { sandbox, version }) => {
  const startedAt = Date.now()

  app.get('/_sandbox/health', {
    schema: { tags: ['sandbox control'], summary: 'Liveness and a few facts about this instance', response: { 200: HealthSchema } }
  }, async (_request, reply) => {
    const health: Static<typeof HealthSchema> = {
      status: 'ok',
      version,
      uptime_s: Math.round((Date.now() - startedAt) / 1000),
      time: sandbox.clock.isoNow(),
      clock_frozen: sandbox.clock.frozen,
      connections: sandbox.tenants.listConnections().length
    }
    // Sent as text: no serializer to compile before the first answer, the one a readiness probe waits for.
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(health) as never)
  })

  app.get('/_sandbox/integrations', {
    schema: { tags: ['sandbox control'], summary: 'The 17 integrations and the request variant each validates against' }
  }, async () => {
    const data = INTEGRATIONS.map((row) => ({
      slug: row.slug,
      display_name: row.displayName,
      request_schema: row.schemaName,
      adjustment_types: row.adjustmentTypes,
      warehouse_id: row.warehouseId,
      ...(row.warehouseEnum ? { warehouse_id_enum: row.warehouseEnum } : {}),
      reason: row.reason,
      ...(row.reasons ? { reasons: row.reasons } : {}),
      shop_id: row.shopId,
      future_date: row.futureDate,
      extra_keys_allowed: row.additionalProperties
    }))
    return { data, total_count: data.length }
  })

  app.post('/_sandbox/connections', {
    bodyLimit: CONTROL_BODY_LIMIT,
    schema: {
      tags: ['sandbox control'],
      summary: 'Create a fresh, isolated store (one connection) for a test',
      body: CreateConnectionSchema,
      response: {
        201: Type.Object({
          api_key: Type.String(),
          access_token: Type.String(),
          connection_id: Type.String(),
          organisation_id: Type.String(),
          integration_name: Type.String(),
          warehouses: Type.Array(Type.Ref(WarehouseSchema)),
          products: Type.Array(Type.Ref(CartProductSchema))
        }),
        422: ErrorSchema
      }
    }
  }, async (request, reply) => {
    const { api_key: apiKey, ...input } = request.body
    const now = sandbox.clock.isoNow()
    const created = sandbox.db.transaction(() => {
      let key = apiKey
      let organisationId: string
      if (key !== undefined) {
        const found = sandbox.tenants.findApiKey(key)
        if (!found) throw fieldError('json', 'api_key', 'Unknown API key: omit it to create a new organisation.')
        organisationId = found.organisationId
      } else {
        organisationId = newSecret('org')
        key = newSecret('key')
        createOrganisation(sandbox.tenants, organisationId, `Test organisation ${organisationId}`, [{ key, access: 'full' }])
      }
      if (input.id !== undefined && sandbox.tenants.findConnection(input.id)) throw fieldError('json', 'id', 'A connection with this id already exists.')
      if (input.access_token !== undefined && sandbox.tenants.findConnectionByToken(input.access_token)) throw fieldError('json', 'access_token', 'This access token is already in use.')
      return { key, organisationId, store: createStore(sandbox, organisationId, input, now) }
    })()
    const { connection, warehouses, products } = created.store
    return reply.code(201).send({
      api_key: created.key,
      access_token: connection.accessToken,
      connection_id: connection.id,
      organisation_id: created.organisationId,
      integration_name: connection.integration,
      warehouses,
      products
    })
  })

  app.post('/_sandbox/reset', {
    schema: { tags: ['sandbox control'], summary: 'Back to the loaded fixtures: every store, the ledger, the journal, the faults and the clock (named snapshots stay)' }
  }, async () => {
    sandbox.reset()
    return { status: 'reset', connections: sandbox.tenants.listConnections().length }
  })
}

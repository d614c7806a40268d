// Control plane for webhooks: register endpoints, list and remove them, test them, read and resend every delivery attempt.
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { fieldError, notFound } from '../../domain/errors.js'
import { CreateWebhookSchema, DeliveriesQuery, DeliverySchema, WebhookSchema, WebhookTestSchema } from '../../schemas/control.js'
import type { WebhookEvent } from '../../domain/webhooks.js'
import type { Sandbox } from '../../domain/sandbox.js'

const MAX_LIMIT = 1000

export const webhookRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox }> = async (app, { sandbox }) => {
  const service = sandbox.webhooks
  const tags = ['sandbox control']

  app.post('/_sandbox/webhooks', {
    schema: { tags, operationId: 'sandbox_create_webhook', summary: 'Register a webhook endpoint (kept across restarts, resets and restores until deleted)', body: CreateWebhookSchema, response: { 201: WebhookSchema, 422: ErrorSchema } }
  }, async (request, reply) => {
    const { url, events, secret } = request.body
    return reply.code(201).send(service.add({ url, events: events as WebhookEvent[] | undefined, secret }))
  })

  app.get('/_sandbox/webhooks', {
    schema: { tags, operationId: 'sandbox_list_webhooks', summary: 'The registered webhook endpoints, newest first', response: { 200: Type.Object({ data: Type.Array(WebhookSchema), total_count: Type.Integer() }) } }
  }, async () => {
    const data = service.list()
    return { data, total_count: data.length }
  })

  app.delete('/_sandbox/webhooks/:id', {
    schema: { tags, operationId: 'sandbox_delete_webhook', summary: 'Remove a webhook endpoint (pending retries to it still run)', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null({ description: 'Removed.' }), 404: ErrorSchema } }
  }, async (request, reply) => {
    if (!service.remove(request.params.id)) throw notFound(`Webhook ${request.params.id} not found.`, request.params.id)
    return reply.code(204).send(null)
  })

  app.get('/_sandbox/webhooks/deliveries', {
    schema: {
      tags,
      operationId: 'sandbox_list_webhook_deliveries', summary: 'Every delivery attempt, newest first',
      querystring: DeliveriesQuery,
      response: { 200: Type.Object({ data: Type.Array(DeliverySchema), total_count: Type.Integer() }), 422: ErrorSchema }
    }
  }, async (request) => {
    const { webhook_id: webhookId, event_id: eventId, limit: rawLimit = '100' } = request.query
    const limit = /^\d{1,4}$/.test(rawLimit) ? Number(rawLimit) : NaN
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw fieldError('query', 'limit', `Must be an integer between 1 and ${MAX_LIMIT}.`)
    const { data, total } = service.deliveries({ webhookId, eventId, limit })
    return { data, total_count: total }
  })

  app.post('/_sandbox/webhooks/deliveries/:id/resend', {
    schema: {
      tags,
      operationId: 'sandbox_resend_webhook_delivery', summary: 'Send a logged message again: a new attempt with the same svix-id and payload, freshly signed',
      params: Type.Object({ id: Type.String() }),
      response: { 200: Type.Object({ data: DeliverySchema }), 404: ErrorSchema }
    }
  }, async (request) => {
    const delivery = service.delivery(request.params.id)
    if (!delivery) throw notFound(`Delivery ${request.params.id} not found (the log keeps the newest attempts only).`, request.params.id)
    const webhook = service.get(delivery.webhook_id)
    if (!webhook) throw notFound(`Webhook ${delivery.webhook_id} of this delivery was removed.`, delivery.webhook_id)
    return { data: await service.resend(delivery, webhook) }
  })

  app.post('/_sandbox/webhooks/:id/test', {
    schema: {
      tags,
      operationId: 'sandbox_test_webhook', summary: 'Send this endpoint a signed cart-product.updated for a product as it is (previous_attributes {}), changing nothing',
      params: Type.Object({ id: Type.String() }),
      body: WebhookTestSchema,
      response: { 200: Type.Object({ data: DeliverySchema }), 404: ErrorSchema, 422: ErrorSchema }
    }
  }, async (request) => {
    const webhook = service.get(request.params.id)
    if (!webhook) throw notFound(`Webhook ${request.params.id} not found.`, request.params.id)
    const { connection_id: connectionId, product_id: productId } = request.body
    const connection = sandbox.tenants.findConnection(connectionId)
    if (!connection) throw notFound(`Connection ${connectionId} not found.`, connectionId)
    const product = sandbox.products.getJson(connection.id, productId)
    if (product === undefined) throw notFound(`Cart product ${productId} not found.`, productId)
    return { data: await service.test(webhook, connection, JSON.parse(product), request.id) }
  })
}

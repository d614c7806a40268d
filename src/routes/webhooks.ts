// Control plane for webhooks: register endpoints, list and remove them, and read every delivery attempt.
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../schemas/common.js'
import { fieldError, notFound } from '../errors.js'
import { CreateWebhookSchema, DeliveriesQuery, DeliverySchema, WebhookSchema } from '../schemas/control.js'
import { WebhookService, type WebhookEvent, type WebhookOptions } from '../services/webhooks.js'
import type { Sandbox } from '../sandbox.js'

const MAX_LIMIT = 1000

export const webhookRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox, options?: Partial<WebhookOptions> | undefined }> = async (app, { sandbox, options }) => {
  const service = new WebhookService(sandbox.clock, options)
  sandbox.inventory.onApplied(service.onApplied)
  app.addHook('onClose', async () => service.close())
  const tags = ['sandbox control']

  app.post('/_sandbox/webhooks', {
    schema: { tags, summary: 'Register a webhook endpoint for cart-product.updated', body: CreateWebhookSchema, response: { 201: WebhookSchema, 422: ErrorSchema } }
  }, async (request, reply) => {
    const { url, events, secret } = request.body
    return reply.code(201).send(service.add({ url, events: events as WebhookEvent[] | undefined, secret }))
  })

  app.get('/_sandbox/webhooks', {
    schema: { tags, summary: 'The registered webhook endpoints, newest first', response: { 200: Type.Object({ data: Type.Array(WebhookSchema), total_count: Type.Integer() }) } }
  }, async () => {
    const data = service.list()
    return { data, total_count: data.length }
  })

  app.delete('/_sandbox/webhooks/:id', {
    schema: { tags, summary: 'Remove a webhook endpoint (pending retries to it still run)', params: Type.Object({ id: Type.String() }), response: { 204: Type.Null({ description: 'Removed.' }), 404: ErrorSchema } }
  }, async (request, reply) => {
    if (!service.remove(request.params.id)) throw notFound(`Webhook ${request.params.id} not found.`, request.params.id)
    return reply.code(204).send(null)
  })

  app.get('/_sandbox/webhooks/deliveries', {
    schema: {
      tags,
      summary: 'Every delivery attempt, newest first',
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
}

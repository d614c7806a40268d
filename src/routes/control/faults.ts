// The control plane's fault injection: add, list and remove the faults the emulated API applies at admission.
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { notFound } from '../../domain/errors.js'
import { FaultInputSchema, FaultSchema, MAX_FAULTS } from '../../schemas/control.js'
import type { Sandbox } from '../../domain/sandbox.js'

export const controlFaultRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox }> = async (app, { sandbox }) => {
  app.post('/_sandbox/faults', {
    schema: {
      tags: ['sandbox control'],
      summary: 'Inject a fault on matching emulated requests',
      description: `Matched at admission, oldest fault first, one per request. Before the handling (default) nothing is touched; with action.after the request is handled (an adjustment applied and in the ledger) and then the answer is replaced, delayed or dropped. At most ${MAX_FAULTS} faults.`,
      body: FaultInputSchema,
      response: { 201: FaultSchema, 422: ErrorSchema }
    }
  }, async (request, reply) => reply.code(201).send(sandbox.faults.add(request.body)))

  app.get('/_sandbox/faults', {
    schema: {
      tags: ['sandbox control'],
      summary: 'The active faults, newest first',
      response: { 200: Type.Object({ data: Type.Array(FaultSchema), total_count: Type.Integer() }) }
    }
  }, async () => {
    const data = sandbox.faults.list()
    return { data, total_count: data.length }
  })

  app.delete('/_sandbox/faults/:id', {
    schema: {
      tags: ['sandbox control'],
      summary: 'Remove one fault',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 204: Type.Null(), 404: ErrorSchema }
    }
  }, async (request, reply) => {
    if (!sandbox.faults.remove(request.params.id)) throw notFound(`No fault with id ${request.params.id}.`, request.params.id)
    return reply.code(204).send(null)
  })

  app.delete('/_sandbox/faults', {
    schema: { tags: ['sandbox control'], summary: 'Remove every fault', response: { 204: Type.Null() } }
  }, async (_request, reply) => {
    sandbox.faults.clear()
    return reply.code(204).send(null)
  })
}

// The control plane's state and time: named snapshots (take, list, restore, delete) and the sandbox clock.
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { fieldError, notFound, validationFailed } from '../../domain/errors.js'
import { MAX_SNAPSHOTS } from '../../domain/snapshots.js'
import { ClockInputSchema, ClockSchema, SnapshotInfoSchema, SnapshotInputSchema, SnapshotParams } from '../../schemas/control.js'
import type { Sandbox } from '../../domain/sandbox.js'

export const controlStateRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox }> = async (app, { sandbox }) => {
  app.post('/_sandbox/snapshots', {
    schema: {
      tags: ['sandbox control'],
      summary: 'Take a named snapshot of the whole database (a name in use is replaced)',
      description: `Every store, key, connection, the ledger and whatever else the database holds, plus the clock setting. Not the journal, the faults or the webhooks. At most ${MAX_SNAPSHOTS}.`,
      body: SnapshotInputSchema,
      response: { 201: SnapshotInfoSchema, 422: ErrorSchema }
    }
  }, async (request, reply) => {
    const { name } = request.body
    if (sandbox.snapshots.full && !sandbox.snapshots.has(name)) throw fieldError('json', 'name', `At most ${MAX_SNAPSHOTS} snapshots: delete one first.`)
    return reply.code(201).send(sandbox.snapshots.create(name))
  })

  app.get('/_sandbox/snapshots', {
    schema: {
      tags: ['sandbox control'],
      summary: 'The named snapshots, newest first',
      response: { 200: Type.Object({ data: Type.Array(SnapshotInfoSchema), total_count: Type.Integer() }) }
    }
  }, async () => {
    const data = sandbox.snapshots.list()
    return { data, total_count: data.length }
  })

  app.post('/_sandbox/snapshots/:name/restore', {
    schema: {
      tags: ['sandbox control'],
      summary: 'Put the database and the clock setting back as they were in the snapshot',
      params: SnapshotParams,
      response: { 200: Type.Object({ status: Type.Literal('restored'), name: Type.String(), connections: Type.Integer() }), 404: ErrorSchema, 422: ErrorSchema }
    }
  }, async (request) => {
    const { name } = request.params
    if (!sandbox.restore(name)) throw notFound(`No snapshot named ${name}.`, name)
    return { status: 'restored' as const, name, connections: sandbox.tenants.listConnections().length }
  })

  app.delete('/_sandbox/snapshots/:name', {
    schema: {
      tags: ['sandbox control'],
      summary: 'Forget a snapshot',
      params: SnapshotParams,
      response: { 204: Type.Null(), 404: ErrorSchema, 422: ErrorSchema }
    }
  }, async (request, reply) => {
    if (!sandbox.snapshots.delete(request.params.name)) throw notFound(`No snapshot named ${request.params.name}.`, request.params.name)
    return reply.code(204).send(null)
  })

  const clockState = (applied?: number) => ({ now: new Date(sandbox.clock.nowMs()).toISOString(), frozen: sandbox.clock.frozen, ...(applied === undefined ? {} : { applied }) })

  app.get('/_sandbox/clock', {
    schema: { tags: ['sandbox control'], summary: 'The sandbox time, and whether it is frozen', response: { 200: ClockSchema } }
  }, async () => clockState())

  app.post('/_sandbox/clock', {
    schema: {
      tags: ['sandbox control'],
      summary: 'Freeze the sandbox clock at `now`, or move it by `advance_ms`; due scheduled adjustments are applied at once',
      description: 'Dates written by adjustments, rate-limit windows, idempotency expiry and NuOrder future_date all follow this clock.',
      body: ClockInputSchema,
      response: { 200: ClockSchema, 422: ErrorSchema }
    }
  }, async (request) => {
    const { now, advance_ms: advanceMs } = request.body
    if ((now === undefined) === (advanceMs === undefined)) throw validationFailed({ json: { now: ['Give exactly one of now or advance_ms.'] } })
    const target = now === undefined ? sandbox.clock.nowMs() + (advanceMs as number) : Date.parse(now)
    // A leap second (23:59:60) is a valid date-time that JavaScript dates cannot hold.
    if (Number.isNaN(target)) throw fieldError('json', 'now', 'Not a representable instant: use a time without a leap second.')
    sandbox.clock.freeze(target)
    return clockState(sandbox.inventory.applyDue())
  })

  app.delete('/_sandbox/clock', {
    schema: { tags: ['sandbox control'], summary: 'Back to real time', response: { 200: ClockSchema } }
  }, async () => {
    sandbox.clock.unfreeze()
    return clockState(sandbox.inventory.applyDue())
  })
}

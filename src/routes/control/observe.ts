// The control plane's evidence: the request journal (what was sent and answered) and the adjustment ledger (what changed).
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorSchema } from '../../schemas/common.js'
import { DEFAULT_LIST, JournalEntrySchema, JournalQuery, LedgerEntrySchema, LedgerQuery, MAX_LIST } from '../../schemas/control.js'
import { fieldError, notFound } from '../../domain/errors.js'
import type { AdjustmentStatus, LedgerEntry } from '../../db/repositories/adjustments.js'
import type { Sandbox } from '../../domain/sandbox.js'


function parseLimit (raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_LIST
  const limit = Number(raw)
  if (limit < 1 || limit > MAX_LIST) throw fieldError('query', 'limit', `Must be an integer between 1 and ${MAX_LIST}.`)
  return limit
}

const present = ({ seq: _seq, ...entry }: LedgerEntry) => entry

export const controlObserveRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox }> = async (app, { sandbox }) => {
  app.get('/_sandbox/requests', {
    schema: {
      tags: ['sandbox control'],
      summary: 'The request journal of the emulated API, newest first',
      description: `Bounded (SANDBOX_JOURNAL_SIZE, oldest dropped). Credentials are redacted to their last 4 characters; filter by the full access token.`,
      querystring: JournalQuery,
      response: { 200: Type.Object({ data: Type.Array(JournalEntrySchema), total_count: Type.Integer() }), 422: ErrorSchema }
    }
  }, async (request) => {
    const query = request.query
    const { data, total } = sandbox.journal.list({
      limit: parseLimit(query.limit),
      ...(query.access_token === undefined ? {} : { accessToken: query.access_token }),
      ...(query.product_id === undefined ? {} : { productId: query.product_id }),
      ...(query.status === undefined ? {} : { status: Number(query.status) }),
      ...(query.method === undefined ? {} : { method: query.method })
    })
    return { data, total_count: total }
  })

  app.get('/_sandbox/requests/:request_id', {
    schema: {
      tags: ['sandbox control'],
      summary: 'One journal entry by its x-request-id (the newest when a client reused an id)',
      params: Type.Object({ request_id: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: { 200: JournalEntrySchema, 404: ErrorSchema }
    }
  }, async (request) => {
    const entry = sandbox.journal.get(request.params.request_id)
    if (!entry) throw notFound(`No journaled request with id ${request.params.request_id}.`, request.params.request_id)
    return entry
  })

  app.get('/_sandbox/adjustments', {
    schema: {
      tags: ['sandbox control'],
      summary: 'The adjustment ledger, newest first: what each accepted adjustment changed',
      description: 'Rejected requests leave no row. A NuOrder future_date adjustment is pending until its time comes on the sandbox clock.',
      querystring: LedgerQuery,
      response: { 200: Type.Object({ data: Type.Array(LedgerEntrySchema), total_count: Type.Integer() }), 422: ErrorSchema }
    }
  }, async (request) => {
    const query = request.query
    let connectionId = query.connection_id
    if (query.access_token !== undefined) {
      const connection = sandbox.tenants.findConnectionByToken(query.access_token)
      if (!connection) throw fieldError('query', 'access_token', 'Unknown access token: no connection uses it.')
      if (connectionId !== undefined && connectionId !== connection.id) throw fieldError('query', 'connection_id', 'This access token belongs to another connection.')
      connectionId = connection.id
    }
    const { data, total } = sandbox.ledger.list({
      limit: parseLimit(query.limit),
      ...(connectionId === undefined ? {} : { connectionId }),
      ...(query.product_id === undefined ? {} : { productId: query.product_id }),
      ...(query.warehouse_id === undefined ? {} : { warehouseId: query.warehouse_id }),
      ...(query.status === undefined ? {} : { status: query.status as AdjustmentStatus }),
      ...(query.request_id === undefined ? {} : { requestId: query.request_id })
    })
    return { data: data.map(present), total_count: total }
  })
}

// The control plane's evidence records: the request journal's entries and the adjustment ledger's rows, with their types.
import { Type, type Static } from '@sinclair/typebox'
import { StringEnum } from './common.js'

const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableInteger = Type.Union([Type.Integer(), Type.Null()])

/** One request of the emulated API and its answer, as the journal keeps and answers it. */
export const JournalEntrySchema = Type.Object({
  request_id: Type.String({ description: 'The x-request-id of the answer (the client\'s own when it sent one).' }),
  time: Type.String({ description: 'When it arrived, on the sandbox clock.' }),
  method: Type.String(),
  path: Type.String({ description: 'Without the query string.' }),
  query: Type.Record(Type.String(), Type.Unknown()),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'The status the sandbox answered; null when the connection was dropped before any answer.' }),
  duration_ms: Type.Number(),
  access_token: Type.Union([Type.String(), Type.Null()], { description: 'Redacted: its last 4 characters.' }),
  product_id: NullableString,
  fault_id: Type.Union([Type.String(), Type.Null()], { description: 'The injected fault that fired on this request.' }),
  dropped: Type.Boolean({ description: 'The connection was closed without the answer reaching the client.' }),
  request: Type.Object({
    headers: Type.Record(Type.String(), Type.String(), { description: 'Credentials redacted to their last 4 characters.' }),
    body: Type.Unknown({ description: 'The parsed JSON body; null when there was none, or when it was longer than 64 KiB (then truncated is true).' }),
    truncated: Type.Optional(Type.Literal(true))
  }),
  response: Type.Object({
    body: Type.Unknown({ description: 'The JSON answer; an answer longer than 64 KiB is kept as its first 64 KiB of text, with truncated: true.' }),
    truncated: Type.Optional(Type.Literal(true))
  })
}, { title: 'SandboxJournalEntry' })

/** A ledger row as the control plane answers it; the stored row adds its sequence number (`LedgerEntry`). */
export const LedgerEntrySchema = Type.Object({
  request_id: Type.String(),
  connection_id: Type.String(),
  product_id: Type.String(),
  warehouse_id: Type.String(),
  shop_id: NullableString,
  adjustment_type: Type.String(),
  quantity: Type.Integer(),
  reason: NullableString,
  before: NullableInteger,
  after: NullableInteger,
  status: StringEnum(['applied', 'pending', 'rejected'], { description: 'rejected: a scheduled adjustment that could no longer be applied when its time came (see error).' }),
  error: NullableString,
  created_at: Type.String(),
  applies_at: Type.String(),
  applied_at: NullableString,
  source: StringEnum(['api', 'cart'], { description: 'api: an adjustment through the emulated API; cart: a merchant edit through the control plane.' })
}, { title: 'SandboxLedgerEntry' })

export type JournalEntry = Static<typeof JournalEntrySchema>
export type LedgerEntry = Static<typeof LedgerEntrySchema> & { seq: number }
export type AdjustmentStatus = LedgerEntry['status']
export type LedgerSource = LedgerEntry['source']

// The control plane's shapes: what /_sandbox routes accept and answer. The server validates with them and the
// client (trackstar-sandbox/client) derives its types and its checks before sending from the same definitions.
import { Type, type Static } from '@sinclair/typebox'
import { StringEnum } from './common.js'
import { ConnectionInputSchema, NullableString, ProductInputSchema } from './connection.js'

export const MAX_FAULTS = 100
export const MAX_DELAY_MS = 30_000
export const SNAPSHOT_NAME_PATTERN = '^[A-Za-z0-9._-]{1,64}$'
// Trackstar's cart events; the sandbox emits cart-product.created and cart-product.updated, and accepts
// subscriptions to the others so a client's real configuration can be registered as is.
export const WEBHOOK_EVENTS = ['cart-product.created', 'cart-product.updated', 'cart-warehouse.created', 'cart-warehouse.updated', 'cart-order.created', 'cart-order.updated'] as const

export const HealthSchema = Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptime_s: Type.Number(), time: Type.String(), clock_frozen: Type.Boolean(), connections: Type.Integer() })

export const CreateConnectionSchema = Type.Object({
  ...ConnectionInputSchema.properties,
  api_key: Type.Optional(Type.String({ minLength: 1, description: 'Join this existing organisation; default: a new organisation with a new key.' }))
}, { additionalProperties: false })

export const MAX_LIST = 1000
export const DEFAULT_LIST = 100

const NullableInteger = Type.Union([Type.Integer(), Type.Null()])
export const LimitParam = Type.String({ pattern: '^[0-9]{1,7}$', description: `1..${MAX_LIST}, default ${DEFAULT_LIST}` })

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

export const JournalQuery = Type.Object({
  access_token: Type.Optional(Type.String({ minLength: 1, description: 'The full access token (matched, never shown).' })),
  product_id: Type.Optional(Type.String({ minLength: 1 })),
  status: Type.Optional(Type.String({ pattern: '^[1-5][0-9]{2}$' })),
  method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,16}$' })),
  limit: Type.Optional(LimitParam)
}, { additionalProperties: false })

export const LedgerQuery = Type.Object({
  product_id: Type.Optional(Type.String({ minLength: 1 })),
  warehouse_id: Type.Optional(Type.String({ minLength: 1 })),
  access_token: Type.Optional(Type.String({ minLength: 1, description: 'Only this connection\'s adjustments.' })),
  connection_id: Type.Optional(Type.String({ minLength: 1 })),
  status: Type.Optional(StringEnum(['applied', 'pending', 'rejected'])),
  request_id: Type.Optional(Type.String({ minLength: 1 })),
  limit: Type.Optional(LimitParam)
}, { additionalProperties: false })

export const FaultMatchSchema = Type.Object({
  method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{1,16}$', description: 'HTTP method, any case.' })),
  path: Type.Optional(Type.String({ pattern: '^/', maxLength: 1000, description: 'The request path without its query; `*` matches any characters inside one segment, e.g. `/cart/products/*/adjust-inventory`.' })),
  access_token: Type.Optional(Type.String({ minLength: 1, description: 'The x-trackstar-access-token of the request.' })),
  product_id: Type.Optional(Type.String({ minLength: 1, description: 'The product_id path parameter.' }))
}, { additionalProperties: false })

export const FaultActionSchema = Type.Object({
  status: Type.Optional(Type.Integer({ minimum: 200, maximum: 599, description: 'Answer this status instead of the real one.' })),
  body: Type.Optional(Type.Unknown({ description: 'The JSON body sent with `status`; default: a Trackstar error body.' })),
  headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' }), Type.String({ maxLength: 1000 }), { description: 'Headers sent with `status` (a 429 gets `retry-after: 1` unless given).' })),
  delay_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS, description: 'Wait this long first.' })),
  drop: Type.Optional(Type.Boolean({ description: 'Close the socket without an answer.' })),
  after: Type.Optional(Type.Boolean({ description: 'Act after the real handling (the adjustment is applied, the ledger says so), not before it (nothing is touched).' }))
}, { additionalProperties: false })

export const FaultInputSchema = Type.Object({
  match: Type.Optional(FaultMatchSchema),
  action: FaultActionSchema,
  times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Fire this many times, then disappear; default: until removed.' })),
  probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Chance that a matching request fires it; default 1.' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295, description: 'Seed of the fault\'s own random sequence, for reproducible `probability`.' }))
}, { additionalProperties: false })

export const FaultSchema = Type.Object({
  id: Type.String(),
  match: FaultMatchSchema,
  action: FaultActionSchema,
  times: Type.Union([Type.Integer(), Type.Null()], { description: 'Firings left; null = unlimited.' }),
  probability: Type.Number(),
  seed: Type.Union([Type.Integer(), Type.Null()]),
  hits: Type.Integer({ description: 'How many requests it fired on.' }),
  created_at: Type.String()
})

export const SnapshotName = Type.String({ pattern: SNAPSHOT_NAME_PATTERN, description: '1..64 of A-Z a-z 0-9 . _ -' })
export const SnapshotParams = Type.Object({ name: SnapshotName })
export const SnapshotInfoSchema = Type.Object({ name: Type.String(), created_at: Type.String(), bytes: Type.Integer() })

export const SnapshotInputSchema = Type.Object({ name: SnapshotName }, { additionalProperties: false })

export const ClockInputSchema = Type.Object({
  now: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601 date-time with a time zone.' })),
  advance_ms: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 * 365 * 86_400_000, description: 'Move the clock forward from its current time and freeze it there.' }))
}, { additionalProperties: false })

export const ClockSchema = Type.Object({
  now: Type.String({ description: 'The sandbox time.' }),
  frozen: Type.Boolean(),
  applied: Type.Optional(Type.Integer({ description: 'Scheduled adjustments that became due and were applied.' }))
})

export const CreateWebhookSchema = Type.Object({
  url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048, description: 'Where events are POSTed (http or https).' }),
  events: Type.Optional(Type.Array(StringEnum([...WEBHOOK_EVENTS]), { minItems: 1, uniqueItems: true, description: 'The event types sent to this endpoint; default: all. The sandbox emits cart-product.created and cart-product.updated.' })),
  secret: Type.Optional(Type.String({ pattern: '^whsec_[A-Za-z0-9+/]{16,}={0,2}$', description: 'A Svix secret (whsec_ + base64); default: 24 random bytes.' }))
}, { additionalProperties: false })

export const WebhookSchema = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  secret: Type.String(),
  created_at: Type.String()
})

export const DeliverySchema = Type.Object({
  id: Type.String(),
  webhook_id: Type.String(),
  event_id: Type.String({ description: 'The svix-id header; the same on every attempt of one event.' }),
  event_type: Type.String(),
  request_id: Type.String({ description: 'The x-request-id of the adjustment that caused the event.' }),
  attempt: Type.Integer(),
  url: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Integer(),
  time: Type.String(),
  payload: Type.Unknown()
})

export const DeliveriesQuery = Type.Object({
  webhook_id: Type.Optional(Type.String()),
  event_id: Type.Optional(Type.String()),
  // Query values are strings (no coercion anywhere in the sandbox), so the range is checked in the handler.
  limit: Type.Optional(Type.String({ description: '1..1000, default 100' }))
}, { additionalProperties: false })

// The merchant's side: a PATCH merges the CartProduct fields it names; a product as read back is accepted as is.
export const ProductPatchSchema = Type.Object(Type.Partial(ProductInputSchema).properties, { additionalProperties: false })
export const AddProductsSchema = Type.Object({ products: Type.Array(ProductInputSchema, { minItems: 1, maxItems: 10_000 }) }, { additionalProperties: false })
export const WebhookTestSchema = Type.Object({ connection_id: Type.String({ minLength: 1 }), product_id: Type.String({ minLength: 1 }) }, { additionalProperties: false })


export type Health = Static<typeof HealthSchema>
export type CreateConnectionInput = Static<typeof CreateConnectionSchema>
export type JournalEntry = Static<typeof JournalEntrySchema>
export type LedgerRow = Static<typeof LedgerEntrySchema>
export type JournalFilter = Static<typeof JournalQuery>
export type LedgerFilter = Static<typeof LedgerQuery>
export type FaultInput = Static<typeof FaultInputSchema>
export type Fault = Static<typeof FaultSchema>
export type SnapshotInfo = Static<typeof SnapshotInfoSchema>
export type ClockInput = Static<typeof ClockInputSchema>
export type ClockState = Static<typeof ClockSchema>
export type WebhookInput = Static<typeof CreateWebhookSchema>
export type Webhook = Static<typeof WebhookSchema>
export type Delivery = Static<typeof DeliverySchema>
export type DeliveriesFilter = Static<typeof DeliveriesQuery>
export type ProductPatch = Static<typeof ProductPatchSchema>
export type AddProductsInput = Static<typeof AddProductsSchema>
export type WebhookTestInput = Static<typeof WebhookTestSchema>
export type LedgerEntry = LedgerRow & { seq: number }
export type AdjustmentStatus = LedgerEntry['status']
export type LedgerSource = LedgerEntry['source']

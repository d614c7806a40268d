// The control-plane interface shared by SandboxClient and the startSandbox() handle, so one test body runs against either.
import type { CartProduct, Warehouse } from '../schemas/product.js'
import type { ProductInput } from '../schemas/connection.js'
import type {
  ClockState, CreateConnectionInput, Delivery, DeliveriesFilter, Fault, FaultInput, Health, JournalEntry, JournalFilter,
  LedgerFilter, LedgerRow, ProductPatch, SnapshotInfo, Webhook, WebhookInput, WebhookTestInput
} from '../schemas/control.js'

/** An answer of POST /_sandbox/connections. */
export interface CreatedConnection {
  api_key: string
  access_token: string
  connection_id: string
  organisation_id: string
  integration_name: string
  warehouses: Warehouse[]
  products: CartProduct[]
}

/** One row of GET /_sandbox/integrations. */
export interface Integration {
  slug: string
  display_name: string
  request_schema: string
  adjustment_types: string[]
  warehouse_id: string
  warehouse_id_enum?: string[]
  reason: string
  reasons?: string[]
  shop_id: string
  future_date: string
  extra_keys_allowed: boolean
}

export interface DeliveryWait {
  /** Give up after this many milliseconds (default 5000) with a SandboxTimeoutError. */
  timeout?: number
  /** Poll the deliveries log this often (default 25 ms). */
  interval?: number
  /** Only deliveries to this endpoint. */
  webhookId?: string
}

/** A list filter: the route's query schema, with numbers allowed where the query holds digits (`limit`, `status`). */
export type Loose<T> = { [K in keyof T]?: T[K] | number | undefined }

export interface SandboxControl {
  readonly url: string
  health (): Promise<Health>
  integrations (): Promise<Integration[]>
  /** Back to the loaded fixtures: stores, ledger, journal, faults, clock (registered webhooks and snapshots stay). */
  reset (): Promise<void>
  /** A fresh isolated store. */
  createConnection (input: CreateConnectionInput): Promise<CreatedConnection>
  /** The merchant's side: edit a product as if in the cart (PATCH merges). */
  patchProduct (connectionId: string, productId: string, changes: ProductPatch): Promise<CartProduct>
  /** The merchant's side: add products to a connection's catalogue. */
  addProducts (connectionId: string, products: ProductInput[]): Promise<CartProduct[]>
  /** The request journal, newest first. */
  requests (filter?: Loose<JournalFilter>): Promise<JournalEntry[]>
  request (requestId: string): Promise<JournalEntry>
  /** The adjustment ledger, newest first. */
  adjustments (filter?: Loose<LedgerFilter>): Promise<LedgerRow[]>
  addFault (fault: FaultInput): Promise<Fault>
  faults (): Promise<Fault[]>
  removeFault (id: string): Promise<void>
  clearFaults (): Promise<void>
  snapshot (name: string): Promise<SnapshotInfo>
  snapshots (): Promise<SnapshotInfo[]>
  restore (name: string): Promise<void>
  deleteSnapshot (name: string): Promise<void>
  clock (): Promise<ClockState>
  /** Freezes the sandbox clock at `now` and applies what became due. */
  setClock (now: Date | string): Promise<ClockState>
  /** Moves the clock forward and freezes it there. */
  advanceClock (ms: number): Promise<ClockState>
  /** Back to real time. */
  resetClock (): Promise<ClockState>
  addWebhook (input: WebhookInput): Promise<Webhook>
  webhooks (): Promise<Webhook[]>
  removeWebhook (id: string): Promise<void>
  /** Every delivery attempt, newest first. */
  deliveries (filter?: Loose<DeliveriesFilter>): Promise<Delivery[]>
  resendDelivery (deliveryId: string): Promise<Delivery>
  testWebhook (webhookId: string, target: WebhookTestInput): Promise<Delivery>
  /** The oldest logged delivery attempt matching `predicate` that this client has not returned before; polls until `timeout`. */
  waitForDelivery (predicate?: (delivery: Delivery) => boolean, options?: DeliveryWait): Promise<Delivery>
}

// trackstar-sandbox/client: a typed client of the sandbox's control plane, for any base URL.
export { SandboxClient, type SandboxClientOptions } from './client.js'
export { SandboxClientError, SandboxInputError, SandboxTimeoutError, type TrackstarErrorBody } from './errors.js'
export type { CreatedConnection, DeliveryWait, Integration, SandboxControl } from './types.js'
export type {
  AddProductsInput, ClockInput, ClockState, CreateConnectionInput, Delivery, DeliveriesFilter, Fault, FaultInput, Health,
  JournalEntry, JournalFilter, LedgerFilter, LedgerRow, ProductPatch, SnapshotInfo, Webhook, WebhookInput, WebhookTestInput
} from '../schemas/control.js'
export type { ConnectionInput, ProductInput } from '../schemas/connection.js'
export type { CartProduct, Warehouse } from '../schemas/product.js'

// SandboxClient: the whole control plane (/_sandbox) of any running sandbox, typed by the schemas the server validates with.
import { Type, type TSchema } from '@sinclair/typebox'
import type { CartProduct } from '../schemas/product.js'
import {
  AddProductsSchema, ClockInputSchema, CreateConnectionSchema, CreateWebhookSchema, DeliveriesQuery, FaultInputSchema,
  JournalQuery, LedgerQuery, ProductPatchSchema, SnapshotInputSchema, WebhookTestSchema,
  type ClockState, type CreateConnectionInput, type Delivery, type DeliveriesFilter, type Fault, type FaultInput, type Health,
  type JournalEntry, type JournalFilter, type LedgerFilter, type LedgerRow, type ProductPatch, type SnapshotInfo,
  type Webhook, type WebhookInput, type WebhookTestInput
} from '../schemas/control.js'
import type { ProductInput } from '../schemas/connection.js'
import { check, toQuery } from './checks.js'
import { SandboxClientError, SandboxTimeoutError, type TrackstarErrorBody } from './errors.js'
import type { CreatedConnection, DeliveryWait, Integration, Loose, SandboxControl } from './types.js'

export interface SandboxClientOptions {
  /** Sent as `authorization: Bearer <adminToken>` when the sandbox runs with SANDBOX_ADMIN_TOKEN. */
  adminToken?: string | undefined
  /** A fetch implementation; default the global one. */
  fetch?: typeof fetch | undefined
}

interface Call { query?: Record<string, string>, body?: unknown }

const path = (template: TemplateStringsArray, ...parts: string[]): string =>
  template.reduce((out, text, i) => out + text + (i < parts.length ? encodeURIComponent(parts[i] as string) : ''), '')

const Id = Type.String({ minLength: 1 })

export class SandboxClient implements SandboxControl {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:3000`. */
  readonly url: string
  readonly #headers: Record<string, string>
  readonly #fetch: typeof fetch
  // Deliveries already handed out by waitForDelivery(), so consecutive waits return consecutive deliveries.
  readonly #seenDeliveries = new Set<string>()

  constructor (url: string | URL, options: SandboxClientOptions = {}) {
    this.url = String(url).replace(/\/+$/, '')
    this.#headers = options.adminToken === undefined || options.adminToken === '' ? {} : { authorization: `Bearer ${options.adminToken}` }
    this.#fetch = options.fetch ?? globalThis.fetch
  }

  async #call<T> (method: string, target: string, { query, body }: Call = {}): Promise<T> {
    const search = query === undefined ? '' : new URLSearchParams(query).toString()
    const shown = search === '' ? target : `${target}?${search}`
    const res = await this.#fetch(this.url + shown, {
      method,
      headers: body === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await res.text()
    if (res.status >= 400) {
      let parsed: TrackstarErrorBody
      try { parsed = JSON.parse(text) as TrackstarErrorBody } catch { parsed = { error: text, origin: 'trackstar' } }
      throw new SandboxClientError(method, target, res.status, parsed)
    }
    return (text === '' ? undefined : JSON.parse(text)) as T
  }

  #checked (operation: string, schema: TSchema, value: unknown): void { check(operation, schema, value) }

  health = async (): Promise<Health> => this.#call('GET', '/_sandbox/health')
  integrations = async (): Promise<Integration[]> => (await this.#call<{ data: Integration[] }>('GET', '/_sandbox/integrations')).data
  reset = async (): Promise<void> => { await this.#call('POST', '/_sandbox/reset') }

  createConnection = async (input: CreateConnectionInput): Promise<CreatedConnection> => {
    this.#checked('createConnection', CreateConnectionSchema, input)
    return this.#call('POST', '/_sandbox/connections', { body: input })
  }

  patchProduct = async (connectionId: string, productId: string, changes: ProductPatch): Promise<CartProduct> => {
    this.#checked('patchProduct', Id, connectionId)
    this.#checked('patchProduct', ProductPatchSchema, changes)
    const answer = await this.#call<{ data: CartProduct }>('PATCH', path`/_sandbox/connections/${connectionId}/products/${productId}`, { body: changes })
    return answer.data
  }

  addProducts = async (connectionId: string, products: ProductInput[]): Promise<CartProduct[]> => {
    this.#checked('addProducts', AddProductsSchema, { products })
    return (await this.#call<{ data: CartProduct[] }>('POST', path`/_sandbox/connections/${connectionId}/products`, { body: { products } })).data
  }

  requests = async (filter: Loose<JournalFilter> = {}): Promise<JournalEntry[]> => {
    const query = toQuery(filter)
    this.#checked('requests', JournalQuery, query)
    return (await this.#call<{ data: JournalEntry[] }>('GET', '/_sandbox/requests', { query })).data
  }

  request = async (requestId: string): Promise<JournalEntry> => this.#call('GET', path`/_sandbox/requests/${requestId}`)

  adjustments = async (filter: Loose<LedgerFilter> = {}): Promise<LedgerRow[]> => {
    const query = toQuery(filter)
    this.#checked('adjustments', LedgerQuery, query)
    return (await this.#call<{ data: LedgerRow[] }>('GET', '/_sandbox/adjustments', { query })).data
  }

  addFault = async (fault: FaultInput): Promise<Fault> => {
    this.#checked('addFault', FaultInputSchema, fault)
    return this.#call('POST', '/_sandbox/faults', { body: fault })
  }

  faults = async (): Promise<Fault[]> => (await this.#call<{ data: Fault[] }>('GET', '/_sandbox/faults')).data
  removeFault = async (id: string): Promise<void> => { await this.#call('DELETE', path`/_sandbox/faults/${id}`) }
  clearFaults = async (): Promise<void> => { await this.#call('DELETE', '/_sandbox/faults') }

  snapshot = async (name: string): Promise<SnapshotInfo> => {
    this.#checked('snapshot', SnapshotInputSchema, { name })
    return this.#call('POST', '/_sandbox/snapshots', { body: { name } })
  }

  snapshots = async (): Promise<SnapshotInfo[]> => (await this.#call<{ data: SnapshotInfo[] }>('GET', '/_sandbox/snapshots')).data

  restore = async (name: string): Promise<void> => {
    this.#checked('restore', SnapshotInputSchema, { name })
    await this.#call('POST', path`/_sandbox/snapshots/${name}/restore`)
  }

  deleteSnapshot = async (name: string): Promise<void> => { await this.#call('DELETE', path`/_sandbox/snapshots/${name}`) }

  clock = async (): Promise<ClockState> => this.#call('GET', '/_sandbox/clock')

  setClock = async (now: Date | string): Promise<ClockState> => {
    const body = { now: typeof now === 'string' ? now : now.toISOString() }
    this.#checked('setClock', ClockInputSchema, body)
    return this.#call('POST', '/_sandbox/clock', { body })
  }

  advanceClock = async (ms: number): Promise<ClockState> => {
    this.#checked('advanceClock', ClockInputSchema, { advance_ms: ms })
    return this.#call('POST', '/_sandbox/clock', { body: { advance_ms: ms } })
  }

  resetClock = async (): Promise<ClockState> => this.#call('DELETE', '/_sandbox/clock')

  addWebhook = async (input: WebhookInput): Promise<Webhook> => {
    this.#checked('addWebhook', CreateWebhookSchema, input)
    return this.#call('POST', '/_sandbox/webhooks', { body: input })
  }

  webhooks = async (): Promise<Webhook[]> => (await this.#call<{ data: Webhook[] }>('GET', '/_sandbox/webhooks')).data
  removeWebhook = async (id: string): Promise<void> => { await this.#call('DELETE', path`/_sandbox/webhooks/${id}`) }

  deliveries = async (filter: Loose<DeliveriesFilter> = {}): Promise<Delivery[]> => {
    const query = toQuery(filter)
    this.#checked('deliveries', DeliveriesQuery, query)
    return (await this.#call<{ data: Delivery[] }>('GET', '/_sandbox/webhooks/deliveries', { query })).data
  }

  resendDelivery = async (deliveryId: string): Promise<Delivery> => (await this.#call<{ data: Delivery }>('POST', path`/_sandbox/webhooks/deliveries/${deliveryId}/resend`)).data

  testWebhook = async (webhookId: string, target: WebhookTestInput): Promise<Delivery> => {
    this.#checked('testWebhook', WebhookTestSchema, target)
    return (await this.#call<{ data: Delivery }>('POST', path`/_sandbox/webhooks/${webhookId}/test`, { body: target })).data
  }

  waitForDelivery = async (predicate: (delivery: Delivery) => boolean = () => true, options: DeliveryWait = {}): Promise<Delivery> => {
    const { timeout = 5000, interval = 25, webhookId } = options
    const deadline = Date.now() + timeout
    for (;;) {
      // Oldest first, so consecutive waits see the deliveries in the order they were made.
      const logged = (await this.deliveries({ limit: 1000, ...(webhookId === undefined ? {} : { webhook_id: webhookId }) })).reverse()
      const found = logged.find((delivery) => !this.#seenDeliveries.has(delivery.id) && predicate(delivery))
      if (found !== undefined) {
        this.#seenDeliveries.add(found.id)
        return found
      }
      if (Date.now() >= deadline) throw new SandboxTimeoutError('matching webhook delivery', timeout)
      await new Promise((resolve) => setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))))
    }
  }
}

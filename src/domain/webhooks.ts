// Trackstar's cart-product.* webhooks: stored endpoints, Svix-style signing, delivery with retries, resend, the deliveries log.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Agent, request } from 'undici'
import type { SandboxClock } from './clock.js'
import type { WebhookEndpoint, WebhookEndpointRepository } from '../db/repositories/webhook-endpoints.js'
import type { Connection } from '../db/repositories/tenants.js'
import type { AppliedChange } from './inventory/types.js'

import { WEBHOOK_EVENTS } from '../schemas/control.js'
import { WEBHOOK_PRODUCT_FIELDS } from '../schemas/product.js'
export type WebhookEvent = typeof WEBHOOK_EVENTS[number]
export const EMITTED_EVENTS = ['cart-product.created', 'cart-product.updated'] as const

export interface WebhookOptions {
  /** Waits before the 2nd, 3rd, ... attempt; one attempt more than there are delays. */
  retryDelaysMs: number[]
  /** Per attempt: no answer (headers or body) within this → the attempt failed. */
  timeoutMs: number
  /** Attempts kept in the deliveries log (oldest dropped first). */
  logSize: number
}

// Four attempts over ~12 s: quick enough to watch in a test run, slow enough to show a backoff.
export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { retryDelaysMs: [500, 2000, 10_000], timeoutMs: 5000, logSize: 1000 }

export type Webhook = WebhookEndpoint<WebhookEvent>

export interface Delivery {
  id: string
  webhook_id: string
  /** The Svix message id (`svix-id`), the same on every attempt of one event. */
  event_id: string
  event_type: WebhookEvent
  /** The x-request-id of the adjustment that caused the event. */
  request_id: string
  attempt: number
  url: string
  /** The receiver's HTTP status, or null when there was no answer. */
  status: number | null
  /** Why the attempt failed without an answer (timeout, refused, ...), else null. */
  error: string | null
  duration_ms: number
  time: string
  payload: unknown
}

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`

/** Svix's scheme: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with the secret's base64 after `whsec_`. */
export function svixSignature (secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`
}

/** What one event is: sent once per subscribed endpoint, and again as is on a resend. */
interface Message { eventId: string, eventType: WebhookEvent, requestId: string, body: string, payload: unknown }

export class WebhookService {
  readonly #clock: SandboxClock
  readonly #options: WebhookOptions
  readonly #webhooks = new Map<string, Webhook>()
  readonly #deliveries: Delivery[] = []
  readonly #running = new Set<Promise<void>>()
  readonly #closing = new AbortController()
  readonly #endpoints: WebhookEndpointRepository
  readonly #onCountChange: (count: number) => void
  // undici is loaded with the first delivery: most test runs never subscribe, and its import is a cold-start cost.
  #client: Promise<{ agent: Agent, request: typeof request }> | undefined
  #deliverySeq = 0

  /** Endpoints are read from `endpoints` (they outlive restarts); `onCountChange` hears how many there are after each change. */
  constructor (endpoints: WebhookEndpointRepository, clock: SandboxClock, options: Partial<WebhookOptions> | undefined, onCountChange: (count: number) => void) {
    this.#clock = clock
    this.#options = { ...DEFAULT_WEBHOOK_OPTIONS, ...options }
    this.#onCountChange = onCountChange
    this.#endpoints = endpoints
    for (const webhook of endpoints.list<WebhookEvent>()) this.#webhooks.set(webhook.id, webhook)
    onCountChange(this.#webhooks.size)
  }

  add (input: { url: string, events?: WebhookEvent[] | undefined, secret?: string | undefined }): Webhook {
    const webhook: Webhook = {
      id: `ep_${randomUUID().replace(/-/g, '')}`,
      url: input.url,
      events: input.events ?? [...WEBHOOK_EVENTS],
      secret: input.secret ?? newWebhookSecret(),
      created_at: this.#clock.isoNow()
    }
    this.#endpoints.insert(webhook)
    this.#webhooks.set(webhook.id, webhook)
    this.#onCountChange(this.#webhooks.size)
    return webhook
  }

  list (): Webhook[] {
    return [...this.#webhooks.values()].reverse()
  }

  get (id: string): Webhook | undefined {
    return this.#webhooks.get(id)
  }

  remove (id: string): boolean {
    if (!this.#webhooks.delete(id)) return false
    this.#endpoints.delete(id)
    this.#onCountChange(this.#webhooks.size)
    return true
  }

  /** Attempts, newest first. */
  deliveries (filter: { webhookId?: string | undefined, eventId?: string | undefined, limit: number }): { data: Delivery[], total: number } {
    const matching = this.#deliveries.filter((d) => (filter.webhookId === undefined || d.webhook_id === filter.webhookId) &&
      (filter.eventId === undefined || d.event_id === filter.eventId)).reverse()
    return { data: matching.slice(0, filter.limit), total: matching.length }
  }

  delivery (id: string): Delivery | undefined {
    return this.#deliveries.find((d) => d.id === id)
  }

  /** The InventoryService listener: one event per changed product, to every endpoint subscribed to its type, in the background. */
  readonly onApplied = (change: AppliedChange): void => {
    // Nobody subscribed (the usual case under load): the event is not even built.
    if (this.#webhooks.size === 0) return
    const eventType = change.event ?? 'cart-product.updated'
    const targets = [...this.#webhooks.values()].filter((webhook) => webhook.events.includes(eventType))
    if (targets.length === 0) return
    const payload = eventPayload(change.connection, eventType, JSON.parse(change.productJson), change.previous)
    // The body is fixed now: a later change must not alter what this event says.
    const body = JSON.stringify(payload)
    for (const webhook of targets) {
      void this.#send(webhook, { eventId: newEventId(), eventType, requestId: change.requestId, body, payload }, 1, true)
    }
  }

  /** A signed cart-product.updated for `product` as it is, with nothing changed; answers with its first attempt. */
  async test (webhook: Webhook, connection: Connection, product: unknown, requestId: string): Promise<Delivery> {
    const payload = eventPayload(connection, 'cart-product.updated', product, {})
    return await this.#send(webhook, { eventId: newEventId(), eventType: 'cart-product.updated', requestId, body: JSON.stringify(payload), payload }, 1, true)
  }

  /** The logged message again, to its endpoint: a new attempt with the same svix-id and body, freshly signed. */
  async resend (delivery: Delivery, webhook: Webhook): Promise<Delivery> {
    const attempts = this.#deliveries.filter((d) => d.event_id === delivery.event_id && d.webhook_id === webhook.id).map((d) => d.attempt)
    const message: Message = { eventId: delivery.event_id, eventType: delivery.event_type, requestId: delivery.request_id, body: JSON.stringify(delivery.payload), payload: delivery.payload }
    return await this.#send(webhook, message, Math.max(delivery.attempt, ...attempts) + 1, false)
  }

  /** Drops pending retries and open sockets; nothing is sent after this. */
  async close (): Promise<void> {
    this.#closing.abort()
    await Promise.allSettled([...this.#running])
    if (this.#client !== undefined) await (await this.#client).agent.destroy()
  }

  async #http (): Promise<{ agent: Agent, request: typeof request }> {
    const { timeoutMs } = this.#options
    // Its own agent, so close() can drop every socket it opened.
    this.#client ??= import('undici').then(({ Agent, request }) => ({
      agent: new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connect: { timeout: timeoutMs } }),
      request
    }))
    return await this.#client
  }

  /** Sends `message` from attempt `first` on, retrying with backoff when `retry`; resolves with the first attempt. */
  #send (webhook: Webhook, message: Message, first: number, retry: boolean): Promise<Delivery> {
    const firstAttempt = this.#attempt(webhook, message, first)
    const running = (async () => {
      const signal = this.#closing.signal
      let delivery = await firstAttempt
      for (let attempt = first; retry && !succeeded(delivery) && !signal.aborted; attempt++) {
        const delay = this.#options.retryDelaysMs[attempt - first]
        if (delay === undefined) return
        // An abort (app closing) ends the wait early; the loop condition then stops the retries.
        await sleep(delay, undefined, { signal, ref: false }).catch(() => undefined)
        if (signal.aborted) return
        delivery = await this.#attempt(webhook, message, attempt + 1)
      }
    })()
    this.#running.add(running)
    void running.finally(() => this.#running.delete(running))
    return firstAttempt
  }

  async #attempt (webhook: Webhook, message: Message, attempt: number): Promise<Delivery> {
    const http = await this.#http()
    // Svix verifiers reject timestamps more than 5 minutes from their own wall clock, so this one is real time,
    // not the (possibly frozen or moved) sandbox clock.
    const timestamp = Math.floor(Date.now() / 1000)
    const started = performance.now()
    let status: number | null = null
    let error: string | null = null
    try {
      const response = await http.request(webhook.url, {
        method: 'POST',
        dispatcher: http.agent,
        signal: this.#closing.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'trackstar-sandbox-webhooks',
          'svix-id': message.eventId,
          'svix-timestamp': String(timestamp),
          'svix-signature': svixSignature(webhook.secret, message.eventId, timestamp, message.body)
        },
        body: message.body
      })
      status = response.statusCode
      await response.body.dump()
    } catch (err) {
      error = (err as Error).message
    }
    const delivery: Delivery = {
      id: `dlv_${++this.#deliverySeq}`,
      webhook_id: webhook.id,
      event_id: message.eventId,
      event_type: message.eventType,
      request_id: message.requestId,
      attempt,
      url: webhook.url,
      status,
      error,
      duration_ms: Math.round(performance.now() - started),
      time: this.#clock.isoNow(),
      payload: message.payload
    }
    this.#log(delivery)
    return delivery
  }

  #log (delivery: Delivery): void {
    this.#deliveries.push(delivery)
    if (this.#deliveries.length > this.#options.logSize) this.#deliveries.shift()
  }
}

const newEventId = (): string => `msg_${randomUUID().replace(/-/g, '')}`
const succeeded = (delivery: Delivery): boolean => delivery.status !== null && delivery.status >= 200 && delivery.status < 300

const WEBHOOK_FIELDS = new Set<string>(WEBHOOK_PRODUCT_FIELDS)

/**
 * Trackstar's CartProducts{Created,Updated}WebhookSchema: `.created` has no previous_attributes. The product and its
 * previous values carry only the fields of Trackstar's webhook product schema (a nested key counts as its field).
 */
function eventPayload (connection: Connection, eventType: WebhookEvent, data: unknown, previous: Record<string, unknown>): Record<string, unknown> {
  const product = Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([key]) => WEBHOOK_FIELDS.has(key)))
  const previousAttributes = Object.fromEntries(Object.entries(previous).filter(([key]) => WEBHOOK_FIELDS.has(key.split('.', 1)[0] as string)))
  return {
    connection_id: connection.id,
    data: product,
    event_type: eventType,
    integration_name: connection.integration,
    integration_type: 'cart',
    ...(eventType === 'cart-product.updated' ? { previous_attributes: previousAttributes } : {})
  }
}

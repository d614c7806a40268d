// Trackstar's cart-product.updated webhooks: endpoints, Svix-style signing, delivery with retries, the deliveries log.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Agent, request } from 'undici'
import type { SandboxClock } from '../clock.js'
import type { AppliedChange } from './inventory.js'

import { WEBHOOK_EVENTS } from '../schemas/control.js'
export { WEBHOOK_EVENTS }
export type WebhookEvent = typeof WEBHOOK_EVENTS[number]
export const EMITTED_EVENT = 'cart-product.updated'

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

export interface Webhook {
  id: string
  url: string
  events: WebhookEvent[]
  secret: string
  created_at: string
}

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

export class WebhookService {
  readonly #clock: SandboxClock
  readonly #options: WebhookOptions
  readonly #webhooks = new Map<string, Webhook>()
  readonly #deliveries: Delivery[] = []
  readonly #running = new Set<Promise<void>>()
  readonly #closing = new AbortController()
  // undici is loaded with the first delivery: most sessions never subscribe, and its import is a cold-start cost.
  #client: Promise<{ agent: Agent, request: typeof request }> | undefined
  #deliverySeq = 0

  constructor (clock: SandboxClock, options: Partial<WebhookOptions> | undefined = {}) {
    this.#clock = clock
    this.#options = { ...DEFAULT_WEBHOOK_OPTIONS, ...options }
  }

  add (input: { url: string, events?: WebhookEvent[] | undefined, secret?: string | undefined }): Webhook {
    const webhook: Webhook = {
      id: `ep_${randomUUID().replace(/-/g, '')}`,
      url: input.url,
      events: input.events ?? [...WEBHOOK_EVENTS],
      secret: input.secret ?? newWebhookSecret(),
      created_at: this.#clock.isoNow()
    }
    this.#webhooks.set(webhook.id, webhook)
    return webhook
  }

  list (): Webhook[] {
    return [...this.#webhooks.values()].reverse()
  }

  remove (id: string): boolean {
    return this.#webhooks.delete(id)
  }

  /** Attempts, newest first. */
  deliveries (filter: { webhookId?: string | undefined, eventId?: string | undefined, limit: number }): { data: Delivery[], total: number } {
    const matching = this.#deliveries.filter((d) => (filter.webhookId === undefined || d.webhook_id === filter.webhookId) &&
      (filter.eventId === undefined || d.event_id === filter.eventId)).reverse()
    return { data: matching.slice(0, filter.limit), total: matching.length }
  }

  /** The InventoryService listener: one event per applied adjustment, sent in the background. */
  readonly onApplied = (change: AppliedChange): void => {
    // Nobody subscribed (the usual case under load): the event is not even built.
    if (this.#webhooks.size === 0) return
    const payload = {
      connection_id: change.connection.id,
      data: JSON.parse(change.productJson) as unknown,
      event_type: EMITTED_EVENT,
      integration_name: change.connection.integration,
      integration_type: 'cart',
      previous_attributes: change.previous
    }
    // The body is fixed now: a later adjustment must not change what this event says.
    const body = JSON.stringify(payload)
    for (const webhook of this.#webhooks.values()) {
      if (!webhook.events.includes(EMITTED_EVENT)) continue
      const eventId = `msg_${randomUUID().replace(/-/g, '')}`
      const running = this.#deliver(webhook, eventId, change.requestId, body, payload)
      this.#running.add(running)
      void running.finally(() => this.#running.delete(running))
    }
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

  async #deliver (webhook: Webhook, eventId: string, requestId: string, body: string, payload: unknown): Promise<void> {
    const signal = this.#closing.signal
    for (let attempt = 1; !signal.aborted; attempt++) {
      const ok = await this.#attempt(webhook, eventId, requestId, body, payload, attempt)
      const delay = this.#options.retryDelaysMs[attempt - 1]
      if (ok || delay === undefined) return
      // An abort (app closing) ends the wait early; the loop condition then stops the retries.
      await sleep(delay, undefined, { signal, ref: false }).catch(() => undefined)
    }
  }

  async #attempt (webhook: Webhook, eventId: string, requestId: string, body: string, payload: unknown, attempt: number): Promise<boolean> {
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
          'svix-id': eventId,
          'svix-timestamp': String(timestamp),
          'svix-signature': svixSignature(webhook.secret, eventId, timestamp, body)
        },
        body
      })
      status = response.statusCode
      await response.body.dump()
    } catch (err) {
      error = (err as Error).message
    }
    this.#log({
      id: `dlv_${++this.#deliverySeq}`,
      webhook_id: webhook.id,
      event_id: eventId,
      event_type: EMITTED_EVENT,
      request_id: requestId,
      attempt,
      url: webhook.url,
      status,
      error,
      duration_ms: Math.round(performance.now() - started),
      time: this.#clock.isoNow(),
      payload
    })
    return status !== null && status >= 200 && status < 300
  }

  #log (delivery: Delivery): void {
    this.#deliveries.push(delivery)
    if (this.#deliveries.length > this.#options.logSize) this.#deliveries.shift()
  }
}

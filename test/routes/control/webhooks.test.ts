// Webhooks end to end: a real receiver on port 0, Svix signatures checked with the svix library, retries, the log.
import t from 'tap'
import { json } from '../../json.js'
import { asWebhookProduct } from '../../webhook-schemas.js'
import { Webhook } from 'svix'
import type { FastifyInstance } from 'fastify'
import { build, headersFor } from '../../helper.js'
import { eventually, startReceiver } from '../../webhook-receiver.js'
import type { WebhookOptions } from '../../../src/domain/webhooks.js'
import { buildApp } from '../../../src/app.js'

const BODY = { quantity: 4, adjustment_type: 'decrease', warehouse_id: 'wh_nyc', reason: 'damaged' }

/** A listening app whose webhook retries wait milliseconds, not seconds. */
async function start (t: Parameters<typeof build>[0], webhooks: Partial<WebhookOptions> = {}) {
  const app = await buildApp({ dbPath: ':memory:', rateLimit: false }, { logger: false, webhooks: { retryDelaysMs: [5, 10, 20], ...webhooks } })
  t.teardown(() => app.close())
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url }
}

const register = async (url: string, body: unknown) => fetch(`${url}/_sandbox/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const adjust = async (url: string, body: unknown = BODY, headers: Record<string, string> = {}) => fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, {
  method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json', ...headers }, body: JSON.stringify(body)
})
const deliveries = async (url: string, query = '') => json(await fetch(`${url}/_sandbox/webhooks/deliveries${query}`))

t.test('an applied adjustment POSTs cart-product.updated, signed so the svix library verifies it', async (t) => {
  const { url } = await start(t)
  const receiver = await startReceiver(t)
  const created = await register(url, { url: receiver.url })
  t.equal(created.status, 201)
  const webhook = await json(created)
  t.match(webhook, { id: /^ep_/, url: receiver.url, secret: /^whsec_[A-Za-z0-9+/]{32}$/ })
  t.same(webhook.events, ['cart-product.created', 'cart-product.updated', 'cart-warehouse.created', 'cart-warehouse.updated', 'cart-order.created', 'cart-order.updated'])

  const before = (await json(await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') }))).data
  const res = await adjust(url, BODY, { 'x-request-id': 'adjust-with-hook' })
  t.equal(res.status, 200)
  const after = (await json(res)).data
  // The variant's event and its parent's (whose sums moved), in either order.
  const hits = await receiver.next(2)
  const hit = hits.find((h) => JSON.parse(h.body).data.id === 'shp_tee_001_m')
  t.ok(hit)
  t.same(hits.map((h) => JSON.parse(h.body).data.id).sort(), ['shp_tee_001', 'shp_tee_001_m'])
  const { headers, body } = hit as { headers: Record<string, string>, body: string }
  t.equal(headers['content-type'], 'application/json')
  t.match(headers['svix-id'], /^msg_/)
  t.match(headers['svix-signature'], /^v1,/)
  const payload = new Webhook(webhook.secret).verify(body, headers)
  t.same(payload, {
    connection_id: 'conn_acme_shopify',
    data: asWebhookProduct(after),
    event_type: 'cart-product.updated',
    integration_name: 'shopify',
    integration_type: 'cart',
    previous_attributes: {
      inventory: before.inventory,
      'inventory_by_warehouse_id.wh_nyc': before.inventory_by_warehouse_id.wh_nyc,
      updated_date: before.updated_date
    }
  })
  t.throws(() => new Webhook('whsec_' + Buffer.alloc(24, 1).toString('base64')).verify(body, headers), 'another secret does not verify')

  const log = await eventually(async () => { const l = await deliveries(url, `?event_id=${headers['svix-id']}`); return l.total_count === 1 ? l : undefined })
  t.match(log.data[0], { webhook_id: webhook.id, event_id: headers['svix-id'], event_type: 'cart-product.updated', request_id: 'adjust-with-hook', attempt: 1, status: 200, error: null, url: receiver.url })
  t.same(log.data[0].payload, payload)
})

t.test('a 500 is retried with the same svix-id; every attempt is logged; a given secret is used', async (t) => {
  const { url } = await start(t)
  const receiver = await startReceiver(t, [500, 503])
  const secret = 'whsec_' + Buffer.from('a test secret of 24 bytes').toString('base64')
  const webhook = await json(await register(url, { url: receiver.url, events: ['cart-product.updated'], secret }))
  t.equal(webhook.secret, secret)
  // A test event is one message, so every attempt the receiver sees belongs to it.
  const res = await fetch(`${url}/_sandbox/webhooks/${webhook.id}/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connection_id: 'conn_acme_shopify', product_id: 'shp_tee_001_m' }) })
  t.equal(res.status, 200)
  t.match((await json(res)).data, { attempt: 1, status: 500, webhook_id: webhook.id })
  const hits = await receiver.next(3)
  t.equal(new Set(hits.map((h) => h.headers['svix-id'])).size, 1, 'one event, three attempts')
  for (const hit of hits) t.ok(new Webhook(secret).verify(hit.body, hit.headers as Record<string, string>))
  const log = await eventually(async () => { const l = await deliveries(url, `?webhook_id=${webhook.id}`); return l.total_count === 3 ? l : undefined })
  t.same(log.data.map((d: { attempt: number, status: number }) => [d.attempt, d.status]), [[3, 200], [2, 503], [1, 500]], 'newest first')
  t.ok(log.data.every((d: { request_id: string }) => d.request_id === res.headers.get('x-request-id')))
  const limited = await deliveries(url, `?event_id=${hits[0]?.headers['svix-id'] as string}&limit=1`)
  t.equal(limited.total_count, 3)
  t.equal(limited.data.length, 1)
  t.equal((await deliveries(url, '?webhook_id=ep_other')).total_count, 0)
})

t.test('no answer within the timeout, or no server at all, counts as a failed attempt; attempts stop after the last delay', async (t) => {
  const { url } = await start(t, { timeoutMs: 100, retryDelaysMs: [5, 5] })
  const hung = await startReceiver(t, [0])
  const first = await json(await register(url, { url: hung.url }))
  const second = await json(await register(url, { url: 'http://127.0.0.1:1/nothing-listens-here' }))
  for (const webhook of [first, second]) {
    await fetch(`${url}/_sandbox/webhooks/${webhook.id}/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connection_id: 'conn_acme_shopify', product_id: 'shp_tee_001_m' }) })
  }
  const log = await eventually(async () => { const l = await deliveries(url); return l.total_count === 5 ? l : undefined })
  const byUrl = (u: string) => log.data.filter((d: { url: string }) => d.url === u).map((d: { attempt: number, status: number | null, error: string | null }) => [d.attempt, d.status, d.error === null])
  t.same(byUrl(hung.url), [[2, 200, true], [1, null, false]], 'timed out, then answered')
  t.same(byUrl('http://127.0.0.1:1/nothing-listens-here'), [[3, null, false], [2, null, false], [1, null, false]], 'three attempts, then no more')
})

t.test('events filter, list, delete, and 422s for a bad registration', async (t) => {
  const { url } = await start(t, { logSize: 1 })
  const receiver = await startReceiver(t)
  const other = await json(await register(url, { url: receiver.url, events: ['cart-order.created'] }))
  const wanted = await json(await register(url, { url: receiver.url }))
  const list = await json(await fetch(`${url}/_sandbox/webhooks`))
  t.same(list.data.map((w: { id: string }) => w.id), [wanted.id, other.id])
  t.equal(list.total_count, 2)

  await adjust(url)
  await adjust(url)
  const hits = await receiver.next(4)
  t.equal(hits.length, 4, 'only the cart-product.updated subscriber got them (a variant and its parent, twice)')
  const ids = hits.map((h) => h.headers['svix-id'])
  const log = await eventually(async () => { const l = await deliveries(url); return l.total_count === 1 && ids.includes(l.data[0]?.event_id) ? l : undefined })
  t.equal(log.total_count, 1, 'the log keeps logSize attempts')
  t.equal((await deliveries(url, `?webhook_id=${other.id}`)).total_count, 0)

  t.equal((await fetch(`${url}/_sandbox/webhooks/${wanted.id}`, { method: 'DELETE' })).status, 204)
  const gone = await fetch(`${url}/_sandbox/webhooks/${wanted.id}`, { method: 'DELETE' })
  t.equal(gone.status, 404)
  t.same(await json(gone), { error: `Webhook ${wanted.id} not found.`, origin: 'trackstar', id: wanted.id })
  t.same((await json(await fetch(`${url}/_sandbox/webhooks`))).data.map((w: { id: string }) => w.id), [other.id])

  for (const bad of [{}, { url: 'ftp://example.com/x' }, { url: 'not a url' }, { url: receiver.url, events: ['order.created'] }, { url: receiver.url, events: [] }, { url: receiver.url, secret: 'plain' }, { url: receiver.url, extra: 1 }]) {
    const res = await register(url, bad)
    t.equal(res.status, 422, JSON.stringify(bad))
    t.match(await json(res), { origin: 'trackstar', detail: { json: {} } })
  }
  t.equal((await fetch(`${url}/_sandbox/webhooks/deliveries?limit=0`)).status, 422)
  t.equal((await fetch(`${url}/_sandbox/webhooks/deliveries?limit=ten`)).status, 422)
})

t.test('closing the app with retries pending drops them cleanly', async (t) => {
  const app: FastifyInstance = await buildApp({ dbPath: ':memory:', rateLimit: false }, { logger: false, webhooks: { retryDelaysMs: [60_000] } })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const receiver = await startReceiver(t, [500, 500])
  await register(url, { url: receiver.url })
  await adjust(url)
  await receiver.next(2)
  await eventually(async () => (await deliveries(url)).total_count === 2 ? true : undefined)
  await app.close()
  t.equal(receiver.received.length, 2, 'the retries a minute away were never sent')
})

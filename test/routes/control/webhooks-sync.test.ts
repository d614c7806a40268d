// Webhooks that tell everything, over real HTTP: merchant edits, created/updated subscriptions, parents, batches, resend, test,
// stored endpoints, and every payload checked against Trackstar's webhook schemas.
import t from 'tap'
import { join } from 'node:path'
import { Webhook } from 'svix'
import { json } from '../../json.js'
import { headersFor, tempDir } from '../../helper.js'
import { eventually, startReceiver, type Received } from '../../webhook-receiver.js'
import { asWebhookProduct, webhookPayloadErrors } from '../../webhook-schemas.js'
import { buildApp } from '../../../src/app.js'

async function start (t: Parameters<typeof tempDir>[0], dbPath = ':memory:') {
  const app = await buildApp({ dbPath, rateLimit: false }, { logger: false, webhooks: { retryDelaysMs: [5, 10] } })
  t.teardown(() => app.close())
  return { app, url: await app.listen({ port: 0, host: '127.0.0.1' }) }
}
const send = async (url: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) })
  return { status: res.status, body: res.status === 204 ? null : await json(res) }
}
const payloads = (hits: Received[]) => hits.map((hit) => JSON.parse(hit.body) as { event_type: string, data: { id: string }, previous_attributes?: Record<string, unknown> })
const byProduct = (hits: Received[]) => Object.fromEntries(payloads(hits).map((p) => [p.data.id, p]))

t.test('merchant edits reach a receiver: the product and its parent, with the values from before', async (t) => {
  const { url } = await start(t)
  const updated = await startReceiver(t)
  const created = await startReceiver(t)
  const updatedHook = (await send(url, 'POST', '/_sandbox/webhooks', { url: updated.url, events: ['cart-product.updated'] })).body
  const createdHook = (await send(url, 'POST', '/_sandbox/webhooks', { url: created.url, events: ['cart-product.created'] })).body
  await send(url, 'POST', '/_sandbox/clock', { now: '2032-01-01T00:00:00Z' })
  const product = (await json(await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') }))).data
  const parent = (await json(await fetch(`${url}/cart/products/shp_tee_001`, { headers: headersFor('shopify') }))).data

  t.equal((await send(url, 'PATCH', '/_sandbox/connections/conn_acme_shopify/products/shp_tee_001_m', { name: 'Renamed', inventory_by_warehouse_id: { wh_reno: 5 }, additional_fields: { colour: 'navy' } })).status, 200)
  const events = byProduct(await updated.next(2))
  t.same(events.shp_tee_001_m?.previous_attributes, {
    name: product.name,
    'additional_fields.colour': null,
    inventory: product.inventory,
    'inventory_by_warehouse_id.wh_reno': 0,
    updated_date: product.updated_date
  })
  t.same(events.shp_tee_001?.previous_attributes, {
    updated_date: parent.updated_date,
    inventory: parent.inventory,
    'inventory_by_warehouse_id.wh_reno': parent.inventory_by_warehouse_id.wh_reno
  })
  t.equal(events.shp_tee_001_m?.data.id, 'shp_tee_001_m')
  for (const hit of updated.received) t.ok(new Webhook(updatedHook.secret).verify(hit.body, hit.headers as Record<string, string>))

  t.equal((await send(url, 'POST', '/_sandbox/connections/conn_acme_shopify/products', { products: [{ id: 'shp_tee_001_xs', name: 'Tee / XS', parent_product_id: 'shp_tee_001', inventory_by_warehouse_id: { wh_nyc: 2 } }] })).status, 201)
  const [createdHit] = await created.next(1)
  t.match(JSON.parse(createdHit?.body as string), { event_type: 'cart-product.created', connection_id: 'conn_acme_shopify', integration_name: 'shopify', integration_type: 'cart', data: { id: 'shp_tee_001_xs', inventory: 2 } })
  t.notOk('previous_attributes' in JSON.parse(createdHit?.body as string))
  t.ok(new Webhook(createdHook.secret).verify(createdHit?.body as string, createdHit?.headers as Record<string, string>))
  const parentEvent = payloads(await updated.next(3))[2]
  t.match(parentEvent, { event_type: 'cart-product.updated', data: { id: 'shp_tee_001' }, previous_attributes: { 'inventory_by_warehouse_id.wh_nyc': parent.inventory_by_warehouse_id.wh_nyc } })

  await fetch(`${url}/cart/products/shp_tee_001_s/adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' }, body: JSON.stringify({ adjustment_type: 'increase', quantity: 1, warehouse_id: 'wh_nyc', reason: 'received' }) })
  await updated.next(5)
  t.equal(created.received.length, 1, 'the created subscriber gets no updates')
  t.same(payloads(updated.received).filter((p) => p.event_type !== 'cart-product.updated'), [], 'the updated subscriber gets no creations')
  for (const payload of [...payloads(updated.received), ...payloads(created.received)]) t.same(webhookPayloadErrors(payload), [], `${payload.event_type} ${payload.data.id} is valid`)
})

t.test('a batch sends one event per changed product, with its values from before the batch', async (t) => {
  const { url } = await start(t)
  const receiver = await startReceiver(t)
  await send(url, 'POST', '/_sandbox/webhooks', { url: receiver.url })
  const before = (await json(await fetch(`${url}/cart/products?ids[in]=shp_tee_001,shp_tee_001_l`, { headers: headersFor('shopify') }))).data
  const line = (quantity: number, type = 'increase') => ({ product_id: 'shp_tee_001_l', adjustment_type: type, quantity, warehouse_id: 'wh_nyc', reason: 'received' })
  const res = await fetch(`${url}/cart/products/batch-adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' }, body: JSON.stringify({ line_items: [line(5), line(1, 'decrease'), line(3)] }) })
  t.equal(res.status, 200)
  const events = byProduct(await receiver.next(2))
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(receiver.received.length, 2, 'three lines on one variant: two events (the variant and its parent)')
  t.same(events.shp_tee_001_l?.previous_attributes?.['inventory_by_warehouse_id.wh_nyc'], before[1].inventory_by_warehouse_id.wh_nyc)
  t.same(events.shp_tee_001?.previous_attributes?.inventory, before[0].inventory)
  t.equal((events.shp_tee_001_l?.data as unknown as { inventory_by_warehouse_id: Record<string, number> }).inventory_by_warehouse_id.wh_nyc, before[1].inventory_by_warehouse_id.wh_nyc + 7)
  for (const payload of payloads(receiver.received)) t.same(webhookPayloadErrors(payload), [])
})

t.test('resend: a new attempt with the same svix-id and payload, freshly signed; test events change nothing', async (t) => {
  const { url } = await start(t)
  const receiver = await startReceiver(t, [500])
  const hook = (await send(url, 'POST', '/_sandbox/webhooks', { url: receiver.url, events: ['cart-product.updated'] })).body
  const before = (await json(await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') }))).data

  const tested = await send(url, 'POST', `/_sandbox/webhooks/${hook.id as string}/test`, { connection_id: 'conn_acme_shopify', product_id: 'shp_tee_001_m' })
  t.equal(tested.status, 200)
  t.match(tested.body.data, { webhook_id: hook.id, attempt: 1, status: 500, event_type: 'cart-product.updated' })
  const [first, retry] = await receiver.next(2)
  t.same(JSON.parse(first?.body as string), { connection_id: 'conn_acme_shopify', data: asWebhookProduct(before), event_type: 'cart-product.updated', integration_name: 'shopify', integration_type: 'cart', previous_attributes: {} })
  t.same(webhookPayloadErrors(JSON.parse(first?.body as string)), [])
  t.equal(retry?.headers['svix-id'], first?.headers['svix-id'])
  t.same((await json(await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') }))).data, before, 'the test changed nothing')
  t.equal((await json(await fetch(`${url}/_sandbox/adjustments?product_id=shp_tee_001_m`))).total_count, 0)

  const log = await eventually(async () => { const l = (await send(url, 'GET', '/_sandbox/webhooks/deliveries')).body; return l.total_count === 2 ? l : undefined })
  await new Promise((resolve) => setTimeout(resolve, 1100))
  const resent = await send(url, 'POST', `/_sandbox/webhooks/deliveries/${log.data[1].id as string}/resend`)
  t.equal(resent.status, 200)
  t.match(resent.body.data, { attempt: 3, status: 200, event_id: first?.headers['svix-id'] })
  const third = (await receiver.next(3))[2] as Received
  t.equal(third.headers['svix-id'], first?.headers['svix-id'])
  t.equal(third.body, first?.body, 'the same payload, byte for byte')
  t.not(third.headers['svix-timestamp'], first?.headers['svix-timestamp'], 'signed again, now')
  t.ok(new Webhook(hook.secret).verify(third.body, third.headers as Record<string, string>))
  const ids = (await send(url, 'GET', '/_sandbox/webhooks/deliveries')).body.data.map((d: { id: string }) => d.id)
  t.equal(new Set(ids).size, 3, 'each attempt is an entry with its own id')

  t.same((await send(url, 'POST', '/_sandbox/webhooks/deliveries/dlv_nope/resend')).body, { error: 'Delivery dlv_nope not found (the log keeps the newest attempts only).', origin: 'trackstar', id: 'dlv_nope' })
  const NOT_FOUND: Array<[string, unknown, string]> = [
    ['ep_nope', { connection_id: 'conn_acme_shopify', product_id: 'shp_tee_001_m' }, 'ep_nope'],
    [hook.id, { connection_id: 'conn_nope', product_id: 'shp_tee_001_m' }, 'conn_nope'],
    [hook.id, { connection_id: 'conn_acme_shopify', product_id: 'shp_nope' }, 'shp_nope']
  ]
  for (const [id, body, missing] of NOT_FOUND) t.same((await send(url, 'POST', `/_sandbox/webhooks/${id}/test`, body)).body.id, missing)
  t.equal((await send(url, 'POST', `/_sandbox/webhooks/${hook.id as string}/test`, { connection_id: 'conn_acme_shopify' })).status, 422)
  t.equal((await send(url, 'DELETE', `/_sandbox/webhooks/${hook.id as string}`)).status, 204)
  t.match((await send(url, 'POST', `/_sandbox/webhooks/deliveries/${log.data[1].id as string}/resend`)).body, { id: hook.id }, 'the endpoint is gone')

  const collection = await fetch(`${url}/_sandbox/webhooks/deliveries`, { method: 'DELETE' })
  t.equal(collection.status, 405)
  t.equal(collection.headers.get('allow'), 'GET, HEAD')
})

t.test('endpoints are stored: they survive a restart on a file database, a reset and a restore, until deleted', async (t) => {
  const dbPath = join(tempDir(t), 'sandbox.db')
  const first = await start(t, dbPath)
  const kept = (await send(first.url, 'POST', '/_sandbox/webhooks', { url: 'http://127.0.0.1:9/kept', events: ['cart-product.created'] })).body
  const removed = (await send(first.url, 'POST', '/_sandbox/webhooks', { url: 'http://127.0.0.1:9/removed' })).body
  t.equal((await send(first.url, 'POST', '/_sandbox/snapshots', { name: 'with-both' })).status, 201)
  t.equal((await send(first.url, 'DELETE', `/_sandbox/webhooks/${removed.id as string}`)).status, 204)
  await first.app.close()

  const second = await start(t, dbPath)
  t.same((await send(second.url, 'GET', '/_sandbox/webhooks')).body, { data: [kept], total_count: 1 }, 'read back after a restart, secret and events included')
  await send(second.url, 'POST', '/_sandbox/reset')
  t.same((await send(second.url, 'GET', '/_sandbox/webhooks')).body.data, [kept], 'a reset keeps them')
  await send(second.url, 'POST', '/_sandbox/snapshots', { name: 'before-add' })
  const added = (await send(second.url, 'POST', '/_sandbox/webhooks', { url: 'http://127.0.0.1:9/added' })).body
  t.equal((await send(second.url, 'POST', '/_sandbox/snapshots/before-add/restore')).status, 200)
  t.same((await send(second.url, 'GET', '/_sandbox/webhooks')).body.data.map((w: { id: string }) => w.id), [added.id, kept.id], 'a restore keeps them')
  await send(second.url, 'DELETE', `/_sandbox/webhooks/${kept.id as string}`)
  await second.app.close()

  const third = await start(t, dbPath)
  t.same((await send(third.url, 'GET', '/_sandbox/webhooks')).body.data.map((w: { id: string }) => w.id), [added.id], 'deleted stays deleted')
})

t.test("a variant's first stock in a warehouse its parent has no key for: the parent held 0 there", async (t) => {
  const { url } = await start(t)
  const receiver = await startReceiver(t)
  await send(url, 'POST', '/_sandbox/webhooks', { url: receiver.url })
  const created = (await send(url, 'POST', '/_sandbox/connections', { integration: 'shopify', products: [{ id: 'mug', name: 'Mug' }, { id: 'mug_red', parent_product_id: 'mug', inventory_by_warehouse_id: { wh_main: 2 } }] })).body
  const res = await fetch(`${url}/cart/products/mug_red/adjust-inventory`, { method: 'PUT', headers: { 'x-trackstar-api-key': created.api_key, 'x-trackstar-access-token': created.access_token, 'content-type': 'application/json' }, body: JSON.stringify({ adjustment_type: 'increase', quantity: 3, warehouse_id: 'wh_west', reason: 'received' }) })
  t.equal(res.status, 200)
  const events = byProduct(await receiver.next(2))
  t.match(events.mug?.previous_attributes, { inventory: 2, 'inventory_by_warehouse_id.wh_west': 0 })
  t.match(events.mug_red?.previous_attributes, { inventory: 2, 'inventory_by_warehouse_id.wh_west': 0 })
  t.same(events.mug?.data, asWebhookProduct((await json(await fetch(`${url}/cart/products/mug`, { headers: { 'x-trackstar-api-key': created.api_key, 'x-trackstar-access-token': created.access_token } }))).data))
})

t.test('an endpoint subscribed to other events gets nothing', async (t) => {
  const { url } = await start(t)
  const receiver = await startReceiver(t)
  await send(url, 'POST', '/_sandbox/webhooks', { url: receiver.url, events: ['cart-order.created'] })
  const res = await fetch(`${url}/cart/products/shp_tee_001_s/adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' }, body: JSON.stringify({ adjustment_type: 'increase', quantity: 1, warehouse_id: 'wh_nyc', reason: 'received' }) })
  t.equal(res.status, 200)
  // A batch whose only line is in the future changes nothing yet.
  const future = await fetch(`${url}/cart/products/batch-adjust-inventory`, { method: 'PUT', headers: { ...headersFor('nuorder'), 'content-type': 'application/json' }, body: JSON.stringify({ line_items: [{ product_id: 'nuo_jkt_001_s', adjustment_type: 'increase', quantity: 1, warehouse_id: 'wh_ontario', future_date: '2099-01-01T00:00:00Z' }] }) })
  t.equal(future.status, 200)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(receiver.received.length, 0)
  t.equal((await send(url, 'GET', '/_sandbox/webhooks/deliveries')).body.total_count, 0)
})

t.test('the payload check refuses what Trackstar\'s schemas refuse', async (t) => {
  const { url } = await start(t)
  const data = asWebhookProduct((await json(await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') }))).data)
  const valid = { connection_id: 'c', data, event_type: 'cart-product.updated', integration_name: 'shopify', integration_type: 'cart', previous_attributes: { inventory: 1, 'inventory_by_warehouse_id.wh_nyc': 2 } }
  t.same(webhookPayloadErrors(valid), [])
  const INVALID: Array<[string, Record<string, unknown>]> = [
    ['an extra envelope key', { ...valid, extra: 1 }],
    ['no previous_attributes on an update', { ...valid, previous_attributes: undefined }],
    ['previous_attributes on a creation', { ...valid, event_type: 'cart-product.created' }],
    ['a wrongly typed previous value', { ...valid, previous_attributes: { inventory: 'ten' } }],
    ['a wrongly typed nested previous value', { ...valid, previous_attributes: { 'inventory_by_warehouse_id.wh_nyc': 'x' } }],
    ['a previous key that is no product field', { ...valid, previous_attributes: { colour: 'red' } }],
    ['a product field Trackstar\'s webhook product does not have', { ...valid, data: { ...data, gtin: '0812' } }],
    ['a wrongly typed product field', { ...valid, data: { ...data, name: 5 } }],
    ['an unknown event', { ...valid, event_type: 'cart-product.deleted' }]
  ]
  for (const [what, payload] of INVALID) t.not(webhookPayloadErrors(JSON.parse(JSON.stringify(payload))).length, 0, what)
})

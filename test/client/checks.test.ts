// Bad input to the client fails with a SandboxInputError naming the field, and no request is sent.
import t from 'tap'
import { Type } from '@sinclair/typebox'
import { SandboxClient, SandboxInputError, SandboxTimeoutError, type FaultInput } from '../../src/client/index.js'
import { check } from '../../src/client/checks.js'
import { Nullable } from '../../src/schemas/common.js'

function offlineClient (): { client: SandboxClient, sent: string[] } {
  const sent: string[] = []
  const client = new SandboxClient('http://127.0.0.1:9', {
    fetch: async (input) => {
      sent.push(String(input))
      return new Response(JSON.stringify({ data: [], total_count: 0 }), { status: 200 })
    }
  })
  return { client, sent }
}

t.test('each kind of bad input names its field before anything is sent', async (t) => {
  const { client, sent } = offlineClient()
  const cases: Array<[string, () => Promise<unknown>, string]> = [
    ['unknown journal filter', async () => client.requests({ produkt_id: 'x' } as never), 'produkt_id'],
    ['journal status not a status', async () => client.requests({ status: 'teapot' }), 'status'],
    ['ledger filter of the wrong kind', async () => client.adjustments({ status: 'done' as 'applied' }), 'status'],
    ['unknown fault match key', async () => client.addFault({ match: { product: 'x' }, action: {} } as never), 'match.product'],
    ['fault status out of range', async () => client.addFault({ action: { status: 99 } }), 'action.status'],
    ['fault without action', async () => client.addFault({} as FaultInput), 'action'],
    ['fault probability above 1', async () => client.addFault({ action: { drop: true }, probability: 2 }), 'probability'],
    ['snapshot name with a space', async () => client.snapshot('my snapshot'), 'name'],
    ['restore of an impossible name', async () => client.restore(''), 'name'],
    ['clock not a date', async () => client.setClock('yesterday'), 'now'],
    ['clock moved backwards', async () => client.advanceClock(-1), 'advance_ms'],
    ['webhook url not http', async () => client.addWebhook({ url: 'ftp://example.com/hook' }), 'url'],
    ['webhook event unknown', async () => client.addWebhook({ url: 'http://127.0.0.1/h', events: ['order.made' as 'cart-product.updated'] }), 'events.0'],
    ['unknown deliveries filter', async () => client.deliveries({ webhook: 'x' } as never), 'webhook'],
    ['connection integration unknown', async () => client.createConnection({ integration: 'shopifi' as 'shopify' }), 'integration'],
    ['connection product without id', async () => client.createConnection({ integration: 'shopify', products: [{} as { id: string }] }), 'products.0.id'],
    ['patch of an unknown product field', async () => client.patchProduct('conn', 'prod', { colour: 'red' } as never), 'colour'],
    ['added product with a bad stock map', async () => client.addProducts('conn', [{ id: 'p', inventory_by_warehouse_id: { wh: 'many' as never } }]), 'products.0.inventory_by_warehouse_id'],
    ['webhook test without product', async () => client.testWebhook('wh', { connection_id: 'c' } as never), 'product_id']
  ]
  for (const [what, call, field] of cases) {
    const err = await call().catch((e: unknown) => e)
    t.ok(err instanceof SandboxInputError, `${what}: a SandboxInputError`)
    t.equal((err as SandboxInputError).field, field, `${what}: names ${field}`)
  }
  t.same(sent, [], 'nothing was sent')
  const message = await client.requests({ produkt_id: 'x' } as never).catch((e: Error) => e.message)
  t.equal(message, 'requests: produkt_id: unknown field')
  t.match(await client.createConnection({ integration: 'shopifi' as 'shopify' }).catch((e: Error) => e.message), /^createConnection: integration: must be one of _base, amazon, /)
})

t.test("the schemas' plain JSON Schema shapes (nullable types, string enums, maps) are checked too", async (t) => {
  const { client, sent } = offlineClient()
  await client.createConnection({
    integration: 'shopify',
    products: [{ id: 'p', sku: 'P-1', price: null, unit_cost: 2.5, trackstar_tags: ['a'], inventory_by_warehouse_id: { wh: 3 } }]
  })
  t.equal(sent.length, 1, 'a valid store is sent')
  const bad: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ price: 'free' }, 'products.0.price', /must be number or null/],
    [{ trackstar_tags: 'a' }, 'products.0.trackstar_tags', /must be array or null/],
    [{ inventory_by_warehouse_id: { wh: 1.5 } }, 'products.0.inventory_by_warehouse_id', /^must be object of integer$/],
    [{ inventory_by_warehouse_id: [] }, 'products.0.inventory_by_warehouse_id', /^must be object of integer$/]
  ]
  for (const [fields, field, reason] of bad) {
    const err = await client.createConnection({ integration: 'shopify', products: [{ id: 'p', ...fields }] } as never).catch((e: unknown) => e)
    t.match(err, { name: 'SandboxInputError', field, reason }, `${JSON.stringify(fields)} names ${field}`)
  }
  t.equal(sent.length, 1, 'none of them was sent')
})

t.test('a nullable integer takes integers and null only; input that is not an object is named as the input', async (t) => {
  const schema = Type.Object({ count: Nullable<number>('integer') })
  t.doesNotThrow(() => check('op', schema, { count: 2 }))
  t.doesNotThrow(() => check('op', schema, { count: null }))
  t.throws(() => check('op', schema, { count: 2.5 }), { name: 'SandboxInputError', field: 'count', message: 'op: count: must be integer or null' })
  const { client, sent } = offlineClient()
  await t.rejects(client.addFault(null as never), { name: 'SandboxInputError', field: '', message: /^addFault: the input: / })
  t.same(sent, [])
})

t.test('good filters are sent as query strings, numbers as digits', async (t) => {
  const { client, sent } = offlineClient()
  await client.requests({ status: 200, limit: 5, product_id: undefined })
  await client.adjustments({ warehouse_id: 'wh 1' })
  t.same(sent, ['http://127.0.0.1:9/_sandbox/requests?status=200&limit=5', 'http://127.0.0.1:9/_sandbox/adjustments?warehouse_id=wh+1'])
})

t.test('waitForDelivery gives up after its timeout with a SandboxTimeoutError', async (t) => {
  const { client } = offlineClient()
  const err = await client.waitForDelivery(() => true, { timeout: 60, interval: 10 }).catch((e: unknown) => e)
  t.ok(err instanceof SandboxTimeoutError)
  t.match(err, { timeoutMs: 60, message: 'No matching webhook delivery within 60 ms.' })
})

t.test('waitForDelivery with a webhookId asks only for the deliveries to that endpoint', async (t) => {
  const { client, sent } = offlineClient()
  await client.waitForDelivery(() => true, { timeout: 20, interval: 10, webhookId: 'wh_1' }).catch(() => undefined)
  t.ok(sent.length > 0)
  t.ok(sent.every((url) => url === 'http://127.0.0.1:9/_sandbox/webhooks/deliveries?limit=1000&webhook_id=wh_1'))
})

t.test('waitForDelivery with no predicate takes the oldest delivery not returned yet', async (t) => {
  const logged = [{ id: 'dlv_2' }, { id: 'dlv_1' }]
  const client = new SandboxClient('http://127.0.0.1:9', {
    fetch: async () => new Response(JSON.stringify({ data: logged, total_count: logged.length }), { status: 200 })
  })
  t.equal((await client.waitForDelivery()).id, 'dlv_1')
  t.equal((await client.waitForDelivery()).id, 'dlv_2')
})

// PUT /cart/products/batch-adjust-inventory over real HTTP: all or nothing, in order, ledger, idempotency, rate limit, NuOrder, events.
import t from 'tap'
import { json } from '../json.js'
import { headersFor, listen } from '../helper.js'
import { seedProductErrors } from '../seed.js'

const line = (productId: string, quantity: number, adjustmentType = 'increase', warehouseId = 'wh_nyc') =>
  ({ product_id: productId, adjustment_type: adjustmentType, quantity, warehouse_id: warehouseId, reason: 'received' })

async function batch (url: string, body: unknown, slug = 'shopify', headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/cart/products/batch-adjust-inventory`, { method: 'PUT', headers: { ...headersFor(slug), 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
  return { status: res.status, headers: res.headers, body: await json(res) }
}
const product = async (url: string, id: string, slug = 'shopify') => (await json(await fetch(`${url}/cart/products/${id}`, { headers: headersFor(slug) }))).data
const ledger = async (url: string, query: string) => json(await fetch(`${url}/_sandbox/adjustments?${query}`))

t.test('lines are applied in order; each distinct product comes back once, final', async (t) => {
  const { url } = await listen(t)
  const parentBefore = await product(url, 'shp_tee_001')
  const res = await batch(url, { line_items: [line('shp_tee_001_l', 5), line('shp_tee_001_s', 4, 'decrease', 'wh_reno'), line('shp_tee_001_l', 3, 'decrease'), line('shp_tee_001_l', 10, 'exact', 'wh_dallas')] }, 'shopify', { 'x-request-id': 'batch-1' })
  t.equal(res.status, 200)
  t.same(res.body.data.map((p: { id: string }) => p.id), ['shp_tee_001_l', 'shp_tee_001_s'])
  t.same(res.body.unused_fields, [])
  const [large, small] = res.body.data
  t.same(large.inventory_by_warehouse_id, { wh_nyc: 4, wh_reno: 0, wh_dallas: 10 })
  t.equal(large.inventory, 14)
  t.equal(small.inventory_by_warehouse_id.wh_reno, 28)
  for (const p of res.body.data) t.equal(seedProductErrors(p), null)
  t.same(await product(url, 'shp_tee_001_l'), large)
  const parent = await product(url, 'shp_tee_001')
  t.equal(parent.inventory, parentBefore.inventory + 2 - 4 + 10)
  t.equal(parent.inventory_by_warehouse_id.wh_dallas, parentBefore.inventory_by_warehouse_id.wh_dallas + 10)

  const rows = await ledger(url, 'request_id=batch-1')
  t.equal(rows.total_count, 4, 'one ledger row per line')
  t.same(rows.data.reverse().map((r: { product_id: string, before: number, after: number, source: string }) => [r.product_id, r.before, r.after, r.source]),
    [['shp_tee_001_l', 2, 7, 'api'], ['shp_tee_001_s', 32, 28, 'api'], ['shp_tee_001_l', 7, 4, 'api'], ['shp_tee_001_l', 0, 10, 'api']])
})

// [what, line items, the failing fields]
const REFUSED: Array<[string, unknown[], string[]]> = [
  ['an invalid line', [line('shp_tee_001_m', 1), { ...line('shp_tee_001_s', 1), adjustment_type: 'sideways' }], ['line_items.1.adjustment_type']],
  ['an unknown product', [line('shp_tee_001_m', 1), line('shp_nope', 1)], ['line_items.1.product_id']],
  ['a cumulative below-zero', [line('shp_tee_001_l', 1, 'decrease'), line('shp_tee_001_m', 1), line('shp_tee_001_l', 2, 'decrease')], ['line_items.2.quantity']],
  ['a parent product', [line('shp_tee_001', 1)], ['line_items.0.product_id']],
  ['an unknown warehouse', [line('shp_tee_001_m', 1, 'increase', 'wh_mars')], ['line_items.0.warehouse_id']],
  ['every failing line at once', [{ quantity: 1 }, line('shp_tee_001_m', 1), 'text', { ...line('shp_tee_001_s', -1), extra: true }],
    ['line_items.0.adjustment_type', 'line_items.0.product_id', 'line_items.0.reason', 'line_items.0.warehouse_id', 'line_items.2', 'line_items.3.extra', 'line_items.3.quantity']],
  ['bad product ids', [{ ...line('x', 1), product_id: 5 }, { ...line('x', 1), product_id: 'null' }, { ...line('x', 1), product_id: 'x'.repeat(501) }, line('shp_tee_001_m', 1)],
    ['line_items.0.product_id', 'line_items.1.product_id', 'line_items.2.product_id']]
]

t.test('all or nothing: any failing line → 422 naming every failing line, no product changed, no ledger row', async (t) => {
  const { url } = await listen(t)
  const ids = ['shp_tee_001', 'shp_tee_001_s', 'shp_tee_001_m', 'shp_tee_001_l']
  const before = await Promise.all(ids.map(async (id) => product(url, id)))
  for (const [what, items, fields] of REFUSED) {
    const res = await batch(url, { line_items: items }, 'shopify', { 'x-request-id': `refused-${what}` })
    t.equal(res.status, 422, what)
    t.same(Object.keys(res.body.detail.json).sort(), fields, what)
    t.equal(res.body.origin, what === 'a cumulative below-zero' ? 'integration' : 'trackstar', what)
    t.equal((await ledger(url, `request_id=refused-${what}`)).total_count, 0, `${what}: no ledger row`)
  }
  t.same(await Promise.all(ids.map(async (id) => product(url, id))), before, 'nothing changed')

  for (const [body, field] of [[{}, 'line_items'], [{ line_items: [] }, 'line_items'], [{ line_items: Array(101).fill(line('shp_tee_001_m', 1)) }, 'line_items'], [{ line_items: {} }, 'line_items'], [{ line_items: [line('shp_tee_001_m', 1)], more: 1 }, 'more'], [[], '_schema']] as const) {
    const res = await batch(url, body)
    t.equal(res.status, 422, JSON.stringify(body).slice(0, 60))
    t.ok(res.body.detail.json[field], field)
  }
  const empty = await fetch(`${url}/cart/products/batch-adjust-inventory`, { method: 'PUT', headers: headersFor('shopify') })
  t.equal(empty.status, 415, 'no body')
  const text = await fetch(`${url}/cart/products/batch-adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'text/plain' }, body: 'x' })
  t.equal(text.status, 415)
  t.equal((await fetch(`${url}/cart/products/batch-adjust-inventory`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401)
  t.equal((await batch(url, { line_items: [line('shp_tee_001_m', 1)] }, 'shopify', { 'x-trackstar-api-key': 'acme_readonly_key' })).status, 403)
  t.same(await Promise.all(ids.map(async (id) => product(url, id))), before, 'still nothing changed')
})

t.test('the batch path next to the product routes', async (t) => {
  const { url } = await listen(t)
  const deleted = await fetch(`${url}/cart/products/batch-adjust-inventory`, { method: 'DELETE', headers: headersFor('shopify') })
  t.equal(deleted.status, 405)
  const read = await fetch(`${url}/cart/products/batch-adjust-inventory`, { headers: headersFor('shopify') })
  t.equal(read.status, 404, 'GET reads a product of that id (there is none)')
  t.match(await json(read), { id: 'batch-adjust-inventory' })
  const single = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' }, body: JSON.stringify({ adjustment_type: 'increase', quantity: 1, warehouse_id: 'wh_nyc', reason: 'received' }) })
  t.equal(single.status, 200, 'the single adjust is unchanged')
})

t.test('Idempotency-Key: a replay answers the first response and changes nothing', async (t) => {
  const { url } = await listen(t)
  const body = { line_items: [line('shp_tee_001_m', 2), line('shp_tee_001_s', 1)] }
  const first = await batch(url, body, 'shopify', { 'idempotency-key': 'batch-key', 'x-request-id': 'first' })
  t.equal(first.status, 200)
  const replay = await batch(url, body, 'shopify', { 'idempotency-key': 'batch-key', 'x-request-id': 'second' })
  t.equal(replay.status, 200)
  t.equal(replay.headers.get('idempotent-replayed'), 'true')
  t.same(replay.body, first.body)
  t.equal((await product(url, 'shp_tee_001_m')).inventory_by_warehouse_id.wh_nyc, 251)
  t.equal((await ledger(url, 'request_id=second')).total_count, 0)
  const other = await batch(url, { line_items: [line('shp_tee_001_m', 3)] }, 'shopify', { 'idempotency-key': 'batch-key' })
  t.equal(other.status, 400, 'same key, another body')
})

t.test('one write against the rate limit, however many lines', async (t) => {
  const { url } = await listen(t, { rateLimit: true })
  const res = await batch(url, { line_items: Array.from({ length: 20 }, () => line('shp_tee_001_m', 1)) })
  t.equal(res.status, 200)
  t.equal(res.headers.get('x-ratelimit-limit'), '50')
  t.equal(res.headers.get('x-ratelimit-remaining'), '49')
})

t.test('NuOrder future_date per line; a Base Schema connection lists unused fields', async (t) => {
  const { url } = await listen(t)
  await fetch(`${url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: '2030-01-01T00:00:00Z' }) })
  const nuLine = (quantity: number, futureDate?: string) => ({ product_id: 'nuo_jkt_001_s', adjustment_type: 'increase', quantity, warehouse_id: 'wh_la_wholesale', ...(futureDate ? { future_date: futureDate } : {}) })
  const res = await batch(url, { line_items: [nuLine(1), nuLine(10, '2030-01-02T00:00:00Z')] }, 'nuorder', { 'x-request-id': 'nu' })
  t.equal(res.status, 200)
  t.equal(res.body.data[0].inventory_by_warehouse_id.wh_la_wholesale, 141, 'the future line waits')
  t.same((await ledger(url, 'request_id=nu')).data.map((r: { status: string }) => r.status), ['pending', 'applied'])
  await fetch(`${url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: '2030-01-02T00:00:01Z' }) })
  t.equal((await product(url, 'nuo_jkt_001_s', 'nuorder')).inventory_by_warehouse_id.wh_la_wholesale, 151)

  const base = await json(await fetch(`${url}/cart/products?limit=2`, { headers: headersFor('_base') }))
  const variant = base.data.find((p: { id: string, parent_product_id: string }) => p.id !== p.parent_product_id)
  const warehouse = Object.keys(variant.inventory_by_warehouse_id)[0] as string
  const baseRes = await batch(url, { line_items: [{ product_id: variant.id, adjustment_type: 'increase', quantity: 1, warehouse_id: warehouse, note: 'x' }, { product_id: variant.id, adjustment_type: 'increase', quantity: 1, warehouse_id: warehouse, colour: 'red', note: 'y' }] }, '_base')
  t.equal(baseRes.status, 200)
  t.same(baseRes.body.unused_fields, ['note', 'colour'])
})

t.test('per-integration lines: TikTok shops, a Cart Sandbox default warehouse, a warehouse new to the product', async (t) => {
  const { url } = await listen(t)
  const tiktok = (await json(await fetch(`${url}/cart/products?limit=3`, { headers: headersFor('tiktok') }))).data.find((p: { id: string, parent_product_id: string }) => p.id !== p.parent_product_id)
  const tiktokLine = (shop: string) => ({ product_id: tiktok.id, adjustment_type: 'increase', quantity: 1, warehouse_id: 'wh_phoenix', shop_id: shop })
  const refused = await batch(url, { line_items: [tiktokLine('shop_us_main'), tiktokLine('shop_nowhere')] }, 'tiktok')
  t.equal(refused.status, 422)
  t.same(Object.keys(refused.body.detail.json), ['line_items.1.shop_id'])
  const applied = await batch(url, { line_items: [tiktokLine('shop_us_main'), tiktokLine('shop_us_outlet')] }, 'tiktok', { 'x-request-id': 'tiktok-batch' })
  t.equal(applied.status, 200)
  t.same((await ledger(url, 'request_id=tiktok-batch')).data.map((r: { shop_id: string }) => r.shop_id), ['shop_us_outlet', 'shop_us_main'])

  const sandboxLine = { product_id: 'sbx_mug_001_red', adjustment_type: 'increase', quantity: 4 }
  const mug = await batch(url, { line_items: [sandboxLine, sandboxLine] }, 'sandbox')
  t.equal(mug.status, 200)
  t.same(mug.body.data[0].inventory_by_warehouse_id, { wh_sandbox: 8 }, 'no warehouse_id: the default warehouse')

  await fetch(`${url}/_sandbox/connections/conn_acme_shopify/products`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ products: [{ id: 'shp_tee_001_new', parent_product_id: 'shp_tee_001', inventory_by_warehouse_id: {} }] }) })
  const fresh = await batch(url, { line_items: [line('shp_tee_001_new', 2, 'increase', 'wh_dallas'), line('shp_tee_001_new', 1, 'decrease', 'wh_dallas')] })
  t.equal(fresh.status, 200)
  t.same(fresh.body.data[0].inventory_by_warehouse_id, { wh_dallas: 1 })
})

// What an adjustment does: arithmetic, warehouses, parents, the ledger, dates, negative stock, scheduled NuOrder adjustments.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { adjust, build, headersFor } from '../helper.js'
import { seedProductErrors } from '../seed.js'
import type { CartProduct } from '../../src/schemas/product.js'

const get = async (app: FastifyInstance, slug: string, id: string): Promise<CartProduct> =>
  (await app.inject({ url: `/cart/products/${id}`, headers: headersFor(slug) })).json().data

const shopify = (body: Record<string, unknown>) => ({ warehouse_id: 'wh_nyc', reason: 'received', ...body })

t.test('increase, decrease and exact change only the named warehouse; inventory is the sum', async (t) => {
  const app = await build(t)
  const start = await get(app, 'shopify', 'shp_tee_001_m')
  const nyc = start.inventory_by_warehouse_id.wh_nyc as number
  const others = (start.inventory as number) - nyc

  let res = await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 7, adjustment_type: 'increase' }))
  t.equal(res.json().data.inventory_by_warehouse_id.wh_nyc, nyc + 7)
  res = await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 3, adjustment_type: 'decrease' }))
  t.equal(res.json().data.inventory_by_warehouse_id.wh_nyc, nyc + 4)
  res = await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 40, adjustment_type: 'exact' }))
  const data = res.json().data as CartProduct
  t.equal(data.inventory_by_warehouse_id.wh_nyc, 40)
  t.equal(data.inventory, 40 + others, 'inventory = sum over warehouses')
  t.equal(data.inventory_by_warehouse_id.wh_reno, start.inventory_by_warehouse_id.wh_reno, 'other warehouses untouched')
  t.same(await get(app, 'shopify', 'shp_tee_001_m'), data, 'GET reads back exactly what the adjustment answered')
  res = await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 0, adjustment_type: 'exact' }))
  t.equal(res.json().data.inventory_by_warehouse_id.wh_nyc, 0, 'exact 0 empties the warehouse')
})

t.test('the parent\'s inventory is recomputed as the sum over its variants', async (t) => {
  const app = await build(t)
  await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 11, adjustment_type: 'increase' }))
  const parent = await get(app, 'shopify', 'shp_tee_001')
  const variants = ((await app.inject({ url: '/cart/products', headers: headersFor('shopify') })).json().data as CartProduct[])
    .filter((p) => p.parent_product_id === 'shp_tee_001' && p.id !== 'shp_tee_001')
  t.ok(variants.length > 1)
  t.equal(parent.inventory, variants.reduce((sum, v) => sum + (v.inventory as number), 0))
  t.equal(parent.inventory_by_warehouse_id.wh_nyc, variants.reduce((sum, v) => sum + (v.inventory_by_warehouse_id.wh_nyc ?? 0), 0))
  t.equal(seedProductErrors(parent), null)
})

t.test('dates move with the sandbox clock and a ledger row records before and after', async (t) => {
  const app = await build(t)
  app.sandbox.clock.freeze(Date.parse('2031-05-06T07:08:09Z'))
  const before = await get(app, 'shopify', 'shp_tee_001_m')
  const res = await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 2, adjustment_type: 'increase' }), { ...headersFor('shopify'), 'x-request-id': 'req-ledger-1' })
  const data = res.json().data as CartProduct
  t.equal(data.updated_date, '2031-05-06T07:08:09Z')
  t.equal(data.trackstar_updated_date, '2031-05-06T07:08:09Z')
  t.equal(data.created_date, before.created_date, 'created_date never changes')
  t.equal((await get(app, 'shopify', 'shp_tee_001')).updated_date, '2031-05-06T07:08:09Z', 'the parent was updated too')
  const [row] = app.sandbox.ledger.list({ requestId: 'req-ledger-1', limit: 10 }).data
  t.match(row, {
    request_id: 'req-ledger-1', connection_id: 'conn_acme_shopify', product_id: 'shp_tee_001_m', warehouse_id: 'wh_nyc',
    adjustment_type: 'increase', quantity: 2, reason: 'received', before: before.inventory_by_warehouse_id.wh_nyc,
    after: (before.inventory_by_warehouse_id.wh_nyc as number) + 2, status: 'applied', created_at: '2031-05-06T07:08:09Z'
  })
  t.equal(res.headers['x-request-id'], 'req-ledger-1')
})

t.test('without warehouse_id the default warehouse is adjusted: marked default, else the first', async (t) => {
  const app = await build(t)
  const start = await get(app, 'walmart', 'wmt_bed_001_m')
  const res = await adjust(app, 'walmart', 'wmt_bed_001_m', { quantity: 5, adjustment_type: 'increase' })
  t.equal(res.json().data.inventory_by_warehouse_id.wh_bentonville, (start.inventory_by_warehouse_id.wh_bentonville as number) + 5)

  const created = await app.inject({
    method: 'POST',
    url: '/_sandbox/connections',
    payload: { integration: 'etsy', warehouses: [{ id: 'first' }, { id: 'second' }], products: [{ id: 'p' }, { id: 'v', parent_product_id: 'p', inventory_by_warehouse_id: { first: 1, second: 1 } }] }
  })
  const { api_key: key, access_token: tok } = created.json()
  const res2 = await adjust(app, 'etsy', 'v', { quantity: 1, adjustment_type: 'increase' }, { 'x-trackstar-api-key': key, 'x-trackstar-access-token': tok })
  t.same(res2.json().data.inventory_by_warehouse_id, { first: 2, second: 1 }, 'no default marked: the first warehouse')
})

t.test('semantic errors: unknown product, parent, unknown warehouse or shop, below zero', async (t) => {
  const app = await build(t)
  const ledger = () => app.sandbox.ledger.list({ limit: 1000 }).total
  const start = ledger()

  let res = await adjust(app, 'shopify', 'nope_123', shopify({ quantity: 1, adjustment_type: 'increase' }))
  t.equal(res.statusCode, 404)
  t.match(res.json(), { id: 'nope_123', origin: 'trackstar', error: /nope_123/ })

  res = await adjust(app, 'shopify', 'amz_cbl_001_3ft', shopify({ quantity: 1, adjustment_type: 'increase' }))
  t.equal(res.statusCode, 404, 'another connection\'s product does not exist here')

  res = await adjust(app, 'shopify', 'shp_tee_001', shopify({ quantity: 1, adjustment_type: 'increase' }))
  t.equal(res.statusCode, 422)
  t.equal(res.json().error, 'Inventory can only be adjusted on variant products, not parent products')
  t.ok(res.json().detail.path.product_id)

  res = await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_mars' }))
  t.equal(res.statusCode, 422)
  t.match(res.json().detail.json.warehouse_id[0], /Unknown warehouse wh_mars.*wh_nyc, wh_reno, wh_dallas/)

  res = await adjust(app, 'tiktok', 'tik_tmb_001_blush', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_phoenix', shop_id: 'shop_nope' })
  t.equal(res.statusCode, 422)
  t.match(res.json().detail.json.shop_id[0], /Unknown shop shop_nope.*shop_us_main/)
  res = await adjust(app, 'tiktok', 'tik_tmb_001_blush', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_phoenix', shop_id: 'shop_us_outlet' })
  t.equal(res.statusCode, 200, 'a shop of the connection is accepted')

  const low = await get(app, 'shopify', 'shp_tee_001_l')
  res = await adjust(app, 'shopify', 'shp_tee_001_l', shopify({ quantity: (low.inventory_by_warehouse_id.wh_nyc as number) + 1, adjustment_type: 'decrease' }))
  t.equal(res.statusCode, 422)
  t.equal(res.json().origin, 'integration', 'below zero is the cart\'s refusal')
  t.same(await get(app, 'shopify', 'shp_tee_001_l'), low, 'nothing changed')
  t.equal(ledger(), start + 1, 'only the accepted TikTok adjustment is in the ledger')
})

t.test('a connection that allows negative stock goes below zero', async (t) => {
  const app = await build(t)
  const headers = { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_faire_negative_token' }
  const res = await adjust(app, 'faire', 'gxf_dif_001_sea', { quantity: 4, adjustment_type: 'decrease' }, headers)
  t.equal(res.statusCode, 200)
  t.equal(res.json().data.inventory, -4)
})

t.test('NuOrder future_date: pending until due, then applied exactly once', async (t) => {
  const app = await build(t)
  app.sandbox.clock.freeze(Date.parse('2030-01-01T00:00:00Z'))
  const start = await get(app, 'nuorder', 'nuo_jkt_001_s')
  const warehouse = 'wh_la_wholesale'
  const res = await adjust(app, 'nuorder', 'nuo_jkt_001_s', { quantity: 5, adjustment_type: 'increase', warehouse_id: warehouse, future_date: '2030-01-02T00:00:00Z' })
  t.equal(res.statusCode, 200)
  t.same(res.json().data.inventory_by_warehouse_id, start.inventory_by_warehouse_id, 'answered with the stock unchanged')
  t.match(app.sandbox.ledger.list({ productId: 'nuo_jkt_001_s', limit: 5 }).data[0], { status: 'pending', before: null, after: null, applies_at: '2030-01-02T00:00:00Z' })

  app.sandbox.clock.freeze(Date.parse('2030-01-01T23:59:59Z'))
  t.same((await get(app, 'nuorder', 'nuo_jkt_001_s')).inventory_by_warehouse_id, start.inventory_by_warehouse_id, 'not yet due')

  app.sandbox.clock.freeze(Date.parse('2030-01-02T00:00:00Z'))
  const due = await get(app, 'nuorder', 'nuo_jkt_001_s')
  t.equal(due.inventory_by_warehouse_id[warehouse], (start.inventory_by_warehouse_id[warehouse] as number) + 5, 'applied when due')
  t.equal(due.updated_date, '2030-01-02T00:00:00Z')
  app.sandbox.clock.freeze(Date.parse('2030-02-01T00:00:00Z'))
  t.equal(app.sandbox.inventory.applyDue(), 0, 'nothing left to apply')
  t.equal((await get(app, 'nuorder', 'nuo_jkt_001_s')).inventory_by_warehouse_id[warehouse], due.inventory_by_warehouse_id[warehouse], 'applied once')
  t.match(app.sandbox.ledger.list({ productId: 'nuo_jkt_001_s', limit: 5 }).data[0], { status: 'applied', applied_at: '2030-01-02T00:00:00Z' })
})

t.test('a scheduled decrease that would go below zero when due is recorded as rejected', async (t) => {
  const app = await build(t)
  app.sandbox.clock.freeze(Date.parse('2030-01-01T00:00:00Z'))
  const start = await get(app, 'nuorder', 'nuo_jkt_001_s')
  const stock = start.inventory_by_warehouse_id.wh_la_wholesale as number
  await adjust(app, 'nuorder', 'nuo_jkt_001_s', { quantity: stock, adjustment_type: 'decrease', warehouse_id: 'wh_la_wholesale', future_date: '2030-01-03T00:00:00Z' })
  await adjust(app, 'nuorder', 'nuo_jkt_001_s', { quantity: 1, adjustment_type: 'decrease', warehouse_id: 'wh_la_wholesale', future_date: '2030-01-03T00:00:00Z' })
  app.sandbox.clock.freeze(Date.parse('2030-01-04T00:00:00Z'))
  t.equal(app.sandbox.inventory.applyDue(), 2)
  const rows = app.sandbox.ledger.list({ productId: 'nuo_jkt_001_s', limit: 5 }).data
  t.match(rows[0], { status: 'rejected', error: /Insufficient inventory/ })
  t.match(rows[1], { status: 'applied', after: 0 })
  t.equal((await get(app, 'nuorder', 'nuo_jkt_001_s')).inventory_by_warehouse_id.wh_la_wholesale, 0)
})

t.test('listeners hear of each applied change with the old values of what moved', async (t) => {
  const app = await build(t)
  const heard: { requestId: string, previous: Record<string, unknown>, inventory: number | null }[] = []
  app.sandbox.inventory.onApplied((change) => heard.push({ requestId: change.requestId, previous: change.previous, inventory: JSON.parse(change.productJson).inventory }))
  const before = await get(app, 'shopify', 'shp_tee_001_m')
  await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 2, adjustment_type: 'increase' }), { ...headersFor('shopify'), 'x-request-id': 'heard-1' })
  await adjust(app, 'shopify', 'shp_tee_001_m', shopify({ quantity: 100000, adjustment_type: 'decrease' }))
  t.equal(heard.length, 1, 'a rejected adjustment is not announced')
  t.match(heard[0], {
    requestId: 'heard-1',
    inventory: (before.inventory as number) + 2,
    previous: { inventory: before.inventory, 'inventory_by_warehouse_id.wh_nyc': before.inventory_by_warehouse_id.wh_nyc, updated_date: before.updated_date }
  })
})

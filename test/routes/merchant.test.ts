// The merchant's side over real HTTP: PATCH and POST products on a connection, sums, dates, the ledger's source, 404s and 422s.
import t from 'tap'
import { json } from '../json.js'
import { headersFor, listen } from '../helper.js'
import { seedProductErrors } from '../seed.js'

const CONN = 'conn_acme_shopify'
const send = async (url: string, method: string, path: string, body: unknown) => {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: await json(res) }
}
const patch = async (url: string, id: string, body: unknown, connection = CONN) => send(url, 'PATCH', `/_sandbox/connections/${connection}/products/${id}`, body)
const product = async (url: string, id: string) => (await json(await fetch(`${url}/cart/products/${id}`, { headers: headersFor('shopify') }))).data
const freeze = async (url: string, now: string) => send(url, 'POST', '/_sandbox/clock', { now })

t.test('a PATCH merges, recomputes the sums, moves the dates, and leaves a cart ledger row per stock change', async (t) => {
  const { url } = await listen(t)
  await freeze(url, '2031-05-05T10:00:00Z')
  const before = await product(url, 'shp_tee_001_m')
  const parentBefore = await product(url, 'shp_tee_001')
  const res = await patch(url, 'shp_tee_001_m', { name: 'Tee / Medium', price: 31.5, tags: ['sale'], inventory_by_warehouse_id: { wh_nyc: 200, wh_reno: 4 }, measurements: { weight: 0.4 } })
  t.equal(res.status, 200)
  const after = res.body.data
  t.equal(seedProductErrors(after), null)
  t.same(after, {
    ...before,
    name: 'Tee / Medium',
    price: 31.5,
    tags: ['sale'],
    inventory_by_warehouse_id: { wh_nyc: 200, wh_reno: 4, wh_dallas: before.inventory_by_warehouse_id.wh_dallas },
    inventory: 200 + 4 + before.inventory_by_warehouse_id.wh_dallas,
    measurements: { ...before.measurements, weight: 0.4 },
    updated_date: '2031-05-05T10:00:00Z',
    trackstar_updated_date: '2031-05-05T10:00:00Z'
  })
  t.same(await product(url, 'shp_tee_001_m'), after, 'read back as answered')
  const parent = await product(url, 'shp_tee_001')
  t.equal(parent.inventory, parentBefore.inventory + (200 - 249) + 4)
  t.equal(parent.inventory_by_warehouse_id.wh_nyc, parentBefore.inventory_by_warehouse_id.wh_nyc - 49)
  t.equal(parent.updated_date, '2031-05-05T10:00:00Z')

  const rows = (await json(await fetch(`${url}/_sandbox/adjustments?product_id=shp_tee_001_m`))).data
  t.same(rows.map((r: { warehouse_id: string, before: number, after: number, source: string, adjustment_type: string }) => [r.warehouse_id, r.before, r.after, r.source, r.adjustment_type]).sort(),
    [['wh_nyc', 249, 200, 'cart', 'exact'], ['wh_reno', 0, 4, 'cart', 'exact']])

  const adjusted = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' }, body: JSON.stringify({ adjustment_type: 'increase', quantity: 1, warehouse_id: 'wh_nyc', reason: 'received' }) })
  t.equal(adjusted.status, 200)
  const newest = (await json(await fetch(`${url}/_sandbox/adjustments?product_id=shp_tee_001_m&limit=1`))).data[0]
  t.match(newest, { source: 'api', before: 200, after: 201 })
})

t.test('inventory alone goes to the default warehouse; the whole product read back changes nothing', async (t) => {
  const { url } = await listen(t)
  const before = await product(url, 'shp_tee_001_s')
  const res = await patch(url, 'shp_tee_001_s', { inventory: before.inventory + 10 })
  t.equal(res.status, 200)
  t.equal(res.body.data.inventory_by_warehouse_id.wh_nyc, before.inventory_by_warehouse_id.wh_nyc + 10)
  t.equal(res.body.data.inventory, before.inventory + 10)
  const current = await product(url, 'shp_tee_001_s')
  const same = await patch(url, 'shp_tee_001_s', current)
  t.equal(same.status, 200)
  t.same(same.body.data, current, 'a round trip is a no-op')
  const standalone = await send(url, 'POST', `/_sandbox/connections/${CONN}/products`, { products: [{ id: 'gift_card', name: 'Gift card', inventory_by_warehouse_id: { wh_nyc: 3 } }] })
  t.equal(standalone.status, 201)
  const edited = await patch(url, 'gift_card', { inventory_by_warehouse_id: { wh_reno: 2 } })
  t.same([edited.body.data.inventory, edited.body.data.inventory_by_warehouse_id], [5, { wh_nyc: 3, wh_reno: 2 }], 'a product without variants holds its own stock')
})

t.test('bad PATCHes: 404 with the id, 422 naming the field, nothing changed', async (t) => {
  const { url } = await listen(t)
  const before = await product(url, 'shp_tee_001_m')
  const missingConnection = await patch(url, 'shp_tee_001_m', { name: 'x' }, 'conn_nope')
  t.same([missingConnection.status, missingConnection.body.id], [404, 'conn_nope'])
  const missingProduct = await patch(url, 'shp_nope', { name: 'x' })
  t.same([missingProduct.status, missingProduct.body.id, missingProduct.body.origin], [404, 'shp_nope', 'trackstar'])
  const BAD: Array<[unknown, string]> = [
    [{ colour: 'red' }, 'colour'],
    [{ price: 'cheap' }, 'price'],
    [{ inventory_by_warehouse_id: { wh_mars: 1 } }, 'inventory_by_warehouse_id.wh_mars'],
    [{ inventory_by_warehouse_id: { wh_nyc: -1 } }, 'inventory_by_warehouse_id.wh_nyc'],
    [{ inventory_by_warehouse_id: { wh_nyc: 1.5 } }, 'inventory_by_warehouse_id.wh_nyc'],
    [{ id: 'other' }, 'id'],
    [{ parent_product_id: 'shp_hoodie_002' }, 'parent_product_id'],
    [{ inventory: 1, inventory_by_warehouse_id: { wh_nyc: 5 } }, 'inventory'],
    [{ inventory: 0, name: 'x' }, 'inventory'],
    [{ created_date: 'yesterday' }, 'created_date']
  ]
  for (const [body, field] of BAD) {
    const res = await patch(url, 'shp_tee_001_m', body)
    t.equal(res.status, 422, JSON.stringify(body))
    t.ok(res.body.detail?.json?.[field], `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.detail)}`)
  }
  const parent = await patch(url, 'shp_tee_001', { inventory_by_warehouse_id: { wh_nyc: 1 } })
  t.equal(parent.status, 422, "a parent's stock is its variants'")
  t.same(await product(url, 'shp_tee_001_m'), before, 'nothing changed')
  t.equal((await json(await fetch(`${url}/_sandbox/adjustments?product_id=shp_tee_001_m`))).total_count, 0)
})

t.test('POST products adds parents and variants; a variant of an existing parent moves its sums', async (t) => {
  const { url } = await listen(t)
  await freeze(url, '2031-06-01T00:00:00Z')
  const parentBefore = await product(url, 'shp_tee_001')
  const res = await send(url, 'POST', `/_sandbox/connections/${CONN}/products`, {
    products: [
      { id: 'shp_tee_001_xl', name: 'Tee / XL', parent_product_id: 'shp_tee_001', inventory_by_warehouse_id: { wh_nyc: 7, wh_dallas: 1 } },
      { id: 'shp_cap_009', name: 'Cap' },
      { id: 'shp_cap_009_one', name: 'Cap / One size', parent_product_id: 'shp_cap_009', inventory_by_warehouse_id: { wh_reno: 4 } }
    ]
  })
  t.equal(res.status, 201)
  t.same(res.body.data.map((p: { id: string, inventory: number }) => [p.id, p.inventory]), [['shp_tee_001_xl', 8], ['shp_cap_009', 4], ['shp_cap_009_one', 4]])
  for (const p of res.body.data) t.equal(seedProductErrors(p), null)
  t.equal(res.body.data[0].created_date, '2031-06-01T00:00:00Z')
  const parent = await product(url, 'shp_tee_001')
  t.equal(parent.inventory, parentBefore.inventory + 8)
  t.equal(parent.inventory_by_warehouse_id.wh_nyc, parentBefore.inventory_by_warehouse_id.wh_nyc + 7)
  const list = await json(await fetch(`${url}/cart/products`, { headers: headersFor('shopify') }))
  t.same(list.data.slice(-3).map((p: { id: string }) => p.id), ['shp_tee_001_xl', 'shp_cap_009', 'shp_cap_009_one'], 'added after the existing ones')
  const adjusted = await fetch(`${url}/cart/products/shp_tee_001_xl/adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' }, body: JSON.stringify({ adjustment_type: 'decrease', quantity: 7, warehouse_id: 'wh_nyc', reason: 'correction' }) })
  t.equal(adjusted.status, 200, 'adjustable at once')

  const BAD: Array<[unknown, string]> = [
    [{ products: [{ id: 'shp_tee_001_m' }] }, 'products.0.id'],
    [{ products: [{ id: 'a' }, { id: 'a' }] }, 'products'],
    [{ products: [{ id: 'b', parent_product_id: 'nowhere' }] }, 'products.0.parent_product_id'],
    [{ products: [{ id: 'c', inventory_by_warehouse_id: { wh_mars: 1 } }] }, 'products.0.inventory_by_warehouse_id.wh_mars'],
    [{ products: [] }, 'products'],
    [{ products: [{ name: 'no id' }] }, 'products.0.id'],
    [{ items: [] }, 'items']
  ]
  const count = list.total_count
  for (const [body, field] of BAD) {
    const bad = await send(url, 'POST', `/_sandbox/connections/${CONN}/products`, body)
    t.equal(bad.status, 422, JSON.stringify(body))
    t.ok(bad.body.detail?.json?.[field], `${JSON.stringify(body)} names ${field}: ${JSON.stringify(bad.body.detail)}`)
  }
  t.equal((await json(await fetch(`${url}/cart/products`, { headers: headersFor('shopify') }))).total_count, count, 'nothing added')
  const missing = await send(url, 'POST', '/_sandbox/connections/conn_nope/products', { products: [{ id: 'x' }] })
  t.same([missing.status, missing.body.id], [404, 'conn_nope'])
})

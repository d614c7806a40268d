// The adjust path's bookkeeping: parents stay the sum of their variants, and the ledger entry returned is the row stored.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { adjust, build, headersFor, listen } from '../../helper.js'
import { findIntegration, type IntegrationRow } from '../../../src/schemas/integrations.js'
import type { Connection } from '../../../src/db/repositories/tenants.js'

interface Product { id: string, parent_product_id: string, inventory: number, inventory_by_warehouse_id: Record<string, number> }

async function products (app: FastifyInstance, headers: Record<string, string>): Promise<Product[]> {
  return (await app.inject({ url: '/cart/products', headers })).json().data as Product[]
}

function variantSums (all: Product[], parentId: string): Record<string, number> {
  const sums: Record<string, number> = {}
  for (const p of all) {
    if (p.parent_product_id !== parentId || p.id === parentId) continue
    for (const [w, n] of Object.entries(p.inventory_by_warehouse_id)) sums[w] = (sums[w] ?? 0) + n
  }
  return sums
}

t.test('a parent stays the sum of its variants through increases, decreases, exact sets and new warehouses', async (t) => {
  const app = await build(t)
  const created = await app.inject({
    method: 'POST',
    url: '/_sandbox/connections',
    payload: {
      integration: 'shopify',
      warehouses: [{ id: 'wh_a' }, { id: 'wh_b' }],
      products: [
        { id: 'tee', name: 'Tee' },
        { id: 'tee_s', parent_product_id: 'tee', inventory_by_warehouse_id: { wh_a: 5 } },
        { id: 'tee_m', parent_product_id: 'tee', inventory_by_warehouse_id: { wh_a: 7, wh_b: 1 } }
      ]
    }
  })
  const { api_key: apiKey, access_token: accessToken } = created.json()
  const headers = { 'x-trackstar-api-key': apiKey, 'x-trackstar-access-token': accessToken }
  const steps = [
    ['tee_s', { quantity: 3, adjustment_type: 'increase', warehouse_id: 'wh_b', reason: 'received' }],
    ['tee_s', { quantity: 2, adjustment_type: 'decrease', warehouse_id: 'wh_a', reason: 'damaged' }],
    ['tee_m', { quantity: 0, adjustment_type: 'exact', warehouse_id: 'wh_a', reason: 'correction' }],
    ['tee_m', { quantity: 9, adjustment_type: 'exact', warehouse_id: 'wh_b', reason: 'correction' }]
  ] as const
  for (const [id, body] of steps) t.equal((await adjust(app, 'shopify', id, body, headers)).statusCode, 200)
  const all = await products(app, headers)
  const parent = all.find((p) => p.id === 'tee') as Product
  t.same(parent.inventory_by_warehouse_id, { wh_a: 3, wh_b: 12 })
  t.same(parent.inventory_by_warehouse_id, variantSums(all, 'tee'))
  t.equal(parent.inventory, 15)
})

t.test('the fixtures parents still equal their variants after adjustments over real HTTP', async (t) => {
  const { app, url } = await listen(t)
  const put = async (id: string, body: object): Promise<number> => (await fetch(`${url}/cart/products/${id}/adjust-inventory`, {
    method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' }, body: JSON.stringify(body)
  })).status
  t.equal(await put('shp_tee_001_m', { quantity: 4, adjustment_type: 'increase', warehouse_id: 'wh_reno', reason: 'received' }), 200)
  t.equal(await put('shp_tee_001_l', { quantity: 2, adjustment_type: 'decrease', warehouse_id: 'wh_nyc', reason: 'shrinkage' }), 200)
  t.equal(await put('shp_tee_001_l', { quantity: 1, adjustment_type: 'decrease', warehouse_id: 'wh_nyc', reason: 'shrinkage' }), 422)
  const all = await products(app, headersFor('shopify'))
  const parent = all.find((p) => p.id === 'shp_tee_001') as Product
  t.same(parent.inventory_by_warehouse_id, variantSums(all, 'shp_tee_001'))
  t.equal(parent.inventory, Object.values(parent.inventory_by_warehouse_id).reduce((a, b) => a + b, 0))
})

t.test('the ledger entry an adjustment returns is exactly the row stored', async (t) => {
  const app = await build(t)
  const { sandbox } = app
  const call = (token: string, productId: string, body: Record<string, unknown>) => {
    const connection = sandbox.tenants.findConnectionByToken(token) as Connection
    const integration = findIntegration(connection.integration) as IntegrationRow
    return sandbox.inventory.adjust(connection, integration, productId, body as never, `req_${productId}`)
  }
  const now = call('acme_shopify_token', 'shp_tee_001_m', { quantity: 2, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
  t.strictSame(now.entry, sandbox.ledger.get(now.entry.seq))
  t.match(now.entry, { status: 'applied', before: 249, after: 251, reason: 'received', shop_id: null, error: null })

  const later = call('acme_nuorder_token', 'nuo_jkt_001_m', { quantity: 5, adjustment_type: 'increase', warehouse_id: 'wh_ontario', future_date: '2099-01-01T00:00:00Z' })
  t.strictSame(later.entry, sandbox.ledger.get(later.entry.seq))
  t.match(later.entry, { status: 'pending', before: null, after: null, applied_at: null, applies_at: '2099-01-01T00:00:00Z', reason: null })
  t.equal(JSON.parse(later.productJson).inventory_by_warehouse_id.wh_ontario, 70, 'a scheduled adjustment answers the stock unchanged')
  t.equal(sandbox.inventory.nextDueMs, Date.parse('2099-01-01T00:00:00Z'))
})

t.test('warehouses: the default takes bodies without one, an unknown one is named with the allowed ids, and nothing is written', async (t) => {
  const app = await build(t)
  const etsy = await adjust(app, 'etsy', 'ets_cnd_001_lav', { quantity: 1, adjustment_type: 'increase' })
  t.equal(etsy.statusCode, 200)
  t.equal(etsy.json().data.inventory_by_warehouse_id.wh_portland_studio, 60)

  const unknown = await adjust(app, 'shopify', 'shp_tee_001_m', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_mars', reason: 'received' })
  t.equal(unknown.statusCode, 422)
  t.same(unknown.json().detail, { json: { warehouse_id: ['Unknown warehouse wh_mars for this connection. Must be one of: wh_nyc, wh_reno, wh_dallas.'] } })
  t.same(app.sandbox.ledger.list({ productId: 'shp_tee_001_m', limit: 10 }).data, [], 'no ledger row for a refused adjustment')
})

t.test('GET /cart/warehouses lists exactly the warehouses the adjust path accepts, default first', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/cart/warehouses', headers: headersFor('nuorder') })
  t.equal(res.statusCode, 200)
  t.same(res.json().data.map((w: { id: string }) => w.id), ['wh_la_wholesale', 'wh_ontario'])
  t.same(app.sandbox.tenants.warehouseIds('conn_acme_nuorder'), { ids: ['wh_la_wholesale', 'wh_ontario'], defaultId: 'wh_la_wholesale' })
})

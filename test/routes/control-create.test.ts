// POST /_sandbox/connections answers 201 with the created store, serialized through the shared product schema.
import t from 'tap'
import { build } from '../helper.js'

t.test('a created connection comes back with its warehouses and spec-shaped products', async (t) => {
  const app = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: '/_sandbox/connections',
    payload: {
      integration: 'shopify',
      warehouses: [{ id: 'wh_east' }],
      products: [
        { id: 'tee', name: 'Tee' },
        { id: 'tee_s', name: 'Tee / S', parent_product_id: 'tee', inventory_by_warehouse_id: { wh_east: 5 }, measurements: { length: 2 } }
      ]
    }
  })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.same(body.warehouses.map((w: { id: string }) => w.id), ['wh_east'])
  const variant = body.products.find((p: { id: string }) => p.id === 'tee_s')
  t.equal(variant.inventory, 5)
  t.same(variant.measurements, { length: 2, width: null, height: null, unit: 'in', weight: null, weight_unit: 'lb' })
  t.equal(body.products.find((p: { id: string }) => p.id === 'tee').inventory, 5)

  const read = await app.inject({ url: '/cart/products/tee_s', headers: { 'x-trackstar-api-key': body.api_key, 'x-trackstar-access-token': body.access_token } })
  t.same(read.json().data, variant)
})

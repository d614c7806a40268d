// A first look: the seeded server answers an adjustment and reads it back.
import t from 'tap'
import { adjust, build, headersFor } from '../helper.js'

t.test('an increase on a Shopify variant is applied and read back', async (t) => {
  const app = await build(t)
  const res = await adjust(app, 'shopify', 'shp_tee_001_m', { quantity: 3, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
  t.equal(res.statusCode, 200)
  const after = await app.inject({ url: '/cart/products/shp_tee_001_m', headers: headersFor('shopify') })
  t.same(after.json().data.inventory_by_warehouse_id, res.json().data.inventory_by_warehouse_id)
})

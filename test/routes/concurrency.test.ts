// 500 concurrent increments over real HTTP land exactly: no lost update, one ledger row each.
import t from 'tap'
import { Agent } from 'undici'
import { headersFor, listen } from '../helper.js'

t.test('500 concurrent increments over real HTTP all land', async (t) => {
  const { app, url } = await listen(t)
  const dispatcher = new Agent({ connections: 50 })
  t.teardown(() => dispatcher.close())
  const read = async () => ((await (await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') })).json()) as { data: { inventory_by_warehouse_id: Record<string, number>, inventory: number } }).data
  const before = await read()
  const statuses = await Promise.all(Array.from({ length: 500 }, async (_, i) => {
    const res = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, {
      method: 'PUT',
      headers: { ...headersFor('shopify'), 'content-type': 'application/json', 'x-request-id': `inc-${i}` },
      body: JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }),
      // @ts-expect-error undici's dispatcher option is not in the DOM fetch types
      dispatcher
    })
    await res.arrayBuffer()
    return res.status
  }))
  t.same(new Set(statuses), new Set([200]), 'every request succeeded')
  const after = await read()
  t.equal(after.inventory_by_warehouse_id.wh_nyc, (before.inventory_by_warehouse_id.wh_nyc as number) + 500)
  t.equal(after.inventory, before.inventory + 500)
  const ledger = app.sandbox.ledger.list({ productId: 'shp_tee_001_m', limit: 1000 })
  t.equal(ledger.total, 500, 'one ledger row per increment')
  t.equal(new Set(ledger.data.map((row) => row.request_id)).size, 500, 'each with its own request id')
})

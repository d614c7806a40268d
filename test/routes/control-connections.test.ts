// A per-test store with a catalogue of 1,000 products, created in one call and read back page by page.
import t from 'tap'
import { listen } from '../helper.js'

t.test('a connection with 1,000 products is created and read back whole', async (t) => {
  const { url } = await listen(t)
  const products: object[] = []
  for (let p = 0; p < 100; p++) {
    products.push({ id: `p${p}`, name: `Parent ${p}`, sku: `P${p}` })
    for (let v = 0; v < 9; v++) products.push({ id: `p${p}_v${v}`, name: `Parent ${p} / ${v}`, sku: `P${p}-${v}`, parent_product_id: `p${p}`, inventory_by_warehouse_id: { wh_east: v } })
  }
  const created = await fetch(`${url}/_sandbox/connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ integration: 'shopify', warehouses: [{ id: 'wh_east', name: 'East' }], products })
  })
  t.equal(created.status, 201)
  const connection = await created.json() as { api_key: string, access_token: string, products: unknown[] }
  t.equal(connection.products.length, 1000)

  const res = await fetch(`${url}/cart/products`, { headers: { 'x-trackstar-api-key': connection.api_key, 'x-trackstar-access-token': connection.access_token } })
  t.equal(res.status, 200)
  const page = await res.json() as { data: Array<{ id: string, inventory: number }>, total_count: number, next_token: string | null }
  t.equal(page.total_count, 1000)
  t.equal(page.data.length, 1000)
  t.equal(page.next_token, null)
  t.same(page.data.slice(0, 3).map((p) => [p.id, p.inventory]), [['p0', 36], ['p0_v0', 0], ['p0_v1', 1]], 'in catalogue order, parents summed')
})

// A per-test store with a catalogue of 1,000 products, created in one call and read back page by page.
import t from 'tap'
import { listen } from '../../helper.js'

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

t.test('joining an organisation, and ids or tokens already in use', async (t) => {
  const { app } = await listen(t)
  const create = (payload: object) => app.inject({ method: 'POST', url: '/_sandbox/connections', payload })
  const joined = await create({ integration: 'amazon', api_key: 'sandbox_api_key', id: 'conn_mine', access_token: 'my_token_123' })
  t.equal(joined.statusCode, 201)
  t.match(joined.json(), { api_key: 'sandbox_api_key', organisation_id: 'org_acme', connection_id: 'conn_mine', access_token: 'my_token_123' })
  const cases: Array<[object, string, string]> = [
    [{ integration: 'amazon', api_key: 'nope' }, 'api_key', 'Unknown API key: omit it to create a new organisation.'],
    [{ integration: 'amazon', id: 'conn_mine' }, 'id', 'A connection with this id already exists.'],
    [{ integration: 'amazon', access_token: 'my_token_123' }, 'access_token', 'This access token is already in use.']
  ]
  for (const [payload, field, message] of cases) {
    const res = await create(payload)
    t.equal(res.statusCode, 422)
    t.same(res.json().detail, { json: { [field]: [message] } })
  }
})

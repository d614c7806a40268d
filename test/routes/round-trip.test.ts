// Round trip: a catalogue read with GET /cart/products can be posted unchanged into a new connection and reads back equal.
import t from 'tap'
import { listen } from '../helper.js'

interface Listed { data: Record<string, unknown>[] }

t.test('every fixture connection: its products posted unchanged read back equal', async (t) => {
  const { app, url } = await listen(t)
  const organisations = app.sandbox.fixtures.organisations
  for (const organisation of organisations) {
    const apiKey = (organisation.api_keys.find((k) => k.access === 'full') ?? organisation.api_keys[0])?.key as string
    for (const connection of organisation.connections) {
      const headers = { 'x-trackstar-api-key': apiKey, 'x-trackstar-access-token': connection.access_token as string }
      const products = await (await fetch(`${url}/cart/products`, { headers })).json() as Listed
      const warehouses = await (await fetch(`${url}/cart/warehouses`, { headers })).json() as Listed
      const created = await fetch(`${url}/_sandbox/connections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ integration: connection.integration, warehouses: warehouses.data, products: products.data })
      })
      t.equal(created.status, 201, `${connection.access_token as string}: created`)
      const { api_key: newKey, access_token: newToken } = await created.json() as { api_key: string, access_token: string }
      const back = await (await fetch(`${url}/cart/products`, { headers: { 'x-trackstar-api-key': newKey, 'x-trackstar-access-token': newToken } })).json() as Listed
      t.same(back.data, products.data, `${connection.access_token as string}: products read back equal`)
      t.ok(products.data.length > 0)
    }
  }
})

const post = async (url: string, body: unknown): Promise<Response> =>
  fetch(`${url}/_sandbox/connections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const warehouses = [{ id: 'wh_a' }, { id: 'wh_b', default: true }]

t.test('inventory disagreeing with its warehouses is a 422 naming products.<i>.inventory, and nothing is created', async (t) => {
  const { app, url } = await listen(t)
  const before = app.sandbox.tenants.listConnections().length
  const res = await post(url, {
    integration: 'shopify',
    warehouses,
    products: [{ id: 'p' }, { id: 'v', parent_product_id: 'p', inventory: 7, inventory_by_warehouse_id: { wh_a: 2, wh_b: 3 } }]
  })
  t.equal(res.status, 422)
  const body = await res.json() as { origin: string, detail: { json: Record<string, string[]> } }
  t.equal(body.origin, 'trackstar')
  t.match(body.detail.json['products.1.inventory'], [/sum of inventory_by_warehouse_id \(5\)/])
  t.equal(app.sandbox.tenants.listConnections().length, before)
})

t.test('inventory alone goes to the default warehouse; a parent\'s given inventory yields to its variants; dates are kept', async (t) => {
  const { url } = await listen(t)
  const res = await post(url, {
    integration: 'shopify',
    warehouses,
    products: [
      { id: 'p', inventory: 999, inventory_by_warehouse_id: { wh_a: 999 } },
      { id: 'v1', parent_product_id: 'p', inventory: 4, trackstar_created_date: '2021-01-01T00:00:00Z', trackstar_updated_date: '2021-02-01T00:00:00Z' },
      { id: 'v2', parent_product_id: 'p', inventory: 3, inventory_by_warehouse_id: { wh_a: 1, wh_b: 2 } },
      { id: 'solo', inventory: 6 }
    ]
  })
  t.equal(res.status, 201)
  const { products } = await res.json() as { products: Record<string, unknown>[] }
  const byId = Object.fromEntries(products.map((p) => [p.id, p]))
  t.same(byId.v1?.inventory_by_warehouse_id, { wh_b: 4 })
  t.equal(byId.v1?.trackstar_created_date, '2021-01-01T00:00:00Z')
  t.equal(byId.v1?.trackstar_updated_date, '2021-02-01T00:00:00Z')
  t.same(byId.p?.inventory_by_warehouse_id, { wh_b: 6, wh_a: 1 })
  t.equal(byId.p?.inventory, 7)
  t.same(byId.solo?.inventory_by_warehouse_id, { wh_b: 6 })
  t.equal(byId.solo?.inventory, 6)
})

t.test('fixture files accept the read-only fields too', async (t) => {
  const { writeFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { tempDir } = await import('../helper.js')
  const file = join(tempDir(t), 'fixtures.json')
  writeFileSync(file, JSON.stringify({
    organisations: [{
      id: 'org_x', name: 'X', api_keys: [{ key: 'k_x', access: 'full' }],
      connections: [{ integration: 'etsy', access_token: 'tok_x_etsy', products: [{ id: 'a', inventory: 5, trackstar_updated_date: '2020-05-05T00:00:00Z' }] }]
    }]
  }))
  const { url } = await listen(t, { fixtures: file })
  const res = await fetch(`${url}/cart/products/a`, { headers: { 'x-trackstar-api-key': 'k_x', 'x-trackstar-access-token': 'tok_x_etsy' } })
  const { data } = await res.json() as { data: Record<string, unknown> }
  t.equal(data.inventory, 5)
  t.equal(data.trackstar_updated_date, '2020-05-05T00:00:00Z')
})

// The minimal control plane: health, the integration catalogue, per-test connections, reset.
import t from 'tap'
import { adjust, build, headersFor } from '../../helper.js'
import { seedProductErrors } from '../../seed.js'

t.test('health and integrations', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/_sandbox/health' })
  t.match(res.headers['content-type'], /^application\/json/)
  const health = res.json()
  t.match(health, { status: 'ok', version: String, connections: 21, clock_frozen: false })
  // Sent as text, not through its response schema: the body must still be exactly what the schema documents.
  const documented = (await app.inject({ url: '/openapi.json' })).json().paths['/_sandbox/health'].get.responses['200'].content['application/json'].schema
  t.strictSame(Object.keys(health).sort(), Object.keys(documented.properties).sort())
  t.strictSame(Object.keys(health).map((key) => typeof health[key]), Object.keys(health).map((key) => ({ string: 'string', number: 'number', integer: 'number', boolean: 'boolean' })[documented.properties[key].type as string]))
  const integrations = (await app.inject({ url: '/_sandbox/integrations' })).json()
  t.equal(integrations.total_count, 17)
  t.match(integrations.data.find((row: { slug: string }) => row.slug === 'amazon'), {
    display_name: 'Amazon', request_schema: 'AdjustInventorycartProduct--Amazon--', adjustment_types: ['increase', 'decrease', 'exact'], warehouse_id: 'required', warehouse_id_enum: ['DEFAULT']
  })
  t.match(integrations.data.find((row: { slug: string }) => row.slug === 'shopify'), { reason: 'required', reasons: Array })
})

t.test('POST /_sandbox/connections makes a complete, isolated store', async (t) => {
  const app = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: '/_sandbox/connections',
    payload: {
      integration: 'shopify',
      warehouses: [{ id: 'wh_east', name: 'East' }, { id: 'wh_west', name: 'West', default: true }],
      products: [
        { id: 'prod_1', name: 'Tee', sku: 'TEE', parent_product_id: 'prod_1' },
        { id: 'solo', name: 'Gift card', inventory_by_warehouse_id: { wh_west: 2 } },
        { id: 'var_1', name: 'Tee / S', sku: 'TEE-S', parent_product_id: 'prod_1', inventory_by_warehouse_id: { wh_east: 5 }, price: 12.5, measurements: { weight: 3, weight_unit: 'oz' }, trackstar_tags: [{ team: 'qa' }] }
      ],
      settings: { allow_negative_inventory: true, disabled_actions: [], shops: ['shop_1', { id: 'shop_2' }] }
    }
  })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.match(body, { api_key: /^key_/, access_token: /^tok_/, connection_id: /^conn_/, integration_name: 'shopify' })
  t.same(body.warehouses.map((w: { id: string }) => w.id), ['wh_east', 'wh_west'])
  for (const product of body.products) t.equal(seedProductErrors(product), null, 'every product satisfies the seed schema')
  t.match(body.products[1], { inventory: 2, parent_product_id: 'solo' }, 'a product without variants keeps its own stock')
  t.match(body.products[2], { inventory: 5, measurements: { weight: 3, weight_unit: 'oz', unit: 'in', length: null } })
  t.match(body.products[0], { inventory: 5, inventory_by_warehouse_id: { wh_east: 5 } })

  const headers = { 'x-trackstar-api-key': body.api_key, 'x-trackstar-access-token': body.access_token }
  const read = await app.inject({ url: '/cart/products/var_1', headers })
  t.same(read.json().data, body.products[2], 'the created product reads back exactly as answered')
  const changed = await adjust(app, 'shopify', 'var_1', { quantity: 9, adjustment_type: 'decrease', reason: 'damaged', warehouse_id: 'wh_west' }, headers)
  t.equal(changed.statusCode, 200, 'negative stock allowed by its settings')
  t.same(changed.json().data.inventory_by_warehouse_id, { wh_east: 5, wh_west: -9 })
  t.equal((await app.inject({ url: '/cart/products/var_1', headers: headersFor('shopify') })).statusCode, 404, 'invisible to the seeded Shopify token')
  t.same(app.sandbox.tenants.listShops(body.connection_id), [{ id: 'shop_1', name: null }, { id: 'shop_2', name: null }])

  const joined = await app.inject({ method: 'POST', url: '/_sandbox/connections', payload: { integration: 'wix', api_key: body.api_key } })
  t.equal(joined.statusCode, 201)
  t.equal(joined.json().api_key, body.api_key, 'joins the existing organisation')
  t.same(joined.json().warehouses.map((w: { id: string }) => w.id), ['wh_main', 'wh_west'], 'the integration\'s usual warehouses')
  t.equal(joined.json().products.length, 4, 'the small default catalogue')
  const amazon = (await app.inject({ method: 'POST', url: '/_sandbox/connections', payload: { integration: 'amazon', id: 'conn_mine', access_token: 'my_readable_token', customer_id: 'c1' } })).json()
  t.match(amazon, { connection_id: 'conn_mine', access_token: 'my_readable_token', warehouses: [{ id: 'DEFAULT' }] })
})

t.test('a malformed connection payload is a 422 naming the field, and creates nothing', async (t) => {
  const app = await build(t)
  const count = () => app.sandbox.tenants.listConnections().length
  const start = count()
  const cases: [unknown, string][] = [
    [{}, 'integration'],
    [{ integration: 'myspace' }, 'integration'],
    [{ integration: 'shopify', color: 'red' }, 'color'],
    [{ integration: 'shopify', api_key: 'nope' }, 'api_key'],
    [{ integration: 'shopify', id: 'conn_acme_shopify' }, 'id'],
    [{ integration: 'shopify', access_token: 'acme_shopify_token' }, 'access_token'],
    [{ integration: 'shopify', warehouses: [{ id: 'a' }, { id: 'a' }] }, 'warehouses'],
    [{ integration: 'shopify', warehouses: [{ id: 'a', default: true }, { id: 'b', default: true }] }, 'warehouses'],
    [{ integration: 'amazon', warehouses: [{ id: 'US' }] }, 'warehouses.0.id'],
    [{ integration: 'shopify', products: [{ id: 'v', parent_product_id: 'ghost' }] }, 'products.0.parent_product_id'],
    [{ integration: 'shopify', products: [{ id: 'p' }, { id: 'p' }] }, 'products'],
    [{ integration: 'shopify', products: [{ id: 'p', inventory_by_warehouse_id: { wh_mars: 1 } }] }, 'products.0.inventory_by_warehouse_id.wh_mars'],
    [{ integration: 'shopify', products: [{ id: 'p', measurements: { unit: null } }] }, 'products.0.measurements.unit'],
    [{ integration: 'shopify', products: [{ id: 'p', inventory_by_warehouse_id: { wh_main: 1.5 } }] }, 'products.0.inventory_by_warehouse_id.wh_main'],
    [{ integration: 'shopify', settings: { disabled_actions: ['fly'] } }, 'settings.disabled_actions.0']
  ]
  for (const [payload, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/_sandbox/connections', payload: payload as object })
    t.equal(res.statusCode, 422, JSON.stringify(payload))
    t.ok(res.json().detail?.json?.[field], `${JSON.stringify(payload)} names ${field}: ${JSON.stringify(res.json().detail)}`)
  }
  t.equal(count(), start)
})

t.test('POST /_sandbox/reset brings back the fixtures, drops created connections and unfreezes the clock', async (t) => {
  const app = await build(t)
  const before = (await app.inject({ url: '/cart/products/shp_tee_001_m', headers: headersFor('shopify') })).json().data
  app.sandbox.clock.freeze(Date.parse('2040-01-01T00:00:00Z'))
  await adjust(app, 'shopify', 'shp_tee_001_m', { quantity: 1, adjustment_type: 'exact', warehouse_id: 'wh_nyc', reason: 'correction' })
  await app.inject({ method: 'POST', url: '/_sandbox/connections', payload: { integration: 'wix' } })
  const res = await app.inject({ method: 'POST', url: '/_sandbox/reset' })
  t.same(res.json(), { status: 'reset', connections: 21 })
  t.equal(app.sandbox.clock.frozen, false)
  t.equal(app.sandbox.ledger.list({ limit: 10 }).total, 0, 'the ledger is empty')
  const after = (await app.inject({ url: '/cart/products/shp_tee_001_m', headers: headersFor('shopify') })).json().data
  t.same(after.inventory_by_warehouse_id, before.inventory_by_warehouse_id)
})

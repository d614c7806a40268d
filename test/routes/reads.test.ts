// Read-backs: one product, the paginated list, ids[in], warehouses; all scoped to the token's connection.
import t from 'tap'
import { build, headersFor } from '../helper.js'
import { seedProductErrors } from '../seed.js'
import type { CartProduct } from '../../src/schemas/product.js'

t.test('GET /cart/products pages through the whole catalogue in order', async (t) => {
  const app = await build(t)
  const headers = headersFor('shopify')
  const all = (await app.inject({ url: '/cart/products', headers })).json()
  t.equal(all.next_token, null)
  t.equal(all.total_count, all.data.length)
  for (const product of all.data) t.equal(seedProductErrors(product), null, `${product.id as string} passes the seed schema`)

  const seen: string[] = []
  let pageToken: string | null = null
  let pages = 0
  do {
    const query: string = pageToken === null ? '?limit=3' : `?limit=3&page_token=${pageToken}`
    const page = (await app.inject({ url: `/cart/products${query}`, headers })).json()
    t.ok(page.data.length <= 3)
    t.equal(page.total_count, all.total_count, 'total_count is the whole catalogue')
    seen.push(...page.data.map((p: CartProduct) => p.id))
    pageToken = page.next_token
    pages++
  } while (pageToken !== null && pages < 50)
  t.same(seen, all.data.map((p: CartProduct) => p.id), 'pages join up to the full list, no gaps or repeats')
})

t.test('ids[in] returns just those ids of this connection; other parameters are ignored', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/cart/products?ids[in]=shp_tee_001_m,amz_cbl_001_3ft,shp_tee_001,missing&limit=0', headers: headersFor('shopify') })
  t.equal(res.statusCode, 200)
  t.same(res.json().data.map((p: CartProduct) => p.id), ['shp_tee_001_m', 'shp_tee_001'])
  t.equal(res.json().total_count, 2)
  const many = Array.from({ length: 101 }, (_, i) => `id${i}`).join(',')
  const tooMany = await app.inject({ url: `/cart/products?ids[in]=${many}`, headers: headersFor('shopify') })
  t.equal(tooMany.statusCode, 422)
  t.ok(tooMany.json().detail.query['ids[in]'])
})

t.test('bad query parameters are a 422 on the query location', async (t) => {
  const app = await build(t)
  for (const [query, field] of [['limit=0', 'limit'], ['limit=1001', 'limit'], ['limit=ten', 'limit'], ['page_token=zzz', 'page_token'], ['color=red', 'color']] as const) {
    const res = await app.inject({ url: `/cart/products?${query}`, headers: headersFor('shopify') })
    t.equal(res.statusCode, 422, query)
    t.ok(res.json().detail.query[field], `${query} names ${field}`)
  }
})

t.test('GET one product: 404 with id for unknown or foreign products', async (t) => {
  const app = await build(t)
  const parent = await app.inject({ url: '/cart/products/shp_tee_001', headers: headersFor('shopify') })
  t.equal(parent.statusCode, 200)
  t.equal(seedProductErrors(parent.json().data), null)
  const foreign = await app.inject({ url: '/cart/products/gx_twl_001_wht', headers: headersFor('shopify') })
  t.equal(foreign.statusCode, 404)
  t.same(foreign.json(), { error: 'Cart product gx_twl_001_wht not found.', origin: 'trackstar', id: 'gx_twl_001_wht' })
})

t.test('GET /cart/warehouses lists the connection\'s warehouses', async (t) => {
  const app = await build(t)
  const res = (await app.inject({ url: '/cart/warehouses', headers: headersFor('shopify') })).json()
  t.same(res.data.map((w: { id: string }) => w.id), ['wh_nyc', 'wh_reno', 'wh_dallas'])
  t.equal(res.total_count, 3)
  t.equal(res.next_token, null)
  t.match(res.data[0], { name: String, address: { city: String } })
})

t.test('tenant isolation: a token only ever sees its own connection', async (t) => {
  const app = await build(t)
  const acme = (await app.inject({ url: '/cart/products', headers: headersFor('shopify') })).json().data as CartProduct[]
  const globex = (await app.inject({ url: '/cart/products', headers: { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_shopify_token' } })).json().data as CartProduct[]
  const acmeIds = new Set(acme.map((p) => p.id))
  t.ok(globex.length > 0)
  t.notOk(globex.some((p) => acmeIds.has(p.id)), 'no product is shared')
  const cross = await app.inject({ url: `/cart/products/${acme[1]?.id ?? ''}`, headers: { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_shopify_token' } })
  t.equal(cross.statusCode, 404)
})

t.test('POST /sandbox/generate-sandbox/cart recreates the org\'s Cart Sandbox with the same connection id', async (t) => {
  const app = await build(t)
  const first = await app.inject({ method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'sandbox_api_key' } })
  t.equal(first.statusCode, 200)
  const body = first.json()
  t.match(body, { connection_id: 'conn_org_acme_cart_sandbox', integration_name: 'sandbox', available_actions: ['adjust_inventory', 'get_products', 'get_warehouses'] })
  const headers = { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': body.access_token }
  const changed = await app.inject({ method: 'PUT', url: '/cart/products/prod_tee_s/adjust-inventory', headers, payload: { quantity: 5, adjustment_type: 'increase' } })
  t.equal(changed.json().data.inventory, 15)
  const again = (await app.inject({ method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'sandbox_api_key' } })).json()
  t.equal(again.connection_id, body.connection_id)
  t.equal(again.access_token, body.access_token)
  t.equal((await app.inject({ url: '/cart/products/prod_tee_s', headers })).json().data.inventory, 10, 'its data was reset')
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/generate-sandbox/cart' })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'nope' } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'acme_readonly_key' } })).statusCode, 403)
})

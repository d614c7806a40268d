// Read-backs send the stored product text as is: still exactly CartProductApiItemSchema, still JSON, still paginated.
import t from 'tap'
import { adjust, build, headersFor } from '../helper.js'
import { CartProductSchema } from '../../src/schemas/product.js'

t.test('GET one and GET all answer JSON products that satisfy CartProductApiItemSchema, with what an adjustment did', async (t) => {
  const app = await build(t)
  const valid = app.sandbox.ajv.getSchema(CartProductSchema.$id as string)
  t.ok(valid)
  t.equal((await adjust(app, 'shopify', 'shp_tee_001_m', { quantity: 3, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })).statusCode, 200)

  const one = await app.inject({ url: '/cart/products/shp_tee_001_m', headers: headersFor('shopify') })
  t.equal(one.statusCode, 200)
  t.equal(one.headers['content-type'], 'application/json; charset=utf-8')
  t.same(Object.keys(one.json()), ['data'])
  t.ok(valid?.(one.json().data), JSON.stringify(valid?.errors))
  t.equal(one.json().data.inventory_by_warehouse_id.wh_nyc, 252)

  const all = await app.inject({ url: '/cart/products', headers: headersFor('shopify') })
  t.equal(all.headers['content-type'], 'application/json; charset=utf-8')
  const body = all.json()
  t.same(Object.keys(body), ['data', 'next_token', 'total_count'])
  t.equal(body.total_count, 14)
  t.equal(body.next_token, null)
  for (const product of body.data) t.ok(valid?.(product), `${product.id as string} ${JSON.stringify(valid?.errors)}`)
  t.same(body.data.find((p: { id: string }) => p.id === 'shp_tee_001_m'), one.json().data)
})

t.test('pages chain through next_token until null and cover every product once', async (t) => {
  const app = await build(t)
  const seen: string[] = []
  let token: string | null = null
  do {
    const query: string = token === null ? 'limit=5' : `limit=5&page_token=${token}`
    const res = await app.inject({ url: `/cart/products?${query}`, headers: headersFor('shopify') })
    t.equal(res.statusCode, 200)
    const page = res.json() as { data: Array<{ id: string }>, next_token: string | null, total_count: number }
    t.equal(page.total_count, 14)
    seen.push(...page.data.map((p) => p.id))
    token = page.next_token
  } while (token !== null)
  t.equal(seen.length, 14)
  t.equal(new Set(seen).size, 14)

  const missing = await app.inject({ url: '/cart/products/nope', headers: headersFor('shopify') })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: 'Cart product nope not found.', origin: 'trackstar', id: 'nope' })
})

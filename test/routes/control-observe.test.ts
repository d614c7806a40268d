// The journal and the ledger over real HTTP: what a client sent and got, and what each adjustment changed.
import t from 'tap'
import { adjust, build, headersFor, listen, token } from '../helper.js'

const increase = { quantity: 3, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }

t.test('the journal records each emulated request with its answer, newest first, credentials redacted', async (t) => {
  const { url } = await listen(t)
  const put = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor('shopify'), 'content-type': 'application/json', 'x-request-id': 'my-req-1', authorization: 'Bearer some-secret-value' },
    body: JSON.stringify(increase)
  })
  t.equal(put.status, 200)
  const read = await fetch(`${url}/cart/products/shp_tee_001_m?x=1`, { headers: headersFor('shopify') })
  t.equal(read.status, 200)
  await fetch(`${url}/cart/nowhere`, { headers: headersFor('shopify') })
  await fetch(`${url}/_sandbox/health`)
  await fetch(`${url}/openapi.json`)

  const res = await fetch(`${url}/_sandbox/requests`)
  t.equal(res.status, 200)
  const journal = await res.json() as { data: any[], total_count: number }
  t.equal(journal.total_count, 3, 'the control plane and the docs are not journaled')
  t.same(journal.data.map((e) => [e.method, e.path, e.status]), [
    ['GET', '/cart/nowhere', 404],
    ['GET', '/cart/products/shp_tee_001_m', 200],
    ['PUT', '/cart/products/shp_tee_001_m/adjust-inventory', 200]
  ])
  const entry = journal.data[2]
  t.equal(entry.request_id, 'my-req-1')
  t.equal(entry.access_token, '****oken')
  t.equal(entry.product_id, 'shp_tee_001_m')
  t.same(entry.request.body, increase)
  t.equal(entry.request.headers['x-trackstar-api-key'], '****_key')
  t.equal(entry.request.headers.authorization, '****alue')
  t.equal(entry.response.body.data.inventory_by_warehouse_id.wh_nyc, 252)
  t.equal(entry.fault_id, null)
  t.equal(entry.dropped, false)
  t.type(entry.duration_ms, 'number')
  t.same(journal.data[1].query, { x: '1' })
  const text = JSON.stringify(journal)
  t.notOk(text.includes('acme_shopify_token'), 'the full token never appears')
  t.notOk(text.includes('sandbox_api_key'), 'the full key never appears')

  const one = await fetch(`${url}/_sandbox/requests/my-req-1`)
  t.equal(one.status, 200)
  t.equal((await one.json() as { status: number }).status, 200)
  const missing = await fetch(`${url}/_sandbox/requests/nope`)
  t.equal(missing.status, 404)
  t.same(await missing.json(), { error: 'No journaled request with id nope.', origin: 'trackstar', id: 'nope' })
})

t.test('journal filters and its bound', async (t) => {
  const app = await build(t, { journalSize: 3 })
  await adjust(app, 'shopify', 'shp_tee_001_m', increase)
  await adjust(app, 'shopify', 'shp_tee_001_m', { ...increase, quantity: 'x' })
  await adjust(app, 'amazon', 'nope', {})
  await app.inject({ url: '/cart/products/shp_tee_001_s', headers: headersFor('shopify') })
  const list = async (query: string) => (await app.inject({ url: `/_sandbox/requests${query}` })).json() as { data: any[], total_count: number }
  t.equal((await list('')).total_count, 3, 'the oldest was dropped')
  t.same((await list(`?access_token=${token('shopify')}`)).data.map((e) => e.status), [200, 422])
  t.same((await list('?status=422')).data.map((e) => e.product_id), ['nope', 'shp_tee_001_m'])
  t.same((await list('?method=get')).data.map((e) => e.product_id), ['shp_tee_001_s'])
  t.same((await list('?product_id=nope')).data.map((e) => e.method), ['PUT'])
  t.equal((await list('?limit=1')).data.length, 1)
  const bad = await app.inject({ url: '/_sandbox/requests?limit=0' })
  t.equal(bad.statusCode, 422)
  t.same(bad.json().detail, { query: { limit: ['Must be an integer between 1 and 1000.'] } })
  t.equal((await app.inject({ url: '/_sandbox/requests?status=abc' })).statusCode, 422)
  t.equal((await app.inject({ url: '/_sandbox/requests?unknown=1' })).statusCode, 422)
})

t.test('the ledger: what each accepted adjustment changed; rejected requests leave no row', async (t) => {
  const { app, url } = await listen(t)
  const ok = await adjust(app, 'shopify', 'shp_tee_001_m', increase, { ...headersFor('shopify'), 'x-request-id': 'ledger-1' })
  t.equal(ok.statusCode, 200)
  t.equal((await adjust(app, 'shopify', 'shp_tee_001_m', { quantity: 10_000, adjustment_type: 'decrease', warehouse_id: 'wh_reno', reason: 'shrinkage' })).statusCode, 422)
  t.equal((await adjust(app, 'shopify', 'shp_tee_001_m', { ...increase, warehouse_id: 'wh_mars' })).statusCode, 422)
  t.equal((await adjust(app, 'shopify', 'missing', increase)).statusCode, 404)
  t.equal((await adjust(app, 'shopify', 'shp_tee_001_s', { quantity: 2, adjustment_type: 'decrease', warehouse_id: 'wh_reno', reason: 'shrinkage' })).statusCode, 200)

  const res = await fetch(`${url}/_sandbox/adjustments`)
  t.equal(res.status, 200)
  const ledger = await res.json() as { data: any[], total_count: number }
  t.equal(ledger.total_count, 2, 'only the two accepted adjustments')
  t.same(ledger.data[1], {
    request_id: 'ledger-1', connection_id: 'conn_acme_shopify', product_id: 'shp_tee_001_m', warehouse_id: 'wh_nyc', shop_id: null,
    adjustment_type: 'increase', quantity: 3, reason: 'received', before: 249, after: 252, status: 'applied', error: null,
    created_at: ledger.data[1].created_at, applies_at: ledger.data[1].created_at, applied_at: ledger.data[1].created_at, source: 'api'
  })
  const list = async (query: string) => (await app.inject({ url: `/_sandbox/adjustments${query}` })).json() as { data: any[], total_count: number }
  t.same((await list('?product_id=shp_tee_001_s')).data.map((e) => e.after), [30])
  t.same((await list('?warehouse_id=wh_nyc')).data.map((e) => e.request_id), ['ledger-1'])
  t.equal((await list(`?access_token=${token('shopify')}&connection_id=conn_acme_shopify`)).total_count, 2)
  t.equal((await list(`?access_token=${token('amazon')}`)).total_count, 0)
  t.equal((await list('?status=pending')).total_count, 0)
  t.same((await list('?request_id=ledger-1')).data.map((e) => e.product_id), ['shp_tee_001_m'])
  t.equal((await list('?limit=1')).data.length, 1)

  const unknown = await app.inject({ url: '/_sandbox/adjustments?access_token=nope' })
  t.equal(unknown.statusCode, 422)
  t.same(unknown.json().detail, { query: { access_token: ['Unknown access token: no connection uses it.'] } })
  const mismatch = await app.inject({ url: `/_sandbox/adjustments?access_token=${token('shopify')}&connection_id=other` })
  t.equal(mismatch.statusCode, 422)
  t.equal((await app.inject({ url: '/_sandbox/adjustments?status=done' })).statusCode, 422)
})

t.test('long bodies are kept cut, so a full journal stays bounded', async (t) => {
  const app = await build(t)
  const created = await app.inject({ method: 'POST', url: '/_sandbox/connections', payload: { integration: 'wix', products: Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, name: 'A product with a long enough name to fill the answer' })) } })
  const { api_key: apiKey, access_token: accessToken } = created.json()
  const list = await app.inject({ url: '/cart/products', headers: { 'x-trackstar-api-key': apiKey, 'x-trackstar-access-token': accessToken } })
  t.ok(list.body.length > 64 * 1024)
  const big = await app.inject({ method: 'PUT', url: '/cart/products/p1/adjust-inventory', headers: { 'x-trackstar-api-key': apiKey, 'x-trackstar-access-token': accessToken }, payload: { quantity: 1, adjustment_type: 'increase', padding: 'x'.repeat(70 * 1024) } })
  t.equal(big.statusCode, 422)
  const [put, get] = (await app.inject({ url: '/_sandbox/requests' })).json().data
  t.same(put.request.body, null)
  t.equal(put.request.truncated, true)
  t.equal(put.response.truncated, undefined)
  t.equal(get.response.truncated, true)
  t.equal(get.response.body.length, 64 * 1024)
  t.equal(get.request.truncated, undefined)
})

t.test('credentials in answers are redacted too', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'sandbox_api_key' } })
  t.equal(res.statusCode, 200)
  const fullToken = res.json().access_token as string
  const [entry] = (await app.inject({ url: '/_sandbox/requests' })).json().data
  t.equal(entry.response.body.access_token, `****${fullToken.slice(-4)}`)
  t.equal(entry.response.body.integration_name, 'sandbox')
  t.notOk(JSON.stringify(entry).includes(fullToken))
})

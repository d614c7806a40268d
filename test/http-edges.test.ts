// HTTP edges over real HTTP: trailing slashes, undecodable bodies, empty control-plane bodies, routing of the deliveries log, CORS.
import t from 'tap'
import { gzipSync } from 'node:zlib'
import { corsOrigins } from '../src/http-edges.js'
import { headersFor, listen } from './helper.js'

const adjustUrl = (url: string): string => `${url}/cart/products/shp_tee_classic_black_s/adjust-inventory`

t.test('a trailing slash is a 404 like any unknown route', async (t) => {
  const { url } = await listen(t)
  for (const path of ['/cart/warehouses/', '/cart/products/', '/_sandbox/health/']) {
    const res = await fetch(`${url}${path}`, { headers: headersFor('shopify') })
    t.equal(res.status, 404, path)
    t.match(await res.json(), { error: /No route/, origin: 'trackstar' })
  }
})

t.test('bodies the sandbox cannot read are refused and change nothing', async (t) => {
  const { app, url } = await listen(t)
  const products = await (await fetch(`${url}/cart/products`, { headers: headersFor('shopify') })).json() as { data: { id: string, parent_product_id: string }[] }
  const variant = (products.data.find((p) => p.id !== p.parent_product_id) as { id: string }).id
  const target = `${url}/cart/products/${variant}/adjust-inventory`
  const json = Buffer.from(JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'shopify_loc_main', reason: 'received' }))
  const ledgerBefore = app.sandbox.ledger.list({ limit: 1 }).total
  const cases: [string, Record<string, string>, Buffer, number][] = [
    ['invalid UTF-8', { 'content-type': 'application/json' }, Buffer.concat([json.subarray(0, -2), Buffer.from([0xff, 0xfe]), json.subarray(-2)]), 400],
    ['latin-1 charset', { 'content-type': 'application/json; charset=iso-8859-1' }, json, 415],
    ['gzip body', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(json), 415]
  ]
  for (const [name, headers, body, status] of cases) {
    const res = await fetch(target, { method: 'PUT', headers: { ...headersFor('shopify'), ...headers }, body })
    t.equal(res.status, status, name)
    t.match(await res.json(), { error: String, origin: 'trackstar' }, name)
  }
  t.equal(app.sandbox.ledger.list({ limit: 1 }).total, ledgerBefore, 'no ledger row')
  const ok = await fetch(target, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json; charset=UTF-8' }, body: json })
  t.not(ok.status, 415, 'charset utf-8 is read')
  // The control plane's own parser applies the same rules.
  const control = await fetch(`${url}/_sandbox/connections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) })
  t.equal(control.status, 400)
  const truncated = await fetch(`${url}/_sandbox/connections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat([Buffer.from('{"integration":"'), Buffer.from([0xe2, 0x82])]) })
  t.equal(truncated.status, 400, 'a multi-byte character cut off at the end')
  t.match(await truncated.json(), { error: /UTF-8/ })
  const latin = await fetch(`${url}/_sandbox/connections`, { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}' })
  t.equal(latin.status, 415)
  const fault = await fetch(`${url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: '{}' })
  t.equal(fault.status, 415)
})

t.test('a control-plane POST with a JSON content type and no body reads as {}', async (t) => {
  const { url } = await listen(t)
  const reset = await fetch(`${url}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } })
  t.equal(reset.status, 200)
  const connection = await fetch(`${url}/_sandbox/connections`, { method: 'POST', headers: { 'content-type': 'application/json' } })
  t.equal(connection.status, 422, 'read as {}: the integration is missing')
  t.match(await connection.json(), { detail: { json: { integration: [/Missing/] } } })
  const clock = await fetch(`${url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' } })
  t.equal(clock.status, 422, 'the shared parser reads it as {} too')
  const emulated = await fetch(adjustUrl(url), { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' } })
  t.equal(emulated.status, 400, 'the emulated API still wants a body')
})

t.test('DELETE /_sandbox/webhooks/deliveries is a 405, not a webhook id', async (t) => {
  const { url } = await listen(t)
  const res = await fetch(`${url}/_sandbox/webhooks/deliveries`, { method: 'DELETE' })
  t.equal(res.status, 405)
  t.equal(res.headers.get('allow'), 'GET, HEAD')
  t.match(await res.json(), { origin: 'trackstar' })
})

const preflight = (url: string, path: string): Promise<Response> => fetch(`${url}${path}`, {
  method: 'OPTIONS',
  headers: { origin: 'http://app.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type, x-trackstar-api-key' }
})

t.test('CORS is off by default', async (t) => {
  const { url } = await listen(t)
  const res = await preflight(url, '/cart/products/x/adjust-inventory')
  t.not(res.status, 204)
  t.equal(res.headers.get('access-control-allow-origin'), null)
  const get = await fetch(`${url}/cart/warehouses`, { headers: { ...headersFor('shopify'), origin: 'http://app.example' } })
  t.equal(get.headers.get('access-control-allow-origin'), null)
})

t.test('SANDBOX_CORS_ORIGINS turns CORS on for the API and the control plane, preflights without the admin token', async (t) => {
  const { url } = await listen(t, { corsOrigins: 'http://app.example, http://other.example', adminToken: 'secret' })
  for (const path of ['/cart/products/x/adjust-inventory', '/_sandbox/reset']) {
    const res = await preflight(url, path)
    t.equal(res.status, 204, path)
    t.equal(res.headers.get('access-control-allow-origin'), 'http://app.example')
    t.match(res.headers.get('access-control-allow-methods'), /PUT/)
  }
  const get = await fetch(`${url}/cart/warehouses`, { headers: { ...headersFor('shopify'), origin: 'http://app.example' } })
  t.equal(get.headers.get('access-control-allow-origin'), 'http://app.example')
  const exposed = get.headers.get('access-control-expose-headers') ?? ''
  for (const header of ['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after', 'idempotent-replayed']) t.match(exposed, header)
  const control = await fetch(`${url}/_sandbox/reset`, { method: 'POST', headers: { origin: 'http://app.example' } })
  t.equal(control.status, 401, 'the request after the preflight still needs the admin token')
  t.equal(control.headers.get('access-control-allow-origin'), 'http://app.example')
  const stranger = await fetch(`${url}/cart/warehouses`, { headers: { ...headersFor('shopify'), origin: 'http://evil.example' } })
  t.equal(stranger.headers.get('access-control-allow-origin'), null)
})

t.test('startSandbox({ corsOrigins }) takes a list', async (t) => {
  const { startSandbox } = await import('../src/index.js')
  const sandbox = await startSandbox({ corsOrigins: ['http://a.example', 'http://b.example'] })
  t.teardown(() => sandbox.close())
  const res = await fetch(`${sandbox.url}/_sandbox/health`, { headers: { origin: 'http://b.example' } })
  t.equal(res.headers.get('access-control-allow-origin'), 'http://b.example')
})

t.test('CORS with * allows any origin', async (t) => {
  const { url } = await listen(t, { corsOrigins: '*' })
  const res = await preflight(url, '/cart/warehouses')
  t.equal(res.status, 204)
  t.equal(res.headers.get('access-control-allow-origin'), '*')
  t.same(corsOrigins('  '), undefined)
  t.same(corsOrigins('a, ,b'), ['a', 'b'])
})

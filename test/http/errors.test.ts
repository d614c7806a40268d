// Every error is Trackstar-shaped with a request id: unknown routes, wrong methods, bad bodies, and a real defect (500).
import t from 'tap'
import type { InjectOptions } from 'fastify'
import { build, headersFor } from '../helper.js'
import { requestIdFrom } from '../../src/http/closing.js'
import { toApiError } from '../../src/http/errors.js'

const URL = '/cart/products/shp_tee_001_m/adjust-inventory'

t.test('client mistakes outside validation', async (t) => {
  const app = await build(t)
  const headers = headersFor('shopify')
  const cases: [string, InjectOptions, number, RegExp][] = [
    ['unknown route', { url: '/v2/nothing' }, 404, /No route for GET \/v2\/nothing/],
    ['wrong method', { method: 'DELETE', url: URL, headers }, 405, /Method DELETE is not allowed/],
    ['text/plain', { method: 'PUT', url: URL, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'quantity=1' }, 415, /application\/json/],
    ['form encoded', { method: 'PUT', url: URL, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'quantity=1' }, 415, /application\/json/],
    ['no body at all', { method: 'PUT', url: URL, headers }, 415, /application\/json/],
    ['broken JSON', { method: 'PUT', url: URL, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"quantity": 1,' }, 400, /not valid JSON/],
    ['empty JSON body', { method: 'PUT', url: URL, headers: { ...headers, 'content-type': 'application/json' }, payload: '' }, 400, /empty/],
    ['prototype poisoning', { method: 'PUT', url: URL, headers: { ...headers, 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' }, 400, /not valid JSON/],
    ['body too large', { method: 'PUT', url: URL, headers: { ...headers, 'content-type': 'application/json' }, payload: `{"a":"${'x'.repeat(1_100_000)}"}` }, 413, /too large/]
  ]
  for (const [label, request, status, message] of cases) {
    const res = await app.inject(request)
    t.equal(res.statusCode, status, label)
    t.match(res.json(), { error: message, origin: 'trackstar' }, label)
    t.match(res.headers['content-type'], /application\/json/, `${label}: JSON, never HTML`)
    t.ok(res.headers['x-request-id'], `${label}: request id`)
  }
  t.equal(app.sandbox.ledger.list({ limit: 10 }).total, 0)
})

t.test('a defect becomes a Trackstar-shaped 500 without internals', async (t) => {
  const app = await build(t)
  app.get('/boom', async () => { throw new Error('secret internals') })
  const res = await app.inject({ url: '/boom' })
  t.equal(res.statusCode, 500)
  t.notMatch(res.body, /secret internals/)
  t.match(res.json(), { error: /bug in trackstar-sandbox/, origin: 'trackstar' })
})

t.test('other 4xx errors keep their status; unexpected ones are 500', async (t) => {
  t.match(toApiError(Object.assign(new Error('slow down'), { statusCode: 429 })), { statusCode: 429, body: { error: 'slow down' } })
  t.match(toApiError(Object.assign(new Error('odd header'), { statusCode: 400 })), { statusCode: 400, body: { error: 'odd header' } })
  t.match(toApiError(Object.assign(new Error('gone'), { statusCode: 503 })), { statusCode: 500 })
})

t.test('request ids: a sane client id is echoed, anything else gets a UUID', async (t) => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  t.equal(requestIdFrom('abc-123'), 'abc-123')
  t.equal(requestIdFrom('x'.repeat(200)), 'x'.repeat(200))
  t.match(requestIdFrom('x'.repeat(201)), uuid)
  t.match(requestIdFrom('has space'), uuid)
  t.match(requestIdFrom('tab\tinside'), uuid)
  t.match(requestIdFrom(''), uuid)
  t.match(requestIdFrom(undefined), uuid)
  t.match(requestIdFrom(['a', 'b']), uuid)

  const app = await build(t)
  const echoed = await app.inject({ url: '/cart/products/shp_tee_001_m', headers: { ...headersFor('shopify'), 'x-request-id': 'client-id-42' } })
  t.equal(echoed.headers['x-request-id'], 'client-id-42')
  const fresh = await app.inject({ url: '/nowhere', headers: { 'x-request-id': 'bad id with spaces' } })
  t.match(fresh.headers['x-request-id'], uuid)
  t.match((await app.inject({ url: '/_sandbox/health' })).headers['x-request-id'], uuid, 'control plane too')
})

// Hostile input: fast-check properties and hand-written cases; every answer is a non-5xx, every error Trackstar-shaped, and rejects change nothing.
import t, { type Test } from 'tap'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { API_KEY, build, headersFor, listen } from '../helper.js'
import { STRESS } from './server-process.js'
import { openSocket, rawExchange } from './raw-http.js'

const RUNS = STRESS ? 3000 : 150
const figures = { cases: 0, fiveHundreds: 0, accepted: 0 }

/** What a rejected request must not change: every product body of every connection and the whole ledger. */
function state (app: FastifyInstance): string {
  // Product rows catch up at checkpoints, one of them a timer 1 s after the last adjustment, which can fire while a
  // later (rejected) request is in flight: compare what every read sees, with the rows caught up first.
  app.sandbox.inventory.flushWrites()
  const products = app.sandbox.db.prepare('SELECT connection_id, id, body FROM products ORDER BY connection_id, id').all()
  const ledger = app.sandbox.ledger.list({ limit: 1000 })
  return createHash('sha256').update(JSON.stringify({ products, ledger })).digest('hex')
}

const ERROR_KEYS = new Set(['error', 'origin', 'id', 'detail'])

/** The reasons `res` breaks the contract for hostile input, or [] when it keeps it. */
function violations (res: LightMyRequestResponse, changed: boolean): string[] {
  const problems: string[] = []
  // The one 5xx the contract documents: an integration that does not implement the action answers 501.
  const notImplemented = res.statusCode === 501 && /^\{"error":"Endpoint \w+ is not implemented for /.test(res.body)
  if (res.statusCode >= 500 && !notImplemented) problems.push(`a ${res.statusCode}`)
  const requestId = res.headers['x-request-id']
  if (typeof requestId !== 'string' || requestId.length === 0) problems.push('no x-request-id')
  if (res.statusCode >= 300) {
    if (changed) problems.push('a rejected request changed the state')
    if (res.body.length > 0) {
      let body: Record<string, unknown> = {}
      try { body = res.json() } catch { problems.push('an error body that is not JSON') }
      if (typeof body.error !== 'string' || body.error.length === 0) problems.push('no error message')
      if (body.origin !== 'trackstar' && body.origin !== 'integration') problems.push('no origin')
      const extra = Object.keys(body).filter((key) => !ERROR_KEYS.has(key))
      if (extra.length > 0) problems.push(`extra keys ${extra.join(', ')}`)
    } else if (res.raw.req.method !== 'HEAD') problems.push('an empty error body')
  }
  return problems
}

/** Runs a fast-check property whose predicate throws on a problem; one failure with the shrunk counterexample. */
async function check<T extends unknown[]> (t: Test, name: string, property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  try {
    await fc.assert(property, { numRuns })
    t.pass(`${name}: ${numRuns} cases`)
  } catch (err) {
    // fast-check keeps the predicate's own error (the problems found) as the cause.
    const cause = (err as Error).cause instanceof Error ? ` → ${((err as Error).cause as Error).message}` : ''
    t.fail(`${name}: ${(err as Error).message.replace(/\s*Hint: .*/s, '').replace(/(.)\1{40,}/g, (run, c: string) => `${c}×${run.length}`).slice(0, 3000)}${cause}`)
  }
}

/** Sends `options` and checks the answer and the state; returns the problems found. */
async function probe (app: FastifyInstance, options: InjectOptions): Promise<{ res: LightMyRequestResponse, problems: string[] }> {
  const before = state(app)
  const res = await app.inject(options)
  const changed = state(app) !== before
  figures.cases++
  if (res.statusCode >= 500 && res.statusCode !== 501) figures.fiveHundreds++
  if (res.statusCode < 300) figures.accepted++
  return { res, problems: violations(res, changed) }
}

// Credentials of every kind: valid ones of both organisations, read-only, disabled, not implemented, foreign and bogus.
const CREDENTIALS: Array<Record<string, string>> = [
  headersFor('shopify'), headersFor('amazon'), headersFor('tiktok'), headersFor('_base'), headersFor('nuorder'), headersFor('mirakl'),
  { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_shopify_token' },
  { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_walmart_disabled_token' },
  { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_etsy_noadjust_token' },
  { 'x-trackstar-api-key': 'acme_readonly_key', 'x-trackstar-access-token': 'acme_shopify_token' },
  { 'x-trackstar-api-key': API_KEY, 'x-trackstar-access-token': 'globex_shopify_token' },
  { 'x-trackstar-api-key': API_KEY }, {}
]
const PRODUCT_IDS = ['shp_tee_001_m', 'shp_tee_001', 'amz_cbl_001_3ft', 'gx_twl_001_wht', 'tik_tmb_001_blush', 'bse_nb_001_a5k', 'nuo_jkt_001_m', 'mrk_lin_001_dbl']
const ODD_IDS = ['..', '.', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%00', 'a%00b', "' OR '1'='1", '1; DROP TABLE products; --', '%27%3B%20DELETE%20FROM%20adjustments%3B--',
  '*', '%25', '%ff', '%e2%82', 'x'.repeat(500), 'x'.repeat(501), 'x'.repeat(3000), '%F0%9F%92%A9', '__proto__', 'constructor', 'null', 'undefined', '0', '-1']
const VALID_BODY = { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }

const credentials = fc.constantFrom(...CREDENTIALS)
const knownOrOddId = fc.oneof(fc.constantFrom(...PRODUCT_IDS, ...ODD_IDS), fc.string({ maxLength: 40 }).map(encodeURIComponent))
const poisonKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'quantity', 'adjustment_type', 'warehouse_id', 'reason', 'shop_id', 'future_date', '', ' ')
/** A valid body with one to three fields replaced, deleted or added with any JSON value. */
const mutatedBody = fc.tuple(
  fc.array(fc.tuple(poisonKey, fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined })), { minLength: 1, maxLength: 3 })
).map(([edits]) => {
  const body: Record<string, unknown> = { ...VALID_BODY }
  for (const [key, value] of edits) {
    if (value === undefined) delete body[key]
    else Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true })
  }
  return JSON.stringify(body)
})
/** JSON text broken by inserting, deleting or replacing characters. */
const brokenJson = fc.tuple(fc.constant(JSON.stringify(VALID_BODY)), fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 5, unit: 'binary' }))
  .map(([text, at, cut, insert]) => text.slice(0, at % text.length) + insert + text.slice((at % text.length) + cut))
const anyBody = fc.oneof(
  mutatedBody,
  brokenJson,
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', '{', '}', '[]', '{}', 'null', 'true', '0', '"x"', '1e999', '-0', '{"quantity": 1e999}', '{"quantity": 2147483648, "adjustment_type": "exact", "warehouse_id": "wh_nyc", "reason": "correction"}')
)
const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
    'application/xml', 'application/json; charset=latin1', 'application/jsonx', 'application/vnd.api+json', '*/*', ';', 'application/json;;;'),
  fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s))
)
const headerValue = fc.oneof(fc.string({ maxLength: 50 }).filter((s) => /^[\x21-\x7e]*$/.test(s)), fc.constant('x'.repeat(8000)))

t.test('property: any adjust request is a 200 or a Trackstar 4xx that changes nothing', async (t) => {
  const app = await build(t)
  await check(t, 'adjust requests', fc.asyncProperty(credentials, knownOrOddId, anyBody, contentType, headerValue, async (auth, id, payload, type, requestId) => {
    const { problems } = await probe(app, {
      method: 'PUT',
      url: `/cart/products/${id}/adjust-inventory`,
      headers: { ...auth, 'content-type': type, 'x-request-id': requestId },
      payload
    })
    if (problems.length > 0) throw new Error(problems.join('; '))
  }), RUNS * 4)
})

t.test('property: any method, path and query answer without a 5xx, errors in Trackstar shape', async (t) => {
  const app = await build(t)
  const method = fc.constantFrom<Array<'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD'>>('GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD')
  const path = fc.oneof(
    knownOrOddId.map((id) => `/cart/products/${id}`),
    knownOrOddId.map((id) => `/cart/products/${id}/adjust-inventory`),
    fc.constantFrom('/cart/products', '/cart/warehouses', '/sandbox/generate-sandbox/cart', '/cart', '/', '//', '/cart/products/', '/cart//products', '/_sandbox/health'),
    fc.webPath().map((p) => p.startsWith('/') ? p : `/${p}`)
  )
  const query = fc.oneof(fc.constant(''), fc.constantFrom('?limit=0', '?limit=1001', '?limit=-1', '?limit=1e3', '?limit=abc', '?limit=1&limit=2', '?page_token=%00',
    "?ids[in]=' OR 1=1 --", '?ids[in]=' + 'a,'.repeat(200), '?ids[in]=,,,', '?foo=bar', '?__proto__[x]=1', '?page_token=' + 'A'.repeat(5000)), fc.webQueryParameters().map((q) => `?${q}`))
  await check(t, 'methods, paths and queries', fc.asyncProperty(method, path, query, credentials, async (m, p, q, auth) => {
    const { res, problems } = await probe(app, { method: m, url: p + q, headers: auth })
    if (problems.length > 0) throw new Error(`${problems.join('; ')} → ${res.statusCode} ${res.body.slice(0, 200)}`)
  }), RUNS * 2)
})

// The control plane's write routes and a body each accepts; mutations of these reach past the first validation error.
const CONTROL_WRITES: Array<{ path: fc.Arbitrary<string>, body: Record<string, unknown>, keys: string[] }> = [
  { path: fc.constant('/_sandbox/faults'), body: { match: { method: 'GET', path: '/nowhere/*' }, action: { status: 503 }, times: 1 }, keys: ['match', 'action', 'times', 'probability', 'seed'] },
  { path: fc.constant('/_sandbox/snapshots'), body: { name: 'fuzz' }, keys: ['name'] },
  {
    path: fc.oneof(fc.constantFrom('fuzz', 'base', 'nope', '..', '%2e%2e', '%00', 'x'.repeat(65), '__proto__', '%F0%9F%92%A9'), fc.string({ maxLength: 30 }).map(encodeURIComponent)).map((name) => `/_sandbox/snapshots/${name}/restore`),
    body: {},
    keys: ['name', 'force']
  },
  { path: fc.constant('/_sandbox/clock'), body: { advance_ms: 1000 }, keys: ['now', 'advance_ms', 'frozen'] },
  { path: fc.constant('/_sandbox/webhooks'), body: { url: 'http://127.0.0.1:9/hook', events: ['cart-product.updated'] }, keys: ['url', 'events', 'secret'] },
  { path: fc.constant('/_sandbox/connections'), body: { integration: 'shopify' }, keys: ['integration', 'id', 'access_token', 'api_key', 'customer_id', 'settings', 'warehouses', 'products'] }
]
const controlRequest = fc.constantFrom(...CONTROL_WRITES).chain(({ path, body, keys }) => fc.tuple(
  path,
  fc.oneof(
    fc.array(fc.tuple(fc.constantFrom(...keys, '__proto__', 'constructor', ''), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined })), { minLength: 1, maxLength: 3 }).map((edits) => {
      const mutated: Record<string, unknown> = structuredClone(body)
      for (const [key, value] of edits) {
        if (value === undefined) delete mutated[key]
        else Object.defineProperty(mutated, key, { value, enumerable: true, writable: true, configurable: true })
      }
      return JSON.stringify(mutated)
    }),
    fc.constant(JSON.stringify(body)),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.tuple(fc.nat(), fc.nat({ max: 5 }), fc.string({ maxLength: 5, unit: 'binary' })).map(([at, cut, insert]) => {
      const text = JSON.stringify(body)
      return text.slice(0, at % text.length) + insert + text.slice((at % text.length) + cut)
    }),
    fc.constantFrom('', '{', 'null', '[]', '"x"', '1e999', '{"__proto__": {"admin": true}}')
  )
))

t.test('property: any body on the control plane\'s write routes answers without a 5xx, errors in Trackstar shape', async (t) => {
  const app = await build(t)
  t.equal((await app.inject({ method: 'POST', url: '/_sandbox/snapshots', payload: { name: 'base' } })).statusCode, 201)
  const statuses: Record<number, number> = {}
  // Mostly JSON, so most cases reach the routes' own validation rather than the 415.
  const jsonMostly = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 4 }, { arbitrary: contentType, weight: 1 })
  await check(t, 'control-plane writes', fc.asyncProperty(controlRequest, jsonMostly, headerValue, async ([path, payload], type, requestId) => {
    const res = await app.inject({ method: 'POST', url: path, headers: { 'content-type': type, 'x-request-id': requestId }, payload })
    figures.cases++
    if (res.statusCode >= 500) figures.fiveHundreds++
    if (res.statusCode < 300) figures.accepted++
    statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
    // The control plane is meant to change the state, so only the answer is checked.
    const problems = violations(res, false)
    if (problems.length > 0) throw new Error(`${problems.join('; ')} → POST ${path} ${payload.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`)
  }), RUNS * 2)
  t.comment(`control-plane statuses: ${JSON.stringify(statuses)}`)
  t.ok((statuses[201] ?? 0) + (statuses[200] ?? 0) > 0, 'some of the bodies were accepted, so the property reaches past validation')
  t.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted')
  t.equal((await app.inject({ url: '/_sandbox/health' })).statusCode, 200, 'the sandbox still answers')
})

t.test('hand-written hostile cases', async (t) => {
  const app = await build(t)
  const put = (payload: string | Buffer, headers: Record<string, string> = {}, id = 'shp_tee_001_m'): InjectOptions =>
    ({ method: 'PUT', url: `/cart/products/${id}/adjust-inventory`, headers: { ...headersFor('shopify'), 'content-type': 'application/json', ...headers }, payload })
  const deep = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n)
  const cases: Array<[string, InjectOptions, number]> = [
    ['__proto__ key', put('{"__proto__": {"admin": true}, "quantity": 1, "adjustment_type": "increase", "warehouse_id": "wh_nyc", "reason": "received"}'), 400],
    ['constructor.prototype key', put('{"constructor": {"prototype": {"admin": true}}, "quantity": 1, "adjustment_type": "increase", "warehouse_id": "wh_nyc", "reason": "received"}'), 400],
    ['nested __proto__', put('{"quantity": 1, "adjustment_type": "increase", "warehouse_id": "wh_nyc", "reason": {"__proto__": {}}}'), 400],
    ['deep nesting (10k objects)', put(deep(10_000)), 422],
    ['deep nesting (100k arrays)', put('['.repeat(100_000) + ']'.repeat(100_000)), 422],
    ['a string of almost 1 MiB', put(JSON.stringify({ ...VALID_BODY, reason: 'x'.repeat(1024 * 1024 - 200) })), 422],
    ['a body over 1 MiB', put(JSON.stringify({ ...VALID_BODY, reason: 'x'.repeat(2 * 1024 * 1024) })), 413],
    ['a huge number', put('{"quantity": 1e400, "adjustment_type": "increase", "warehouse_id": "wh_nyc", "reason": "received"}'), 422],
    ['a 400-digit integer', put(`{"quantity": ${'9'.repeat(400)}, "adjustment_type": "increase", "warehouse_id": "wh_nyc", "reason": "received"}`), 422],
    ['quantity above int32', put(JSON.stringify({ ...VALID_BODY, quantity: 2_147_483_648 })), 422],
    ['negative quantity', put(JSON.stringify({ ...VALID_BODY, quantity: -1 })), 422],
    ['fractional quantity', put(JSON.stringify({ ...VALID_BODY, quantity: 1.5 })), 422],
    ['quantity as a string', put(JSON.stringify({ ...VALID_BODY, quantity: '1' })), 422],
    ['invalid UTF-8 bytes', put(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])), 400],
    ['a lone surrogate escape', put(JSON.stringify({ ...VALID_BODY, reason: 'received' }).replace('received', '\\ud800')), 422],
    ['NUL in a string', put(JSON.stringify({ ...VALID_BODY, warehouse_id: 'wh_nyc\u0000' })), 422],
    ['text/plain', put(JSON.stringify(VALID_BODY), { 'content-type': 'text/plain' }), 415],
    ['form encoding', put('quantity=1', { 'content-type': 'application/x-www-form-urlencoded' }), 415],
    ['no content type', { method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: headersFor('shopify') }, 415],
    ['an empty JSON body', put(''), 400],
    ['content-length larger than the body', put('{}', { 'content-length': '100' }), 400],
    ['SQL in the path id', put(JSON.stringify(VALID_BODY), {}, encodeURIComponent("shp_tee_001_m' OR '1'='1")), 404],
    ['SQL in the warehouse', put(JSON.stringify({ ...VALID_BODY, warehouse_id: "wh_nyc' OR '1'='1" })), 422],
    ['.. as the id', put(JSON.stringify(VALID_BODY), {}, '..%2F..%2Fshp_tee_001_m'), 404],
    ['%00 as the id', put(JSON.stringify(VALID_BODY), {}, '%00'), 404],
    ['malformed percent-encoding in the id', put(JSON.stringify(VALID_BODY), {}, '%E0%A4%A'), 400],
    ['a 501-character id', put(JSON.stringify(VALID_BODY), {}, 'x'.repeat(501)), 422],
    ['a 5000-character id', put(JSON.stringify(VALID_BODY), {}, 'x'.repeat(5000)), 414],
    ['a parent product', put(JSON.stringify(VALID_BODY), {}, 'shp_tee_001'), 422],
    ['a very long api key', put(JSON.stringify(VALID_BODY), { 'x-trackstar-api-key': 'k'.repeat(10_000) }), 401],
    ['SQL in the api key', put(JSON.stringify(VALID_BODY), { 'x-trackstar-api-key': "' OR 1=1 --" }), 401],
    ['SQL in the token', put(JSON.stringify(VALID_BODY), { 'x-trackstar-access-token': "acme_shopify_token' --" }), 401],
    ['wrong method', { method: 'DELETE', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: headersFor('shopify') }, 405],
    ['unknown route', { method: 'GET', url: '/cart/products/shp_tee_001_m/nope', headers: headersFor('shopify') }, 404]
  ]
  for (const [name, options, status] of cases) {
    const { res, problems } = await probe(app, options)
    t.equal(res.statusCode, status, `${name}: ${status}`)
    t.same(problems, [], `${name}: Trackstar shape, x-request-id, nothing changed`)
  }
  t.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted')
  // Duplicate keys: JSON.parse keeps the last one, so the request is exactly the one the last values describe.
  const duplicate = await probe(app, put('{"quantity": 1000, "quantity": 2, "adjustment_type": "decrease", "adjustment_type": "increase", "warehouse_id": "wh_nyc", "reason": "received"}'))
  t.equal(duplicate.res.statusCode, 200)
  t.equal(app.sandbox.ledger.list({ limit: 1, requestId: duplicate.res.headers['x-request-id'] as string }).data[0]?.quantity, 2, 'duplicate keys: the last value is the one applied')
})

t.test('raw bytes over real HTTP: malformed requests get a Trackstar 4xx and the server keeps serving', async (t) => {
  const { url } = await listen(t)
  const auth = `x-trackstar-api-key: ${API_KEY}\r\nx-trackstar-access-token: acme_shopify_token\r\n`
  const body = Buffer.concat([Buffer.from('{"quantity": 1, "adjustment_type": "increase", "warehouse_id": "wh_'), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('", "reason": "received"}')])
  const cases: Array<[string, string | Buffer, number]> = [
    ['invalid UTF-8 in the body', Buffer.concat([Buffer.from(`PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\n${auth}content-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`), body]), 400],
    ['raw 0xff bytes in the path', Buffer.concat([Buffer.from('GET /cart/products/'), Buffer.from([0xff, 0xfe]), Buffer.from(` HTTP/1.1\r\nhost: x\r\n${auth}connection: close\r\n\r\n`)]), 400],
    ['a garbage request line', 'HELLO THERE\r\n\r\n', 400],
    ['a bare LF header section', 'GET /_sandbox/health HTTP/1.1\nhost: x\nfoo\n\n', 400],
    ['a NUL in a header value', `GET /cart/products HTTP/1.1\r\nhost: x\r\nx-trackstar-api-key: a\u0000b\r\n\r\n`, 400],
    ['two different content-lengths', `PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\n${auth}content-type: application/json\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}`, 400],
    ['chunked and content-length together', `PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\n${auth}content-type: application/json\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`, 400],
    ['an invalid chunk size', `PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\n${auth}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400],
    ['headers over 16 KiB', `GET /cart/products HTTP/1.1\r\nhost: x\r\nx-big: ${'b'.repeat(20_000)}\r\n\r\n`, 431],
    ['a request line without a version', 'GET /\r\n\r\n', 404]
  ]
  for (const [name, bytes, status] of cases) {
    const { responses, closed } = await rawExchange(url, bytes)
    const [res] = responses
    t.equal(res?.status, status, `${name}: ${status}`)
    t.match(JSON.parse(res?.body ?? '{}'), { error: String, origin: 'trackstar' }, `${name}: Trackstar shape`)
    t.match(res?.headers['x-request-id'], /.+/, `${name}: x-request-id`)
    t.ok(closed, `${name}: the connection was closed`)
    figures.cases++
  }
  // A client that resets the connection mid-request has nobody left to answer: it is dropped quietly.
  for (let i = 0; i < 3; i++) {
    const socket = await openSocket(url)
    socket.write('PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\ncontent-le')
    await new Promise((resolve) => setTimeout(resolve, 20))
    socket.resetAndDestroy()
  }
  const health = await fetch(`${url}/_sandbox/health`)
  t.equal(health.status, 200, 'the server still serves normal requests')
})

t.teardown(() => {
  t.comment(`hostile-input figures: ${JSON.stringify(figures)}`)
})

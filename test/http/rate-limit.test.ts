// Per-token rate limits observed over real HTTP, on fixed one-second windows of the sandbox clock.
import t from 'tap'
import { json } from '../json.js'
import { headersFor, listen } from '../helper.js'
import { SandboxClock } from '../../src/domain/clock.js'
import { buildApp } from '../../src/app.js'
import { sandboxClockStore } from '../../src/http/rate-limit.js'

// A moment in the middle of a second, so the window's end is 500 ms away.
const T0 = Date.parse('2030-01-01T00:00:00.500Z')
const T0_WINDOW_END_S = Date.parse('2030-01-01T00:00:01Z') / 1000

const get = (url: string, path: string, headers: Record<string, string>) => fetch(`${url}${path}`, { headers })
const put = (url: string, headers: Record<string, string>) => fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, {
  method: 'PUT',
  headers: { ...headers, 'content-type': 'application/json' },
  body: JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
})

t.test('the 11th GET of a token in one second is a 429 in Trackstar\'s shape; the next second resets', async (t) => {
  const { app, url } = await listen(t, { rateLimit: true })
  app.sandbox.clock.freeze(T0)
  const headers = headersFor('shopify')
  for (let i = 1; i <= 10; i++) {
    const res = await get(url, '/cart/products/shp_tee_001_m', headers)
    t.equal(res.status, 200)
    t.equal(res.headers.get('x-ratelimit-limit'), '10')
    t.equal(res.headers.get('x-ratelimit-remaining'), String(10 - i))
    t.equal(res.headers.get('x-ratelimit-reset'), String(T0_WINDOW_END_S), 'epoch second the window ends')
    t.equal(res.headers.get('retry-after'), null)
  }
  const limited = await get(url, '/cart/products', headers)
  t.equal(limited.status, 429)
  t.same(await json(limited), { error: 'Rate limit exceeded: 10 reads per second per access token. Retry after 1 second(s).', origin: 'trackstar' })
  t.equal(limited.headers.get('retry-after'), '1')
  t.equal(limited.headers.get('x-ratelimit-remaining'), '0')
  t.equal(limited.headers.get('x-ratelimit-reset'), String(T0_WINDOW_END_S))
  t.ok(limited.headers.get('x-request-id'))

  // Another token has its own budget; writes of the same token have theirs.
  t.equal((await get(url, '/cart/warehouses', headersFor('amazon'))).status, 200)
  const write = await put(url, headers)
  t.equal(write.status, 200)
  t.equal(write.headers.get('x-ratelimit-limit'), '50')
  t.equal(write.headers.get('x-ratelimit-remaining'), '49')

  app.sandbox.clock.freeze(T0 + 1000)
  const next = await get(url, '/cart/products/shp_tee_001_m', headers)
  t.equal(next.status, 200)
  t.equal(next.headers.get('x-ratelimit-remaining'), '9')
  t.equal(next.headers.get('x-ratelimit-reset'), String(T0_WINDOW_END_S + 1))
})

t.test('the 51st write in one second is a 429; errors after auth carry the headers, 401s and the control plane do not', async (t) => {
  const { app, url } = await listen(t, { rateLimit: true })
  app.sandbox.clock.freeze(T0)
  const headers = headersFor('shopify')
  const before = (await json(await get(url, '/cart/products/shp_tee_001_m', headers))).data.inventory_by_warehouse_id.wh_nyc
  app.sandbox.clock.freeze(T0 + 1000)
  const statuses: number[] = []
  for (let i = 0; i < 51; i++) statuses.push((await put(url, headers)).status)
  t.same(statuses, [...Array(50).fill(200), 429])
  const after = (await json(await get(url, '/cart/products/shp_tee_001_m', headers))).data.inventory_by_warehouse_id.wh_nyc
  t.equal(after, before + 50, 'the 429 changed nothing')

  const notFound = await get(url, '/cart/products/no_such_product', headersFor('amazon'))
  t.equal(notFound.status, 404)
  t.equal(notFound.headers.get('x-ratelimit-limit'), '10')
  // The token is known before the connection's permissions are checked, so a 403 or 501 counts and says so.
  const disabled = await put(url, { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_walmart_disabled_token' })
  t.equal(disabled.status, 403)
  t.equal(disabled.headers.get('x-ratelimit-remaining'), '49')
  const unauthorized = await get(url, '/cart/products', { 'x-trackstar-api-key': 'nope' })
  t.equal(unauthorized.status, 401)
  t.equal(unauthorized.headers.get('x-ratelimit-limit'), null)
  const health = await fetch(`${url}/_sandbox/health`)
  t.equal(health.headers.get('x-ratelimit-limit'), null)
})

t.test('the store counts per key on whole seconds of the sandbox clock and drops counters of past windows', async (t) => {
  const clock = new SandboxClock()
  const Store = sandboxClockStore(clock, 2)
  const store = new Store().child()
  const incr = (key: string) => new Promise<{ current: number, ttl: number }>((resolve) => store.incr(key, (_err, res) => resolve(res as { current: number, ttl: number }), 1000))
  clock.freeze(T0)
  t.same(await incr('a'), { current: 1, ttl: 500 })
  t.same(await incr('a'), { current: 2, ttl: 500 })
  t.same(await incr('b'), { current: 1, ttl: 500 })
  t.equal(store.size, 2)
  clock.freeze(T0 + 700)
  t.same(await incr('c'), { current: 1, ttl: 800 }, 'a new second: a fresh count')
  t.equal(store.size, 1, 'the counters of the past second were dropped')
})

t.test('the limits can be changed through buildApp options', async (t) => {
  const app = await buildApp({ dbPath: ':memory:', rateLimit: true }, { logger: false, rateLimits: { reads: 1, writes: 2 } })
  t.teardown(() => app.close())
  app.sandbox.clock.freeze(T0)
  const read = () => app.inject({ url: '/cart/warehouses', headers: headersFor('shopify') })
  t.equal((await read()).headers['x-ratelimit-limit'], '1')
  t.equal((await read()).statusCode, 429)
})

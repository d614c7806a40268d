// Idempotency-Key on the adjust endpoint over real HTTP: replay, conflict, per connection, only 2xx kept, 24 h expiry.
import t from 'tap'
import { json } from '../json.js'
import { build, headersFor, listen, tempDir } from '../helper.js'
import { buildApp } from '../../src/app.js'

const T0 = Date.parse('2030-01-01T00:00:00Z')
const BODY = { quantity: 2, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }

function adjuster (url: string) {
  return (body: unknown, key?: string, slug = 'shopify', product = 'shp_tee_001_m') => fetch(`${url}/cart/products/${product}/adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor(slug), 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
}

t.test('a retry with the same key and body answers the first response again and changes nothing', async (t) => {
  const { app, url } = await listen(t)
  const put = adjuster(url)
  const first = await put(BODY, 'key-1')
  t.equal(first.status, 200)
  t.equal(first.headers.get('idempotent-replayed'), null)
  const firstBody = await first.text()
  const ledgerRows = app.sandbox.ledger.list({ limit: 100 }).total

  // Key order does not matter: the body is compared as JSON.
  const again = await put({ reason: 'received', warehouse_id: 'wh_nyc', adjustment_type: 'increase', quantity: 2 }, 'key-1')
  t.equal(again.status, 200)
  t.equal(again.headers.get('idempotent-replayed'), 'true')
  t.equal(await again.text(), firstBody, 'byte for byte')
  t.equal(again.headers.get('x-original-request-id'), first.headers.get('x-request-id'))
  t.not(again.headers.get('x-request-id'), first.headers.get('x-request-id'), 'the replay has its own request id')
  t.equal(app.sandbox.ledger.list({ limit: 100 }).total, ledgerRows, 'no ledger row')
  const stock = await json(await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') }))
  t.same(stock.data.inventory_by_warehouse_id, JSON.parse(firstBody).data.inventory_by_warehouse_id, 'applied once')

  // A reset forgets the keys with the stores they belonged to.
  await fetch(`${url}/_sandbox/reset`, { method: 'POST' })
  t.equal((await put(BODY, 'key-1')).headers.get('idempotent-replayed'), null, 'after a reset the key is new')

  // Without a key every request is applied.
  t.equal((await put(BODY)).headers.get('idempotent-replayed'), null)
  t.equal(app.sandbox.ledger.list({ limit: 100 }).total, 2, 'the reset ledger holds the two requests since')
})

t.test('the same key with another body or path → 400, changing nothing', async (t) => {
  const { app, url } = await listen(t)
  const put = adjuster(url)
  t.equal((await put(BODY, 'key-2')).status, 200)
  const rows = app.sandbox.ledger.list({ limit: 100 }).total
  const otherBody = await put({ ...BODY, quantity: 3 }, 'key-2')
  t.equal(otherBody.status, 400)
  t.same(await json(otherBody), { error: 'This Idempotency-Key was already used with another request body or path; use a new key for a new request.', origin: 'trackstar' })
  const otherPath = await put(BODY, 'key-2', 'shopify', 'shp_tee_001_l')
  t.equal(otherPath.status, 400)
  t.equal(app.sandbox.ledger.list({ limit: 100 }).total, rows)
})

t.test('keys are per connection; only a 2xx is kept, so a failed first attempt leaves the key free', async (t) => {
  const { url } = await listen(t)
  const put = adjuster(url)
  t.equal((await put(BODY, 'shared')).status, 200)
  const amazon = await put({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'DEFAULT' }, 'shared', 'amazon', 'amz_cbl_001_3ft')
  t.not(amazon.status, 400, 'another connection may use the same key')
  t.equal(amazon.headers.get('idempotent-replayed'), null)

  const noBody = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'idempotency-key': 'retry-me' } })
  t.equal(noBody.status, 415)
  const failed = await put({ ...BODY, warehouse_id: 'wh_nowhere' }, 'retry-me')
  t.equal(failed.status, 422)
  const fixed = await put(BODY, 'retry-me')
  t.equal(fixed.status, 200)
  t.equal(fixed.headers.get('idempotent-replayed'), null, 'the fixed retry is a first attempt')
})

t.test('a key lives 24 h on the sandbox clock', async (t) => {
  const { app, url } = await listen(t)
  const put = adjuster(url)
  app.sandbox.clock.freeze(T0)
  t.equal((await put(BODY, 'daily')).status, 200)
  app.sandbox.clock.freeze(T0 + 24 * 3600_000 - 1000)
  t.equal((await put(BODY, 'daily')).headers.get('idempotent-replayed'), 'true')
  app.sandbox.clock.freeze(T0 + 24 * 3600_000)
  const expired = await put({ ...BODY, quantity: 5 }, 'daily')
  t.equal(expired.status, 200, 'expired: the key is free for a new body')
  t.equal(expired.headers.get('idempotent-replayed'), null)
})

t.test('the key must be 1..255 characters → else 422 on headers', async (t) => {
  const { url } = await listen(t)
  const put = adjuster(url)
  const long = await put(BODY, 'k'.repeat(256))
  t.equal(long.status, 422)
  t.same(await json(long), { error: 'Must be 1 to 255 characters.', origin: 'trackstar', detail: { headers: { 'idempotency-key': ['Must be 1 to 255 characters.'] } } })
  t.equal((await put(BODY, '')).status, 422)
  t.equal((await put(BODY, 'k'.repeat(255))).status, 200)
})

t.test('a retry while the first attempt is still running → 409; once it has answered, the replay', async (t) => {
  const app = await build(t)
  // Holds the request with id `held` in its handler (after the idempotency check), until released.
  let release: () => void = () => {}
  let holding: () => void = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  const isHeld = new Promise<void>((resolve) => { holding = resolve })
  const { inventory } = app.sandbox
  const adjust = inventory.adjust.bind(inventory)
  inventory.adjust = (connection, integration, productId, body, requestId) => {
    const result = adjust(connection, integration, productId, body, requestId)
    if (requestId !== 'held') return result
    holding()
    return { ...result, durable: result.durable.then(async () => await held) }
  }
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const request = (hold: boolean) => fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor('shopify'), 'content-type': 'application/json', 'idempotency-key': 'slow', ...(hold ? { 'x-request-id': 'held' } : {}) },
    body: JSON.stringify(BODY)
  })
  const first = request(true)
  await isHeld
  const second = await request(false)
  t.equal(second.status, 409)
  t.match(await json(second), { error: /still being processed/, origin: 'trackstar' })
  release()
  t.equal((await first).status, 200)
  t.equal((await request(false)).headers.get('idempotent-replayed'), 'true')
})

t.test('stored replays survive a restart on the same database file', async (t) => {
  const dbPath = `${tempDir(t)}/sandbox.sqlite`
  const first = await buildApp({ dbPath, rateLimit: false }, { logger: false })
  const res = await first.inject({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: { ...headersFor('shopify'), 'idempotency-key': 'durable' }, payload: BODY })
  t.equal(res.statusCode, 200)
  await first.close()
  const second = await buildApp({ dbPath, rateLimit: false }, { logger: false })
  t.teardown(() => second.close())
  const replay = await second.inject({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: { ...headersFor('shopify'), 'idempotency-key': 'durable' }, payload: BODY })
  t.equal(replay.headers['idempotent-replayed'], 'true')
  t.equal(replay.body, res.body)
})

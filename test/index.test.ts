// The library as a user's test suite uses it: start in-process, point a client at `url`, reset, snapshot, inspect.
import t from 'tap'
import { buildApp, startSandbox, SandboxRequestError, type RunningSandbox } from '../src/index.js'

const adjust = (sandbox: RunningSandbox, token: string, apiKey: string, productId: string, body: object) =>
  fetch(`${sandbox.url}/cart/products/${productId}/adjust-inventory`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-trackstar-api-key': apiKey, 'x-trackstar-access-token': token },
    body: JSON.stringify(body)
  })

t.test('startSandbox: a fixture-loaded sandbox on a free port, driven from the test', async (t) => {
  const sandbox = await startSandbox()
  t.teardown(() => sandbox.close())
  t.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.equal(sandbox.url, `http://127.0.0.1:${sandbox.port}`)

  const conn = await sandbox.createConnection({ integration: 'shopify', warehouses: [{ id: 'wh_east' }], products: [{ id: 'tee' }, { id: 'tee_s', parent_product_id: 'tee', inventory_by_warehouse_id: { wh_east: 5 } }] })
  t.equal(conn.integration_name, 'shopify')
  const res = await adjust(sandbox, conn.access_token, conn.api_key, 'tee_s', { quantity: 2, adjustment_type: 'decrease', warehouse_id: 'wh_east', reason: 'shrinkage' })
  t.equal(res.status, 200)

  const [ledger] = await sandbox.adjustments({ access_token: conn.access_token })
  t.match(ledger, { product_id: 'tee_s', before: 5, after: 3, status: 'applied' })
  const [entry] = await sandbox.requests({ access_token: conn.access_token, limit: 1, status: undefined })
  t.match(entry, { method: 'PUT', status: 200, product_id: 'tee_s' })

  await sandbox.snapshot('one-sale')
  await adjust(sandbox, conn.access_token, conn.api_key, 'tee_s', { quantity: 3, adjustment_type: 'decrease', warehouse_id: 'wh_east', reason: 'shrinkage' })
  await sandbox.restore('one-sale')
  t.equal((await sandbox.adjustments({ product_id: 'tee_s' })).length, 1)

  const fault = await sandbox.addFault({ match: { access_token: conn.access_token }, action: { status: 429 }, times: 1 })
  t.match(fault.id, /^flt_/)
  t.equal((await adjust(sandbox, conn.access_token, conn.api_key, 'tee_s', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_east', reason: 'received' })).status, 429)
  await sandbox.addFault({ action: { status: 500 } })
  await sandbox.clearFaults()

  await sandbox.setClock(new Date('2030-06-01T00:00:00Z'))
  await sandbox.setClock('2030-06-02T00:00:00Z')
  t.equal((await sandbox.app.inject({ url: '/_sandbox/clock' })).json().now, '2030-06-02T00:00:00.000Z')
  await sandbox.resetClock()

  await sandbox.reset()
  t.same(await sandbox.adjustments(), [], 'reset empties the ledger')
  await t.rejects(sandbox.restore('missing'), { name: 'SandboxClientError', statusCode: 404, body: { id: 'missing' } })
  const err = await sandbox.createConnection({ integration: 'shopify', api_key: 'no_such_key' }).catch((e: unknown) => e)
  t.ok(err instanceof SandboxRequestError)
  t.match((err as SandboxRequestError).message, /^POST \/_sandbox\/connections answered 422: /)
  await t.rejects(sandbox.createConnection({ integration: 'nope' as 'shopify' }), { name: 'SandboxInputError', field: 'integration' }, 'an unknown slug is refused before sending')
})

t.test('many sandboxes in one process do not interfere', async (t) => {
  const [a, b] = await Promise.all([startSandbox(), startSandbox()])
  t.teardown(async () => { await a?.close(); await b?.close() })
  if (!a || !b) throw new Error('unreachable')
  t.not(a.port, b.port)
  const body = { quantity: 7, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }
  t.equal((await adjust(a, 'acme_shopify_token', 'sandbox_api_key', 'shp_tee_001_m', body)).status, 200)
  await a.setClock('2030-01-01T00:00:00Z')
  await a.addFault({ action: { status: 500 } })
  t.equal((await a.adjustments()).length, 1)
  t.equal((await b.adjustments()).length, 0)
  t.equal((await b.requests()).length, 0)
  t.equal((await b.app.inject({ url: '/_sandbox/clock' })).json().frozen, false)
  t.equal((await adjust(b, 'acme_shopify_token', 'sandbox_api_key', 'shp_tee_001_m', body)).status, 200, 'b has no fault')
})

t.test('options: an admin token the helpers send, a journal size, a log level', async (t) => {
  const sandbox = await startSandbox({ adminToken: 'lib-admin', journalSize: 1, rateLimit: false, logLevel: 'silent', host: '127.0.0.1', port: 0 })
  t.teardown(() => sandbox.close())
  t.equal((await fetch(`${sandbox.url}/_sandbox/requests`)).status, 401, 'curl needs the token')
  await fetch(`${sandbox.url}/cart/warehouses`)
  await fetch(`${sandbox.url}/cart/products`)
  const entries = await sandbox.requests()
  t.same(entries.map((e) => e.path), ['/cart/products'], 'the helpers send it; the journal keeps 1')
})

t.test('buildApp: the sandbox as a Fastify instance that does not listen, answering through inject()', async (t) => {
  const app = await buildApp({ dbPath: ':memory:' }, { logger: false })
  t.teardown(() => app.close())
  const health = await app.inject({ url: '/_sandbox/health' })
  t.equal(health.statusCode, 200)
  t.equal(health.json().status, 'ok')
})

// x-request-id on every answer: the client's own when sane, else a UUID; the same id in the logs and the ledger.
import t from 'tap'
import { Writable } from 'node:stream'
import { buildApp } from '../../src/app.js'
import { headersFor, listen } from '../helper.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('a sane client id is echoed; anything else gets a fresh UUID', async (t) => {
  const { url } = await listen(t)
  const idOf = async (id?: string) => (await fetch(`${url}/_sandbox/health`, { headers: id === undefined ? {} : { 'x-request-id': id } })).headers.get('x-request-id')
  t.equal(await idOf('client-trace-42'), 'client-trace-42')
  t.equal(await idOf('x'.repeat(200)), 'x'.repeat(200))
  t.match(await idOf('x'.repeat(201)), UUID, 'too long')
  t.match(await idOf('has space'), UUID, 'not visible ASCII')
  t.match(await idOf(''), UUID, 'empty')
  t.match(await idOf(), UUID, 'absent')
  const a = await idOf()
  t.not(a, await idOf(), 'fresh each time')
})

t.test('every kind of answer carries it: 404, 405, 415, 422, 429, 200, control plane', async (t) => {
  const { app, url } = await listen(t, { rateLimit: true })
  app.sandbox.clock.freeze(Date.parse('2030-01-01T00:00:00Z'))
  const headers = headersFor('shopify')
  const answers = [
    await fetch(`${url}/no/such/route`),
    await fetch(`${url}/cart/products`, { method: 'DELETE', headers }),
    await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: { ...headers, 'content-type': 'text/plain' }, body: 'hi' }),
    await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' }),
    await fetch(`${url}/_sandbox/integrations`)
  ]
  for (let i = 0; i < 11; i++) answers.push(await fetch(`${url}/cart/warehouses`, { headers }))
  t.same(answers.map((r) => r.status), [404, 405, 415, 422, 200, ...Array(10).fill(200), 429])
  for (const res of answers) t.match(res.headers.get('x-request-id'), UUID, `${res.status} has an id`)
})

t.test('the id in x-request-id is the one in the logs and in the ledger row', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done() } })
  const app = await buildApp({ dbPath: ':memory:', rateLimit: false }, { logger: { level: 'info', stream } })
  t.teardown(() => app.close())
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const res = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor('shopify'), 'content-type': 'application/json', 'x-request-id': 'trace-adjust-1' },
    body: JSON.stringify({ quantity: 2, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
  })
  t.equal(res.status, 200)
  t.equal(res.headers.get('x-request-id'), 'trace-adjust-1')
  const logged = lines.filter((line) => line.reqId === 'trace-adjust-1').map((line) => line.msg)
  t.same(logged, ['incoming request', 'request completed'])
  const ledger = app.sandbox.ledger.list({ limit: 1 }).data[0]
  t.equal(ledger?.request_id, 'trace-adjust-1')
  t.equal(ledger?.product_id, 'shp_tee_001_m')
})

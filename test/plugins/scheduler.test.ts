// NuOrder future_date: pending until due, applied exactly once when due (read or not), across restarts and clock moves.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { headersFor, tempDir } from '../helper.js'
import { startReceiver } from '../webhook-receiver.js'

const T0 = Date.parse('2030-01-01T00:00:00Z')
const PRODUCT = 'nuo_jkt_001_m'
const headers = headersFor('nuorder')
const body = (futureMs: number) => ({ quantity: 8, adjustment_type: 'increase', warehouse_id: 'wh_la_wholesale', future_date: new Date(futureMs).toISOString() })

async function start (t: Parameters<typeof tempDir>[0], dbPath = ':memory:') {
  const app = await buildApp({ dbPath, rateLimit: false }, { logger: false })
  t.teardown(() => app.close())
  return app
}
const stockOf = async (app: Awaited<ReturnType<typeof start>>) =>
  (await app.inject({ url: `/cart/products/${PRODUCT}`, headers })).json().data.inventory_by_warehouse_id.wh_la_wholesale as number
const adjust = (app: Awaited<ReturnType<typeof start>>, payload: object) =>
  app.inject({ method: 'PUT', url: `/cart/products/${PRODUCT}/adjust-inventory`, headers, payload })

t.test('a future adjustment is pending, then applied once when the clock passes it', async (t) => {
  const app = await start(t)
  app.sandbox.clock.freeze(T0)
  const before = await stockOf(app)
  const res = await adjust(app, body(T0 + 3600_000))
  t.equal(res.statusCode, 200)
  t.equal(res.json().data.inventory_by_warehouse_id.wh_la_wholesale, before, 'answered with the stock unchanged')
  t.match(app.sandbox.ledger.list({ limit: 1 }).data[0], { status: 'pending', applies_at: '2030-01-01T01:00:00Z', before: null })
  app.sandbox.clock.freeze(T0 + 3599_000)
  t.equal(await stockOf(app), before, 'not yet due')

  app.sandbox.clock.freeze(T0 + 3600_000)
  t.equal(await stockOf(app), before + 8, 'due: visible to the next read')
  t.equal(await stockOf(app), before + 8, 'exactly once')
  t.match(app.sandbox.ledger.list({ limit: 1 }).data[0], { status: 'applied', before, after: before + 8, applied_at: '2030-01-01T01:00:00Z' })
})

t.test('applied when due although nobody reads, with its webhook; a clock moved past it applies it without a read', async (t) => {
  const app = await start(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const receiver = await startReceiver(t)
  await fetch(`${url}/_sandbox/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: receiver.url }) })
  const before = await stockOf(app)

  // Real time: due in 300 ms; the only thing that happens afterwards is the timer.
  const res = await adjust(app, body(Date.now() + 300))
  t.equal(res.json().data.inventory_by_warehouse_id.wh_la_wholesale, before)
  // The variant's event (its parent gets one too: its sums moved).
  const variantEvents = (hits: Array<{ body: string }>) => hits.map((h) => JSON.parse(h.body)).filter((e) => e.data.id !== e.data.parent_product_id)
  const [event] = variantEvents(await receiver.next(2))
  t.equal(event.data.inventory_by_warehouse_id.wh_la_wholesale, before + 8)
  t.equal(event.previous_attributes['inventory_by_warehouse_id.wh_la_wholesale'], before)
  t.equal(app.sandbox.ledger.list({ limit: 1 }).data[0]?.request_id, res.headers['x-request-id'], 'the event carries the scheduling request id')

  // Frozen clock: due an hour later; moving the clock, then any answer (here the control plane's) re-arms the timer.
  app.sandbox.clock.freeze(T0)
  await adjust(app, body(T0 + 3600_000))
  app.sandbox.clock.freeze(T0 + 7200_000)
  await fetch(`${url}/_sandbox/health`)
  const [, second] = variantEvents(await receiver.next(4))
  t.equal(second.data.inventory_by_warehouse_id.wh_la_wholesale, before + 16)
})

t.test('a pending adjustment survives a restart and is applied by the next process', async (t) => {
  const dbPath = `${tempDir(t)}/sandbox.sqlite`
  const first = await buildApp({ dbPath, rateLimit: false }, { logger: false })
  const before = await stockOf(first)
  first.sandbox.clock.freeze(T0)
  t.equal((await adjust(first, body(T0 + 60_000))).statusCode, 200)
  await first.close()

  const second = await start(t, dbPath)
  second.sandbox.clock.freeze(T0 + 30_000)
  t.equal(await stockOf(second), before, 'still pending after the restart')
  second.sandbox.clock.freeze(T0 + 60_000)
  t.equal(second.sandbox.inventory.applyDue(), 1)
  t.equal(await stockOf(second), before + 8)
  t.equal(second.sandbox.inventory.applyDue(), 0, 'never twice')
})

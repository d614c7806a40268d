// Reset, named snapshots and the sandbox clock: back to a known state in milliseconds, and time a test can move.
import t from 'tap'
import { join } from 'node:path'
import { adjust, build, headersFor, tempDir } from '../../helper.js'
import type { FastifyInstance } from 'fastify'

const increase = { quantity: 3, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }
const stock = async (app: FastifyInstance) => (await app.inject({ url: '/cart/products/shp_tee_001_m', headers: headersFor('shopify') })).json().data.inventory_by_warehouse_id.wh_nyc
const post = (app: FastifyInstance, url: string, payload?: object) => app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) })

t.test('reset clears stores, ledger, journal, faults and the clock, and keeps snapshots', async (t) => {
  const app = await build(t)
  await adjust(app, 'shopify', 'shp_tee_001_m', increase)
  await post(app, '/_sandbox/snapshots', { name: 'kept' })
  await post(app, '/_sandbox/faults', { match: { product_id: 'nope' }, action: { status: 500 } })
  await post(app, '/_sandbox/clock', { now: '2030-01-01T00:00:00Z' })
  const res = await post(app, '/_sandbox/reset')
  t.equal(res.statusCode, 200)
  t.equal(await stock(app), 249)
  t.equal((await app.inject({ url: '/_sandbox/adjustments' })).json().total_count, 0)
  t.equal((await app.inject({ url: '/_sandbox/requests' })).json().total_count, 1, 'only the read after the reset')
  t.equal((await app.inject({ url: '/_sandbox/faults' })).json().total_count, 0)
  t.same((await app.inject({ url: '/_sandbox/clock' })).json().frozen, false)
  t.same((await app.inject({ url: '/_sandbox/snapshots' })).json().data.map((s: { name: string }) => s.name), ['kept'])
})

t.test('a snapshot restores stores, ledger and the clock setting; the journal keeps what happened', async (t) => {
  const app = await build(t)
  await adjust(app, 'shopify', 'shp_tee_001_m', increase)
  await post(app, '/_sandbox/clock', { now: '2030-01-01T00:00:00Z' })
  const created = await post(app, '/_sandbox/snapshots', { name: 'after-one.v1_x' })
  t.equal(created.statusCode, 201)
  t.match(created.json(), { name: 'after-one.v1_x', bytes: Number })
  await app.inject({ method: 'DELETE', url: '/_sandbox/clock' })
  await adjust(app, 'shopify', 'shp_tee_001_m', increase)
  await post(app, '/_sandbox/connections', { integration: 'wix' })
  t.equal(await stock(app), 255)

  const restored = await post(app, '/_sandbox/snapshots/after-one.v1_x/restore')
  t.equal(restored.statusCode, 200)
  t.same(restored.json(), { status: 'restored', name: 'after-one.v1_x', connections: 21 })
  t.equal(await stock(app), 252)
  t.equal((await app.inject({ url: '/_sandbox/adjustments' })).json().total_count, 1)
  t.same((await app.inject({ url: '/_sandbox/clock' })).json(), { now: '2030-01-01T00:00:00.000Z', frozen: true })
  t.ok((await app.inject({ url: '/_sandbox/requests' })).json().total_count >= 3, 'the journal is not rewound')

  // The ledger's ids keep counting from the snapshot, and restoring twice gives the same state.
  await adjust(app, 'shopify', 'shp_tee_001_m', increase)
  await post(app, '/_sandbox/snapshots/after-one.v1_x/restore')
  t.equal(await stock(app), 252)

  await post(app, '/_sandbox/snapshots', { name: 'real-time' })
  await post(app, '/_sandbox/snapshots/after-one.v1_x/restore')
  await post(app, '/_sandbox/snapshots/real-time/restore')
  t.equal((await app.inject({ url: '/_sandbox/clock' })).json().frozen, true, 'taken while frozen')
  await app.inject({ method: 'DELETE', url: '/_sandbox/clock' })
  await post(app, '/_sandbox/snapshots', { name: 'real-time' })
  await post(app, '/_sandbox/clock', { now: '2031-01-01T00:00:00Z' })
  await post(app, '/_sandbox/snapshots/real-time/restore')
  t.equal((await app.inject({ url: '/_sandbox/clock' })).json().frozen, false, 'taken on real time, replaced under the same name')
  t.same((await app.inject({ url: '/_sandbox/snapshots' })).json().data.map((s: { name: string }) => s.name), ['real-time', 'after-one.v1_x'])
})

t.test('snapshot names, unknown snapshots, deleting and the bound', async (t) => {
  const app = await build(t)
  for (const name of ['', 'has space', 'x'.repeat(65), 'slash/no']) t.equal((await post(app, '/_sandbox/snapshots', { name })).statusCode, 422, name)
  t.equal((await post(app, '/_sandbox/snapshots', {})).statusCode, 422)
  const unknown = await post(app, '/_sandbox/snapshots/nope/restore')
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { error: 'No snapshot named nope.', origin: 'trackstar', id: 'nope' })
  t.equal((await post(app, '/_sandbox/snapshots/bad%20name/restore')).statusCode, 422)

  await post(app, '/_sandbox/snapshots', { name: 'gone' })
  t.equal((await app.inject({ method: 'DELETE', url: '/_sandbox/snapshots/gone' })).statusCode, 204)
  t.equal((await app.inject({ method: 'DELETE', url: '/_sandbox/snapshots/gone' })).statusCode, 404)
  t.equal((await app.inject({ url: '/_sandbox/snapshots' })).json().total_count, 0)

  for (let i = 0; i < 100; i++) t.equal((await post(app, '/_sandbox/snapshots', { name: `s${i}` })).statusCode, 201)
  const full = await post(app, '/_sandbox/snapshots', { name: 'one-more' })
  t.equal(full.statusCode, 422)
  t.same(full.json().detail, { json: { name: ['At most 100 snapshots: delete one first.'] } })
  t.equal((await post(app, '/_sandbox/snapshots', { name: 's0' })).statusCode, 201, 'replacing one is still allowed')
})

t.test('snapshots work the same on a database file', async (t) => {
  const app = await build(t, { dbPath: join(tempDir(t), 'sandbox.sqlite') })
  await post(app, '/_sandbox/snapshots', { name: 'clean' })
  await adjust(app, 'shopify', 'shp_tee_001_m', increase)
  t.equal(await stock(app), 252)
  t.equal((await post(app, '/_sandbox/snapshots/clean/restore')).statusCode, 200)
  t.equal(await stock(app), 249)
  t.equal((await adjust(app, 'shopify', 'shp_tee_001_m', increase)).statusCode, 200, 'the prepared statements still work')
})

t.test('the clock: freeze, move, scheduled NuOrder adjustments applied when due, back to real time', async (t) => {
  const app = await build(t)
  const frozen = await post(app, '/_sandbox/clock', { now: '2030-01-01T00:00:00Z' })
  t.same(frozen.json(), { now: '2030-01-01T00:00:00.000Z', frozen: true, applied: 0 })
  const res = await adjust(app, 'nuorder', 'nuo_jkt_001_m', { quantity: 5, adjustment_type: 'increase', warehouse_id: 'wh_la_wholesale', future_date: '2030-01-02T00:00:00Z' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().data.inventory_by_warehouse_id.wh_la_wholesale, 42, 'not yet')
  t.equal((await app.inject({ url: '/_sandbox/adjustments?status=pending' })).json().total_count, 1)

  const moved = await post(app, '/_sandbox/clock', { advance_ms: 86_400_000 })
  t.same(moved.json(), { now: '2030-01-02T00:00:00.000Z', frozen: true, applied: 1 })
  const [entry] = (await app.inject({ url: '/_sandbox/adjustments' })).json().data
  t.match(entry, { status: 'applied', before: 42, after: 47, applied_at: '2030-01-02T00:00:00Z' })
  const product = (await app.inject({ url: '/cart/products/nuo_jkt_001_m', headers: headersFor('nuorder') })).json().data
  t.equal(product.updated_date, '2030-01-02T00:00:00Z', 'dates follow the sandbox clock')

  t.same((await app.inject({ url: '/_sandbox/clock' })).json(), { now: '2030-01-02T00:00:00.000Z', frozen: true })
  const real = await app.inject({ method: 'DELETE', url: '/_sandbox/clock' })
  t.equal(real.json().frozen, false)
  t.equal(real.json().applied, 0)

  t.equal((await post(app, '/_sandbox/clock', {})).statusCode, 422)
  t.equal((await post(app, '/_sandbox/clock', { now: '2030-01-01T00:00:00Z', advance_ms: 1 })).statusCode, 422)
  t.equal((await post(app, '/_sandbox/clock', { now: 'tomorrow' })).statusCode, 422)
  t.equal((await post(app, '/_sandbox/clock', { advance_ms: -1 })).statusCode, 422)
})

t.test('a leap second cannot freeze the clock', async (t) => {
  const app = await build(t)
  const res = await post(app, '/_sandbox/clock', { now: '2030-06-30T23:59:60Z' })
  t.equal(res.statusCode, 422)
  t.same(res.json().detail, { json: { now: ['Not a representable instant: use a time without a leap second.'] } })
  t.equal((await app.inject({ url: '/_sandbox/clock' })).json().frozen, false)
})

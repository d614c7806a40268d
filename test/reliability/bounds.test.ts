// Bounded state under load: the journal, faults, idempotency keys and snapshots stop at their limits however much is pushed.
import t from 'tap'
import { IDEMPOTENCY_CAPACITY, IDEMPOTENCY_TTL_MS, IdempotencyRepository } from '../../src/db/repositories/idempotency.js'
import { build, headersFor } from '../helper.js'
import { STRESS } from './server-process.js'

// The documented limits, written out: the tests must not follow the constants if someone changes them.
const MAX_FAULTS = 100
const MAX_SNAPSHOTS = 100
const INCREASE = { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }
const ERROR_SHAPE = { error: String, origin: 'trackstar' }

t.test('the journal keeps its newest journalSize entries and no more', async (t) => {
  const journalSize = STRESS ? 1000 : 20
  const pushed = STRESS ? 20_000 : 150
  const app = await build(t, { journalSize })
  for (let i = 0; i < pushed; i++) {
    const res = i % 3 === 0
      ? await app.inject({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: { ...headersFor('shopify'), 'x-request-id': `bound-${i}` }, payload: INCREASE })
      : await app.inject({ url: i % 3 === 1 ? '/cart/products?limit=1' : '/nowhere', headers: { ...headersFor('shopify'), 'x-request-id': `bound-${i}` } })
    if (res.statusCode >= 500) t.fail(`request ${i}: ${res.statusCode}`)
    if (i === journalSize) t.equal(app.sandbox.journal.count, journalSize, 'full at journalSize')
  }
  t.equal(app.sandbox.journal.count, journalSize, `${pushed} requests, ${journalSize} entries kept`)
  const list = await app.inject({ url: '/_sandbox/requests?limit=1000' })
  t.equal(list.json().total_count, journalSize)
  t.same(list.json().data.map((e: { request_id: string }) => e.request_id), Array.from({ length: journalSize }, (_, i) => `bound-${pushed - 1 - i}`), 'the newest ones, newest first')
  t.equal((await app.inject({ url: `/_sandbox/requests/bound-${pushed - journalSize - 1}` })).statusCode, 404, 'the oldest dropped out')
})

t.test('faults stop at their limit with a 422 that changes nothing, and free up when deleted', async (t) => {
  const app = await build(t)
  const fault = (i: number) => ({ match: { path: `/nowhere/${i}` }, action: { status: 503 } })
  const ids: string[] = []
  for (let i = 0; i < MAX_FAULTS; i++) {
    const res = await app.inject({ method: 'POST', url: '/_sandbox/faults', payload: fault(i) })
    if (res.statusCode !== 201) t.fail(`fault ${i}: ${res.statusCode}`)
    ids.push(res.json().id as string)
  }
  for (let i = 0; i < (STRESS ? 1000 : 20); i++) {
    const over = await app.inject({ method: 'POST', url: '/_sandbox/faults', payload: fault(MAX_FAULTS + i) })
    if (over.statusCode !== 422) t.fail(`fault over the limit answered ${over.statusCode}`)
    t.match(over.json(), ERROR_SHAPE)
  }
  t.equal(app.sandbox.faults.list().length, MAX_FAULTS, `still ${MAX_FAULTS} faults`)
  const listed = await app.inject({ url: '/_sandbox/faults' })
  t.equal(listed.json().data.length, MAX_FAULTS)
  t.equal((await app.inject({ method: 'DELETE', url: `/_sandbox/faults/${ids[0] as string}` })).statusCode, 204)
  t.equal((await app.inject({ method: 'POST', url: '/_sandbox/faults', payload: fault(0) })).statusCode, 201, 'a deleted fault frees a place')
  t.equal(app.sandbox.faults.list().length, MAX_FAULTS)
})

t.test('snapshots stop at their limit; replacing one by name still works', async (t) => {
  const app = await build(t)
  for (let i = 0; i < MAX_SNAPSHOTS; i++) {
    const res = await app.inject({ method: 'POST', url: '/_sandbox/snapshots', payload: { name: `s${i}` } })
    if (res.statusCode !== 201) t.fail(`snapshot ${i}: ${res.statusCode}`)
  }
  for (let i = 0; i < (STRESS ? 200 : 10); i++) {
    const over = await app.inject({ method: 'POST', url: '/_sandbox/snapshots', payload: { name: `over${i}` } })
    t.equal(over.statusCode, 422, `snapshot over${i}: 422`)
    t.match(over.json(), ERROR_SHAPE)
  }
  t.equal(app.sandbox.snapshots.list().length, MAX_SNAPSHOTS, `still ${MAX_SNAPSHOTS} snapshots`)
  t.equal((await app.inject({ method: 'POST', url: '/_sandbox/snapshots', payload: { name: 's7' } })).statusCode, 201, 'an existing name is replaced, not refused')
  t.equal((await app.inject({ method: 'POST', url: '/_sandbox/snapshots/s7/restore' })).statusCode, 200, 'and restores')
  t.equal((await app.inject({ url: '/_sandbox/snapshots' })).json().total_count, MAX_SNAPSHOTS)
})

const storedKeys = (app: Awaited<ReturnType<typeof build>>): number =>
  (app.sandbox.db.prepare('SELECT count(*) AS n FROM idempotency_keys').get() as { n: number }).n

t.test('the idempotency store keeps its newest `capacity` keys', async (t) => {
  // buildApp has no capacity option, so the repository's bound is tested on its own with a small capacity.
  const app = await build(t)
  const store = new IdempotencyRepository(app.sandbox.db, 5, IDEMPOTENCY_TTL_MS)
  const now = app.sandbox.clock.nowMs()
  for (let i = 0; i < 50; i++) store.save('conn_acme_shopify', `key-${i}`, { fingerprint: 'f', request_id: `r${i}`, status: 200, body: '{}', created_ms: now })
  t.equal(storedKeys(app), 5, '50 keys saved, 5 kept')
  t.ok(store.find('conn_acme_shopify', 'key-49', now), 'the newest is kept')
  t.equal(store.find('conn_acme_shopify', 'key-44', now), undefined, 'the oldest went')
  t.equal(IDEMPOTENCY_CAPACITY, 10_000, 'the app keeps 10 000 keys')
})

t.test('idempotent writes over the API stay within the store\'s capacity', async (t) => {
  const app = await build(t)
  // CI pushes a few hundred; the stress run goes past the real capacity.
  const writes = STRESS ? IDEMPOTENCY_CAPACITY + 500 : 300
  for (let i = 0; i < writes; i++) {
    const res = await app.inject({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: { ...headersFor('shopify'), 'idempotency-key': `bounded-${i}` }, payload: INCREASE })
    if (res.statusCode !== 200) t.fail(`write ${i}: ${res.statusCode}`)
  }
  t.equal(storedKeys(app), Math.min(writes, IDEMPOTENCY_CAPACITY), `${writes} keyed writes, ${Math.min(writes, IDEMPOTENCY_CAPACITY)} keys stored`)
  const replay = await app.inject({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: { ...headersFor('shopify'), 'idempotency-key': `bounded-${writes - 1}` }, payload: INCREASE })
  t.equal(replay.headers['idempotent-replayed'], 'true', 'the newest key still replays')
})

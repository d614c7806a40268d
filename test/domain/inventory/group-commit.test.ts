// Group commit: requests of one event-loop turn share a commit, each stays atomic, and nobody hears "done" before it.
import t from 'tap'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { GroupCommit } from '../../../src/domain/inventory/group-commit.js'
import { adjust, build, headersFor, listen, tempDir } from '../../helper.js'
import { findIntegration, type IntegrationRow } from '../../../src/schemas/integrations.js'

function database () {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED); PRAGMA foreign_keys = ON')
  return db
}

class Refused extends Error {}

t.test('writes of one turn share one transaction, committed before durable settles; a refusal changes nothing', async (t) => {
  const db = database()
  let rollbacks = 0
  const batch = new GroupCommit(db, { onRollback: () => { rollbacks++ }, isRefusal: (err) => err instanceof Refused })
  const first = batch.run(() => db.prepare('INSERT INTO parent (id) VALUES (1)').run().changes)
  t.equal(first.value, 1)
  t.ok(db.inTransaction, 'the commit waits for the end of the turn')
  t.throws(() => batch.run(() => { throw new Refused('refused') }), /refused/)
  const third = batch.run(() => db.prepare('INSERT INTO parent (id) VALUES (3)').run().changes)
  await Promise.all([first.durable, third.durable])
  t.notOk(db.inTransaction)
  t.same(db.prepare('SELECT id FROM parent ORDER BY id').all(), [{ id: 1 }, { id: 3 }])
  t.equal(rollbacks, 0, 'a refusal undoes nothing')
})

t.test('any other throw is a defect: the whole batch is undone, every waiter rejected, caches told', async (t) => {
  const db = database()
  let rollbacks = 0
  const batch = new GroupCommit(db, { onRollback: () => { rollbacks++ }, isRefusal: (err) => err instanceof Refused })
  const first = batch.run(() => db.prepare('INSERT INTO parent (id) VALUES (1)').run())
  t.throws(() => batch.run(() => {
    db.prepare('INSERT INTO parent (id) VALUES (2)').run()
    throw new Error('disk on fire')
  }), /disk on fire/)
  await t.rejects(first.durable, /disk on fire/)
  t.notOk(db.inTransaction)
  t.equal(rollbacks, 1)
  t.same(db.prepare('SELECT count(*) AS n FROM parent').get(), { n: 0 })
  const next = batch.run(() => db.prepare('INSERT INTO parent (id) VALUES (4)').run())
  await next.durable
  t.same(db.prepare('SELECT id FROM parent').all(), [{ id: 4 }], 'the next turn starts a fresh batch')
})

t.test('a failed commit rolls the whole batch back and rejects every waiter', async (t) => {
  const db = database()
  let rollbacks = 0
  const batch = new GroupCommit(db, { onRollback: () => { rollbacks++ } })
  const ok = batch.run(() => db.prepare('INSERT INTO parent (id) VALUES (1)').run())
  // A deferred foreign key is only checked at COMMIT, which then fails.
  const bad = batch.run(() => db.prepare('INSERT INTO child (id, parent) VALUES (1, 99)').run())
  await t.rejects(ok.durable, /FOREIGN KEY/)
  await t.rejects(bad.durable, /FOREIGN KEY/)
  t.notOk(db.inTransaction)
  t.equal(rollbacks, 1)
  t.same(db.prepare('SELECT count(*) AS n FROM parent').get(), { n: 0 })
})

t.test("inside a caller's own transaction it nests in a savepoint, durable with the caller's commit", async (t) => {
  const db = database()
  let rollbacks = 0
  const batch = new GroupCommit(db, { onRollback: () => { rollbacks++ }, isRefusal: (err) => err instanceof Refused })
  const outcome = db.transaction(() => {
    t.throws(() => batch.run(() => { throw new Refused('refused') }))
    t.throws(() => batch.run(() => {
      db.prepare('INSERT INTO parent (id) VALUES (8)').run()
      throw new Error('defect')
    }))
    t.equal(rollbacks, 1, 'only the defect undid writes')
    return batch.run(() => db.prepare('INSERT INTO parent (id) VALUES (7)').run().changes)
  })()
  t.equal(outcome.value, 1)
  await outcome.durable
  t.notOk(db.inTransaction)
  batch.flush()
  t.same(db.prepare('SELECT id FROM parent').all(), [{ id: 7 }])
})

t.test('concurrent adjustments are each applied once, a refused one changes nothing, and all survive a restart', async (t) => {
  const dbPath = join(tempDir(t), 'sandbox.sqlite')
  const { app, url } = await listen(t, { dbPath })
  const put = (quantity: number, type: string) => fetch(`${url}/cart/products/shp_tee_001_l/adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor('shopify'), 'content-type': 'application/json' },
    body: JSON.stringify({ quantity, adjustment_type: type, warehouse_id: 'wh_nyc', reason: 'received' })
  }).then((res) => res.status)
  // shp_tee_001_l starts with 2 in wh_nyc: +1 ×10 and one -1000 that must be refused.
  const statuses = await Promise.all([...Array.from({ length: 10 }, () => put(1, 'increase')), put(1000, 'decrease')])
  t.same(statuses.filter((s) => s === 200).length, 10)
  t.same(statuses.at(-1), 422)
  t.equal(app.sandbox.ledger.list({ productId: 'shp_tee_001_l', limit: 100 }).total, 10)
  await app.close()

  const again = await build(t, { dbPath })
  const read = await again.inject({ url: '/cart/products/shp_tee_001_l', headers: headersFor('shopify') })
  t.equal(read.json().data.inventory_by_warehouse_id.wh_nyc, 12)
})

t.test('listeners hear of an adjustment only once it is committed', async (t) => {
  const app = await build(t)
  const heard: string[] = []
  app.sandbox.inventory.onApplied((change) => heard.push(change.requestId))
  const connection = app.sandbox.tenants.findConnectionByToken('acme_shopify_token')
  t.ok(connection)
  if (!connection) return
  const integration = findIntegration('shopify') as IntegrationRow
  const result = app.sandbox.inventory.adjust(connection, integration, 'shp_tee_001_m', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }, 'req_direct')
  t.same(heard, [], 'not while the commit is still pending')
  await result.durable
  t.same(heard, ['req_direct'])

  const res = await adjust(app, 'shopify', 'shp_tee_001_m', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
  t.equal(res.statusCode, 200)
  t.same(heard, ['req_direct', res.headers['x-request-id']], 'an answered adjustment has been heard')
  app.sandbox.inventory.adjust(connection, integration, 'shp_tee_001_m', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }, 'req_before_reset')
  t.ok(app.sandbox.db.inTransaction)
  app.sandbox.reset()
  t.notOk(app.sandbox.db.inTransaction, 'a reset commits what is pending first')
})

t.test('any other handler first commits what adjustments left pending: no uncommitted reads, no early answers', async (t) => {
  const app = await build(t)
  const connection = app.sandbox.tenants.findConnectionByToken('acme_shopify_token')
  t.ok(connection)
  if (!connection) return
  const integration = findIntegration('shopify') as IntegrationRow
  const pending = () => app.sandbox.inventory.adjust(connection, integration, 'shp_tee_001_m', { quantity: 5, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }, 'req_pending')
  pending()
  t.ok(app.sandbox.db.inTransaction, 'a batch is open')
  const read = await app.inject({ url: '/cart/products/shp_tee_001_m', headers: headersFor('shopify') })
  t.equal(read.json().data.inventory_by_warehouse_id.wh_nyc, 254)
  t.notOk(app.sandbox.db.inTransaction, 'the read committed the batch before reading')

  pending()
  const created = await app.inject({ method: 'POST', url: '/_sandbox/connections', payload: { integration: 'etsy' } })
  t.equal(created.statusCode, 201)
  t.notOk(app.sandbox.db.inTransaction, 'the control plane answers only committed writes')
})

t.test('what a batch staged is written by beforeCommit inside its transaction, once, and undone with it', async (t) => {
  const db = database()
  const staged: number[] = []
  let failNext = false
  let rollbacks = 0
  const batch = new GroupCommit(db, {
    onRollback: () => { rollbacks++; staged.length = 0 },
    beforeCommit: () => {
      if (failNext) throw new Error('write failed')
      for (const id of staged.splice(0)) db.prepare('INSERT INTO parent (id) VALUES (?)').run(id)
    }
  })
  const one = batch.run(() => staged.push(1))
  const two = batch.run(() => staged.push(2))
  await Promise.all([one.durable, two.durable])
  t.same(db.prepare('SELECT id FROM parent ORDER BY id').all(), [{ id: 1 }, { id: 2 }])

  failNext = true
  const three = batch.run(() => staged.push(3))
  await t.rejects(three.durable, /write failed/)
  t.equal(rollbacks, 1)
  t.notOk(db.inTransaction)

  failNext = false
  const nested = db.transaction(() => batch.run(() => staged.push(4)))()
  await nested.durable
  t.same(db.prepare('SELECT id FROM parent ORDER BY id').all(), [{ id: 1 }, { id: 2 }, { id: 4 }], "staged writes land in the caller's transaction")
})

t.test('without hooks every throw is a defect that undoes the batch', async (t) => {
  const db = database()
  const batch = new GroupCommit(db)
  const first = batch.run(() => db.prepare('INSERT INTO parent (id) VALUES (1)').run())
  t.throws(() => batch.run(() => { throw new Refused('no isRefusal given') }))
  await t.rejects(first.durable, /no isRefusal given/)
  t.same(db.prepare('SELECT count(*) AS n FROM parent').get(), { n: 0 })
})

// Migrations apply once each, in order; a file database keeps its data across a real restart.
import t from 'tap'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { migrate, openDatabase, readMigrations, MIGRATIONS_DIR } from '../../src/db/database.js'
import { AdjustmentRepository } from '../../src/db/repositories/adjustments.js'
import { headersFor, listen, tempDir } from '../helper.js'

t.test('migrations are applied once, in order, and recorded in user_version', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.close())
  const versions = readMigrations(MIGRATIONS_DIR).map((m) => m.version)
  t.same(versions, [...versions].sort((a, b) => a - b))
  t.equal(db.pragma('user_version', { simple: true }), versions.at(-1))
  t.equal(migrate(db, MIGRATIONS_DIR), 0, 'a second run applies nothing')
})

t.test('a failing migration names itself and leaves nothing half-done', async (t) => {
  const dir = tempDir(t)
  const migrations = join(dir, 'migrations')
  mkdirSync(migrations)
  writeFileSync(join(migrations, '001_ok.sql'), 'CREATE TABLE a (x INTEGER);')
  writeFileSync(join(migrations, '002_broken.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);')
  writeFileSync(join(migrations, 'notes.txt'), 'ignored')
  t.throws(() => openDatabase(join(dir, 'db.sqlite'), migrations), /Migration 2 \(broken\) failed/)
  const db = new Database(join(dir, 'db.sqlite'))
  t.teardown(() => db.close())
  t.equal(db.pragma('user_version', { simple: true }), 1, 'the good migration stays applied')
  t.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get() as { n: number }).n, 0, 'the broken one left no table')
})

t.test('data written over HTTP survives a restart on the same file', async (t) => {
  const dir = tempDir(t)
  const dbPath = join(dir, 'sandbox.sqlite')
  const first = await listen(t, { dbPath })
  const put = await fetch(`${first.url}/cart/products/shp_tee_001_m/adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor('shopify'), 'content-type': 'application/json' },
    body: JSON.stringify({ quantity: 321, adjustment_type: 'exact', warehouse_id: 'wh_reno', reason: 'correction' })
  })
  t.equal(put.status, 200)
  first.app.sandbox.clock.freeze(Date.parse('2030-01-01T00:00:00Z'))
  const scheduled = await fetch(`${first.url}/cart/products/nuo_jkt_001_s/adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor('nuorder'), 'content-type': 'application/json' },
    body: JSON.stringify({ quantity: 7, adjustment_type: 'increase', warehouse_id: 'wh_la_wholesale', future_date: '2030-06-01T00:00:00Z' })
  })
  t.equal(scheduled.status, 200)
  await first.app.close()

  const second = await listen(t, { dbPath })
  const res = await fetch(`${second.url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') })
  const body = await res.json() as { data: { inventory_by_warehouse_id: Record<string, number> } }
  t.equal(body.data.inventory_by_warehouse_id.wh_reno, 321, 'the stock is still there')
  t.equal(second.app.sandbox.ledger.list({ limit: 10 }).total, 2, 'and so is the ledger; fixtures were not loaded again')
  t.equal(second.app.sandbox.ledger.list({ status: 'pending', limit: 10 }).total, 1, 'the scheduled adjustment is still pending')
  second.app.sandbox.clock.freeze(Date.parse('2030-06-01T00:00:00Z'))
  t.equal(second.app.sandbox.inventory.applyDue(), 1, 'and is applied when due after the restart')
})

t.test('003 rebuilds the ledger without AUTOINCREMENT and keeps every row of a database made before it; 004 starts it caught up', async (t) => {
  const dir = tempDir(t)
  for (const file of ['001_init.sql', '002_idempotency.sql']) copyFileSync(join(MIGRATIONS_DIR, file), join(dir, file))
  const db = openDatabase(join(dir, 'old.sqlite'), dir)
  t.teardown(() => db.close())
  db.exec(`INSERT INTO organisations VALUES ('o', 'O');
    INSERT INTO connections (id, organisation_id, integration, access_token, available_actions, created_at) VALUES ('c', 'o', 'nuorder', 't', '[]', 'now');
    INSERT INTO adjustments (request_id, connection_id, product_id, warehouse_id, adjustment_type, quantity, before, after, status, created_at, applies_at, applied_at)
      VALUES ('r1', 'c', 'p', 'w', 'increase', 1, 0, 1, 'applied', 'now', 'now', 'now'), ('r2', 'c', 'p', 'w', 'increase', 5, NULL, NULL, 'pending', 'now', '2099-01-01T00:00:00Z', NULL)`)
  t.equal(migrate(db, MIGRATIONS_DIR), readMigrations(MIGRATIONS_DIR).length - 2, '003 and every later one')
  t.same(db.prepare('SELECT seq FROM ledger_watermark').all(), [{ seq: 2 }], '004: the products of a database made before it hold its whole ledger')
  t.same(db.prepare('SELECT seq, request_id, status FROM adjustments ORDER BY seq').all(), [{ seq: 1, request_id: 'r1', status: 'applied' }, { seq: 2, request_id: 'r2', status: 'pending' }])
  t.same(db.prepare("SELECT name FROM sqlite_sequence WHERE name = 'adjustments'").all(), [], 'no counter row to write on every insert')
  t.match(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'adjustments_pending'").get(), { sql: /WHERE status = 'pending'/ })
  const ledger = new AdjustmentRepository(db)
  t.equal(ledger.nextDueAt(), '2099-01-01T00:00:00Z', 'the pending row is still found')
  t.equal(ledger.insert({ request_id: 'r3', connection_id: 'c', product_id: 'p', warehouse_id: 'w', shop_id: null, adjustment_type: 'increase', quantity: 1, reason: null, before: 1, after: 2, status: 'applied', created_at: 'now', applies_at: 'now', applied_at: 'now' }), 3)
})

t.test('a file database opens in WAL with synchronous NORMAL, foreign keys on, a 1 MB page cache and checkpoints every 4,000 pages', async (t) => {
  const db = openDatabase(join(tempDir(t), 'pragmas.sqlite'))
  t.teardown(() => db.close())
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.pragma('synchronous', { simple: true }), 1, 'NORMAL')
  t.equal(db.pragma('foreign_keys', { simple: true }), 1)
  t.equal(db.pragma('cache_size', { simple: true }), -1024)
  t.equal(db.pragma('wal_autocheckpoint', { simple: true }), 4000)
})

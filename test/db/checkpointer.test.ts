// WAL checkpoints happen in a worker: committed pages reach the database file without a request paying for it.
import t from 'tap'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../../src/db/database.js'
import { startCheckpointer } from '../../src/db/checkpointer.js'
import { build, tempDir } from '../helper.js'

const sizeOf = (path: string): number => existsSync(path) ? statSync(path).size : 0

async function until (condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return condition()
}

function writeRows (path: string, rows: number) {
  const db = openDatabase(path)
  db.exec('CREATE TABLE IF NOT EXISTS filler (n INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT')
  const insert = db.prepare('INSERT INTO filler (text) VALUES (?)')
  return { db, write: () => db.transaction(() => { for (let i = 0; i < rows; i++) insert.run('x'.repeat(1000)) })() }
}

t.test('committed pages are copied into the database file by the worker, not by the writer', async (t) => {
  const path = join(tempDir(t), 'wal.sqlite')
  const { db, write } = writeRows(path, 400)
  const checkpointer = startCheckpointer(db, { intervalMs: 20 })
  t.equal(db.pragma('wal_autocheckpoint', { simple: true }), 4096, "the writer's own checkpoint is only a safety valve")
  const before = sizeOf(path)
  write()
  t.ok(await until(() => sizeOf(path) > before + 300_000), 'the database file grew without any checkpoint on this thread')
  t.same(db.prepare('SELECT count(*) AS n FROM filler').get(), { n: 400 })
  await checkpointer.stop()
  db.close()
})

t.test('the WAL restarts from its beginning once the worker has copied it, so it stays bounded under writes', async (t) => {
  const path = join(tempDir(t), 'wal.sqlite')
  const { db, write } = writeRows(path, 50)
  const checkpointer = startCheckpointer(db, { intervalMs: 20, writerCheckpointPages: 100 })
  t.equal(db.pragma('wal_autocheckpoint', { simple: true }), 100)
  for (let round = 0; round < 40; round++) {
    write()
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  // 40 rounds of ~60 pages would be ~10 MB of WAL if it never restarted.
  t.ok(sizeOf(`${path}-wal`) < 3_000_000, `WAL is ${sizeOf(`${path}-wal`)} bytes`)
  t.same(db.prepare('SELECT count(*) AS n FROM filler').get(), { n: 2000 })
  await checkpointer.stop()
  db.close()
})

t.test('a file-backed sandbox keeps its adjustments across a restart with checkpoints in the worker', async (t) => {
  const dbPath = join(tempDir(t), 'sandbox.sqlite')
  const first = await build(t, { dbPath })
  t.ok(first.sandbox.checkpointer, 'a file database gets a checkpointer')
  const body = { quantity: 7, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }
  const res = await first.inject({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token' }, payload: body })
  t.equal(res.statusCode, 200)
  await first.close()
  t.notOk(existsSync(`${dbPath}-wal`), 'the worker let go before the writer closed, so the last close checkpointed and removed the WAL')
  const second = await build(t, { dbPath })
  const read = await second.inject({ url: '/cart/products/shp_tee_001_m', headers: { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token' } })
  t.equal(read.json().data.inventory_by_warehouse_id.wh_nyc, 256)
  const memory = await build(t)
  t.equal(memory.sandbox.checkpointer, null, 'an in-memory database has no WAL to checkpoint')
})

// Checkpoints: a commit makes an adjustment durable by its ledger row; product rows catch up later, and a crash in between loses nothing.
import t from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { buildApp } from '../../../src/app.js'
import { Sandbox } from '../../../src/domain/sandbox.js'
import { findIntegration, type IntegrationRow } from '../../../src/schemas/integrations.js'
import type { Connection } from '../../../src/db/repositories/tenants.js'
import type { CartProduct } from '../../../src/schemas/product.js'
import { headersFor, tempDir } from '../../helper.js'

const SHOPIFY = 'conn_acme_shopify'

async function start (dbPath: string): Promise<{ url: string, crash: () => Promise<void>, close: () => Promise<void> }> {
  const app = await buildApp({ dbPath, rateLimit: false }, { logger: false })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return {
    url,
    // As a killed process leaves it: the database handle goes without the close's final checkpoint.
    crash: async () => { app.sandbox.db.close(); await app.close() },
    close: async () => await app.close()
  }
}

const put = async (url: string, id: string, body: object): Promise<{ status: number, data: CartProduct }> => {
  const res = await fetch(`${url}/cart/products/${id}/adjust-inventory`, { method: 'PUT', headers: { ...headersFor('shopify'), 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, data: (await res.json() as { data: CartProduct }).data }
}
const get = async (url: string, id: string): Promise<CartProduct> =>
  (await (await fetch(`${url}/cart/products/${id}`, { headers: headersFor('shopify') })).json() as { data: CartProduct }).data

/** What the file holds, read by another connection: a product row and the watermark. */
function onDisk (dbPath: string, id: string): { product: CartProduct, watermark: number, lastSeq: number } {
  const db = new Database(dbPath, { readonly: true })
  try {
    const { body } = db.prepare<[string, string], { body: string }>('SELECT body FROM products WHERE connection_id = ? AND id = ?').get(SHOPIFY, id) as { body: string }
    const { seq } = db.prepare<[], { seq: number }>('SELECT seq FROM ledger_watermark').get() as { seq: number }
    const { last } = db.prepare<[], { last: number }>('SELECT coalesce(max(seq), 0) AS last FROM adjustments').get() as { last: number }
    return { product: JSON.parse(body) as CartProduct, watermark: seq, lastSeq: last }
  } finally {
    db.close()
  }
}

t.test('acknowledged adjustments whose product rows were not written yet survive a crash, over real HTTP on a file', async (t) => {
  const dbPath = join(tempDir(t), 'sandbox.sqlite')
  const first = await start(dbPath)
  const parentBefore = await get(first.url, 'shp_tee_001')
  const answers = new Map<string, CartProduct>()
  for (const [id, body] of [
    ['shp_tee_001_m', { quantity: 5, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }],
    ['shp_tee_001_s', { quantity: 2, adjustment_type: 'decrease', warehouse_id: 'wh_nyc', reason: 'damaged' }],
    ['shp_tee_001_m', { quantity: 4, adjustment_type: 'increase', warehouse_id: 'wh_reno', reason: 'received' }]
  ] as const) {
    const res = await put(first.url, id, body)
    t.equal(res.status, 200)
    answers.set(id, res.data)
  }
  const before = onDisk(dbPath, 'shp_tee_001_m')
  t.ok(before.watermark < before.lastSeq, 'the last adjustments are committed in the ledger only')
  t.not(before.product.inventory_by_warehouse_id.wh_reno, answers.get('shp_tee_001_m')?.inventory_by_warehouse_id.wh_reno, 'and not in the product row yet')
  await first.crash()

  const second = await start(dbPath)
  t.teardown(second.close)
  for (const [id, answered] of answers) t.same(await get(second.url, id), answered, `${id} reads back exactly as its last 200 answered`)
  const parent = await get(second.url, 'shp_tee_001')
  t.equal(parent.inventory_by_warehouse_id.wh_nyc, (parentBefore.inventory_by_warehouse_id.wh_nyc ?? 0) + 5 - 2, "the parent's sum moved with its variants")
  t.equal(parent.inventory_by_warehouse_id.wh_reno, (parentBefore.inventory_by_warehouse_id.wh_reno ?? 0) + 4)
  t.equal(parent.updated_date, answers.get('shp_tee_001_m')?.updated_date, 'and its dates with the last of them')
  const after = onDisk(dbPath, 'shp_tee_001_m')
  t.equal(after.watermark, after.lastSeq, 'the restart wrote what it re-applied')
  t.same(after.product, answers.get('shp_tee_001_m'))
})

t.test('reading one product back answers its committed stock from memory, with no checkpoint; a list catches the table up first', async (t) => {
  const dbPath = join(tempDir(t), 'sandbox.sqlite')
  const server = await start(dbPath)
  t.teardown(server.close)
  const adjusted = await put(server.url, 'shp_tee_001_m', { quantity: 5, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
  t.same(await get(server.url, 'shp_tee_001_m'), adjusted.data, 'the read-back is the 200 answer')
  const behind = onDisk(dbPath, 'shp_tee_001_m')
  t.ok(behind.watermark < behind.lastSeq, 'the adjustment is committed in the ledger')
  t.not(behind.product.inventory_by_warehouse_id.wh_nyc, adjusted.data.inventory_by_warehouse_id.wh_nyc, 'and the read-back wrote no product row')
  const list = await (await fetch(`${server.url}/cart/products`, { headers: headersFor('shopify') })).json() as { data: CartProduct[] }
  t.same(list.data.find((p) => p.id === 'shp_tee_001_m'), adjusted.data, 'a page, read from the table, shows it too')
  const caughtUp = onDisk(dbPath, 'shp_tee_001_m')
  t.equal(caughtUp.watermark, caughtUp.lastSeq, 'because the list wrote the changed products first')
  t.same(caughtUp.product, adjusted.data)
})

t.test('after a reset the ledger starts over, and what follows it is recovered too', async (t) => {
  const dbPath = join(tempDir(t), 'sandbox.sqlite')
  const first = await start(dbPath)
  for (let i = 0; i < 3; i++) t.equal((await put(first.url, 'shp_tee_001_m', { quantity: 10, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })).status, 200)
  t.equal((await fetch(`${first.url}/_sandbox/reset`, { method: 'POST' })).status, 200)
  const last = await put(first.url, 'shp_tee_001_m', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
  t.equal(last.data.inventory_by_warehouse_id.wh_nyc, 250, "the fixtures' 249, plus 1")
  await first.crash()
  const second = await start(dbPath)
  t.teardown(second.close)
  t.equal((await get(second.url, 'shp_tee_001_m')).inventory_by_warehouse_id.wh_nyc, 250, 'seq 1 after the reset is not taken for one already written')
})

const adjustOnce = async (sandbox: Sandbox, requestId: string): Promise<void> => {
  const connection = sandbox.tenants.findConnectionByToken('acme_shopify_token') as Connection
  const result = sandbox.inventory.adjust(connection, findIntegration('shopify') as IntegrationRow, 'shp_tee_001_m', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc' }, requestId)
  await result.durable
}
const stored = (sandbox: Sandbox): number =>
  (JSON.parse((sandbox.db.prepare("SELECT body FROM products WHERE id = 'shp_tee_001_m'").get() as { body: string }).body) as CartProduct).inventory_by_warehouse_id.wh_nyc as number

t.test('a group commit also writes the changed products once the checkpoint limits are reached', async (t) => {
  const byRows = new Sandbox({ dbPath: ':memory:', fixtures: '', journalSize: 10, checkpointLimits: { rows: 2, products: 1000, idleMs: 60_000 } })
  t.teardown(() => byRows.close())
  await adjustOnce(byRows, 'r1')
  t.equal(stored(byRows), 249, 'one ledger row: the product row waits')
  t.equal(byRows.ledger.watermark(), 0)
  await adjustOnce(byRows, 'r2')
  t.equal(stored(byRows), 251, 'the second row reaches the limit: written with its commit')
  t.equal(byRows.ledger.watermark(), 2)

  const byProducts = new Sandbox({ dbPath: ':memory:', fixtures: '', journalSize: 10, checkpointLimits: { rows: 1000, products: 2, idleMs: 60_000 } })
  t.teardown(() => byProducts.close())
  await adjustOnce(byProducts, 'r1')
  t.equal(stored(byProducts), 250, 'a variant and its parent changed: two products reach the limit')
  t.equal(byProducts.ledger.watermark(), 1)
})

t.test('once adjustments stop, the products are written without any other request; a failed attempt is retried', async (t) => {
  const sandbox = new Sandbox({ dbPath: ':memory:', fixtures: '', journalSize: 10, checkpointLimits: { rows: 1000, products: 1000, idleMs: 20 } })
  t.teardown(() => sandbox.close())
  // Waits for the quiet period and the timer, however slow the machine; never longer than 5 s.
  const until = async (done: () => boolean): Promise<void> => {
    for (let waited = 0; waited < 5000 && !done(); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
  }
  const writeStaged = sandbox.products.writeStaged.bind(sandbox.products)
  let attempts = 0
  sandbox.products.writeStaged = () => { attempts++; throw new Error('disk I/O error') }
  await adjustOnce(sandbox, 'r1')
  await until(() => attempts > 0)
  t.equal(attempts, 1, 'the idle checkpoint ran once')
  t.equal(stored(sandbox), 249, 'it failed: nothing written, and the process is still up')
  sandbox.products.writeStaged = writeStaged
  await adjustOnce(sandbox, 'r2')
  t.equal(stored(sandbox), 249, 'a new adjustment waits for the next quiet period')
  await until(() => sandbox.ledger.watermark() > 0)
  t.equal(stored(sandbox), 251, 'both adjustments written once it came')
  t.equal(sandbox.ledger.watermark(), 2)
})

// The in-memory copies of tenants and products: an adjustment never sees a row that SQLite no longer holds.
import t from 'tap'
import Database from 'better-sqlite3'
import type { FastifyInstance } from 'fastify'
import { adjust, build, headersFor, listen } from '../../helper.js'
import { migrate, MIGRATIONS_DIR } from '../../../src/db/database.js'
import { ProductRepository } from '../../../src/db/repositories/products.js'
import type { CartProduct } from '../../../src/schemas/product.js'

const increase = (quantity: number, warehouse = 'wh_nyc') => ({ quantity, adjustment_type: 'increase', warehouse_id: warehouse, reason: 'received' })
const stockAfter = async (app: FastifyInstance, quantity: number): Promise<number> => {
  const res = await adjust(app, 'shopify', 'shp_tee_001_m', increase(quantity))
  if (res.statusCode !== 200) throw new Error(`adjust answered ${res.statusCode}: ${res.body}`)
  return res.json().data.inventory_by_warehouse_id.wh_nyc as number
}
const post = async (app: FastifyInstance, url: string, payload?: object) => await app.inject({ method: 'POST', url, ...(payload ? { payload } : {}) })

t.test('after a restore or a reset, adjustments start from the restored stock, not from what was cached', async (t) => {
  const app = await build(t)
  t.equal(await stockAfter(app, 1), 250)
  t.equal((await post(app, '/_sandbox/snapshots', { name: 'at-250' })).statusCode, 201)
  t.equal(await stockAfter(app, 5), 255)
  t.equal((await post(app, '/_sandbox/snapshots/at-250/restore')).statusCode, 200)
  t.equal(await stockAfter(app, 1), 251, 'the restored 250, plus 1')
  t.equal((await post(app, '/_sandbox/reset')).statusCode, 200)
  t.equal(await stockAfter(app, 1), 250, "the fixtures' 249, plus 1")
})

t.test('a regenerated Cart Sandbox keeps its token but answers from its fresh store, over real HTTP', async (t) => {
  const { url } = await listen(t)
  const generate = async () => await (await fetch(`${url}/sandbox/generate-sandbox/cart`, { method: 'POST', headers: { 'x-trackstar-api-key': 'sandbox_api_key' } })).json() as { access_token: string }
  const { access_token: token } = await generate()
  const headers = { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': token, 'content-type': 'application/json' }
  const list = await (await fetch(`${url}/cart/products`, { headers })).json() as { data: CartProduct[] }
  const variant = list.data.find((p) => p.parent_product_id !== p.id) as CartProduct
  const put = async () => await fetch(`${url}/cart/products/${variant.id}/adjust-inventory`, { method: 'PUT', headers, body: JSON.stringify({ quantity: 7, adjustment_type: 'increase' }) })
  const answer = await put()
  t.equal(answer.status, 200)
  const first = await answer.json() as { data: CartProduct }
  const seeded = variant.inventory_by_warehouse_id.wh_main ?? 0
  t.equal(first.data.inventory_by_warehouse_id.wh_main, seeded + 7)
  t.equal((await generate()).access_token, token, 'the same token')
  const again = await (await put()).json() as { data: CartProduct }
  t.equal(again.data.inventory_by_warehouse_id.wh_main, seeded + 7, 'the fresh store, not the cached product')
})

t.test('an unknown token is not remembered: a connection created with it later works at once', async (t) => {
  const app = await build(t)
  const headers = { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'made_later_token' }
  t.equal((await app.inject({ url: '/cart/warehouses', headers })).statusCode, 401)
  const created = await post(app, '/_sandbox/connections', { integration: 'shopify', api_key: 'sandbox_api_key', access_token: 'made_later_token', warehouses: [{ id: 'wh_x' }] })
  t.equal(created.statusCode, 201, created.body)
  const res = await app.inject({ url: '/cart/warehouses', headers })
  t.equal(res.statusCode, 200)
  t.same(res.json().data.map((w: { id: string }) => w.id), ['wh_x'])
})

t.test('a defect half-way through an adjustment undoes it, and the next one reads the committed stock again', async (t) => {
  const app = await build(t)
  const { ledger } = app.sandbox
  const insert = ledger.insert.bind(ledger)
  const parentStock = async () => (await app.inject({ url: '/cart/products/shp_tee_001', headers: headersFor('shopify') })).json().data.inventory_by_warehouse_id.wh_nyc as number
  const parentBefore = await parentStock()
  t.equal(await stockAfter(app, 1), 250)
  // The product row and its parent are written, then the ledger insert fails: the batch and the cached copies go.
  ledger.insert = () => { throw new Error('disk I/O error') }
  const failed = await adjust(app, 'shopify', 'shp_tee_001_m', increase(100))
  t.equal(failed.statusCode, 500)
  ledger.insert = insert
  t.equal(await stockAfter(app, 1), 251, 'the failed +100 left nothing behind, in SQLite or in memory')
  t.equal(await parentStock(), parentBefore + 2, "the parent moved by the two committed adjustments only")
})

t.test('a scheduled adjustment whose settling fails is undone whole, caches included', async (t) => {
  const app = await build(t)
  const { sandbox } = app
  const res = await adjust(app, 'nuorder', 'nuo_jkt_001_s', { quantity: 5, adjustment_type: 'increase', warehouse_id: 'wh_ontario', future_date: '2099-01-01T00:00:00Z' })
  t.equal(res.statusCode, 200)
  const before = res.json().data.inventory_by_warehouse_id.wh_ontario as number
  const settle = sandbox.ledger.settle.bind(sandbox.ledger)
  sandbox.ledger.settle = () => { throw new Error('disk I/O error') }
  sandbox.clock.freeze(Date.parse('2099-01-02T00:00:00Z'))
  t.throws(() => sandbox.inventory.applyDue(), /disk I\/O error/)
  sandbox.ledger.settle = settle
  const connection = sandbox.tenants.findConnectionByToken('acme_nuorder_token')
  t.equal(sandbox.products.get(connection?.id ?? '', 'nuo_jkt_001_s')?.inventory_by_warehouse_id.wh_ontario, before, 'not the undone +5')
  t.equal(sandbox.inventory.applyDue(), 1, 'still pending, so applied once it can be')
})

t.test('the product cache hands out one object per product, keeps the most recently used, and forgets on demand', async (t) => {
  const db = new Database(':memory:')
  t.teardown(() => db.close())
  migrate(db, MIGRATIONS_DIR)
  db.exec("INSERT INTO organisations VALUES ('o', 'O'); INSERT INTO connections (id, organisation_id, integration, access_token, available_actions, created_at) VALUES ('c', 'o', 'shopify', 't', '[]', 'now')")
  const products = new ProductRepository(db, 2)
  const product = (id: string) => ({ id, parent_product_id: id, inventory_by_warehouse_id: {} }) as unknown as CartProduct
  for (const [i, id] of ['a', 'b', 'c'].entries()) products.insert('c', i + 1, product(id))
  const a = products.get('c', 'a')
  t.equal(products.get('c', 'a'), a, 'the same object while cached')
  products.get('c', 'b')
  products.get('c', 'a')
  products.get('c', 'c')
  t.equal(products.get('c', 'a'), a, 'a was used more recently than b, so b went')
  t.not(products.get('c', 'b'), undefined)
  t.equal(products.get('c', 'missing'), undefined)
  const stored = (id: string) => (db.prepare('SELECT body FROM products WHERE id = ?').get(id) as { body: string }).body

  const changed = { ...a, name: 'changed' } as CartProduct
  products.stage('c', changed)
  t.equal(products.get('c', 'a'), changed, 'a staged product is the current copy')
  t.equal(products.getJson('c', 'a'), JSON.stringify(changed), 'and what a read-back sends')
  t.equal(stored('a'), JSON.stringify(a), 'not written yet')
  products.writeStaged()
  t.equal(stored('a'), JSON.stringify(changed), 'written once staged writes are')
  products.clearCache()
  const reread = products.get('c', 'a')
  t.not(reread, changed, 'read again from SQLite')
  t.same(reread, changed)

  // Staged, then pushed out of the two-entry cache: still the copy every read sees.
  const b2 = { ...(products.get('c', 'b') as CartProduct), name: 'b2' } as CartProduct
  products.stage('c', b2)
  products.get('c', 'a')
  products.get('c', 'c')
  t.equal(products.get('c', 'b'), b2)
  t.equal(products.getJson('c', 'b'), JSON.stringify(b2))
  products.discardStaged()
  products.clearCache()
  t.equal(products.get('c', 'b')?.name, undefined, 'discarded: the row as it was')
})

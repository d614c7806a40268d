// A reference point for the throughput target: a minimal Fastify + Ajv + better-sqlite3 read-modify-write.
// Plain JavaScript like the ceiling. It validates with the sandbox's own Shopify schema and Ajv settings, then reads,
// changes and writes the product in SQLite, one commit per request; no auth, journal, ledger, parents or group commit.
// REFERENCE_DB is a file (WAL, synchronous NORMAL: the sandbox's settings, so a 200 is as durable) or ":memory:".
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
// The catalogue's schemas from source (run under tsx): the package ships only bundles.
import { ADJUST_SCHEMAS } from '../src/schemas/integrations.js'

const ROOT = join(import.meta.dirname, '..')
const ACCESS_TOKEN = 'acme_shopify_token'

const fixtures = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'sandbox.json'), 'utf8'))
const connection = fixtures.organisations.flatMap((o) => o.connections).find((c) => c.access_token === ACCESS_TOKEN)

const db = new Database(process.env.REFERENCE_DB ?? ':memory:')
db.pragma('journal_mode = WAL')
db.pragma('synchronous = NORMAL')
db.exec('CREATE TABLE products (id TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID')
const insert = db.prepare('INSERT INTO products (id, json) VALUES (?, ?)')
const select = db.prepare('SELECT json FROM products WHERE id = ?').pluck()
const update = db.prepare('UPDATE products SET json = ? WHERE id = ?')

// Stored with the fields the sandbox adds, so both answer bodies of about the same size.
const seeded = '2024-01-13T10:00:00Z'
for (const product of connection.products) {
  const stock = product.inventory_by_warehouse_id ?? {}
  insert.run(product.id, JSON.stringify({
    ...product,
    created_date: seeded,
    updated_date: seeded,
    inventory: Object.values(stock).reduce((sum, n) => sum + n, 0),
    inventory_by_warehouse_id: stock,
    trackstar_created_date: seeded,
    trackstar_updated_date: seeded
  }))
}

const app = Fastify({
  logger: false,
  ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, keywords: ['example'] } }
})
const error = (reply, status, message) => reply.code(status).send({ error: message, origin: 'trackstar' })

app.put('/cart/products/:product_id/adjust-inventory', { schema: { body: ADJUST_SCHEMAS.get('shopify') } }, async (request, reply) => {
  const id = request.params.product_id
  const json = select.get(id)
  if (json === undefined) return error(reply, 404, 'Product not found.')
  const product = JSON.parse(json)
  const { quantity, adjustment_type: type, warehouse_id: warehouse } = request.body
  const before = product.inventory_by_warehouse_id[warehouse]
  if (before === undefined) return error(reply, 422, 'Unknown warehouse.')
  const after = type === 'increase' ? before + quantity : type === 'decrease' ? before - quantity : quantity
  if (after < 0) return error(reply, 422, 'Insufficient inventory.')
  product.inventory_by_warehouse_id[warehouse] = after
  product.inventory += after - before
  product.updated_date = product.trackstar_updated_date = new Date().toISOString()
  const stored = JSON.stringify(product)
  update.run(stored, id)
  return reply.type('application/json').send(`{"id":${JSON.stringify(id)},"data":${stored},"unused_fields":[]}`)
})
app.get('/_sandbox/health', async () => ({ status: 'ok' }))

process.once('SIGTERM', () => { app.close().then(() => db.close(), () => db.close()) })
await app.listen({ port: Number(process.env.PORT ?? 4030), host: process.env.HOST ?? '127.0.0.1' })

// Concurrency: parallel adjustments over real HTTP from many connections land exactly, and scheduled ones come due once under load.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { createOrganisation, createStore } from '../../src/domain/catalogue/store-builder.js'
import { listen } from '../helper.js'
import { STRESS } from './server-process.js'

const CONNECTIONS = 8
const VARIANTS = 10
const START = 1_000_000
const OPERATIONS = STRESS ? 20_000 : 1_200
const WORKERS = 32
const SCHEDULED = STRESS ? 500 : 60

interface Store { apiKey: string, token: string, connectionId: string }
interface Op { store: Store, productId: string, type: 'increase' | 'decrease', quantity: number, requestId: string }

// Built in-process (POST /_sandbox/connections is the control plane's; this test is about the emulated API under load).
function newStore (app: FastifyInstance, n: number): Store {
  const products = [{ id: 'tee', name: 'Tee', sku: 'TEE', parent_product_id: 'tee' },
    ...Array.from({ length: VARIANTS }, (_, i) => ({ id: `tee_${i}`, name: `Tee ${i}`, sku: `TEE-${i}`, parent_product_id: 'tee', inventory_by_warehouse_id: { wh_east: START } }))]
  const organisationId = `org_load_${n}`
  const apiKey = `load_key_${n}`
  createOrganisation(app.sandbox.tenants, organisationId, `Load ${n}`, [{ key: apiKey, access: 'full' }])
  const { connection } = createStore(app.sandbox, organisationId, { integration: 'shopify', access_token: `load_token_${n}`, warehouses: [{ id: 'wh_east', name: 'East' }], products }, app.sandbox.clock.isoNow())
  return { apiKey, token: connection.accessToken, connectionId: connection.id }
}

t.test(`${OPERATIONS} parallel adjustments over ${CONNECTIONS} connections land exactly; ${SCHEDULED} scheduled ones come due once under load`, async (t) => {
  const { app, url } = await listen(t)
  const stores = Array.from({ length: CONNECTIONS }, (_, n) => newStore(app, n))
  // Half the writes hit one hot variant per store, the rest spread over the others.
  const ops: Op[] = Array.from({ length: OPERATIONS }, (_, i) => ({
    store: stores[i % CONNECTIONS] as Store,
    productId: Math.random() < 0.5 ? 'tee_0' : `tee_${1 + Math.floor(Math.random() * (VARIANTS - 1))}`,
    type: Math.random() < 0.5 ? 'increase' : 'decrease',
    quantity: 1 + Math.floor(Math.random() * 9),
    requestId: `op-${i}`
  }))

  // Scheduled NuOrder increases, due at whole seconds after a frozen "now" that moves forward during the load.
  const clock = app.sandbox.clock
  const t0 = Math.ceil(Date.now() / 1000) * 1000
  clock.freeze(t0)
  const nuorder = { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_nuorder_token', 'content-type': 'application/json' }
  const nuorderStart = app.sandbox.products.get('conn_acme_nuorder', 'nuo_jkt_001_m')?.inventory_by_warehouse_id.wh_la_wholesale ?? 0
  let scheduledTotal = 0
  for (let i = 0; i < SCHEDULED; i++) {
    const quantity = 1 + (i % 5)
    scheduledTotal += quantity
    const res = await fetch(`${url}/cart/products/nuo_jkt_001_m/adjust-inventory`, {
      method: 'PUT',
      headers: { ...nuorder, 'x-request-id': `scheduled-${i}` },
      body: JSON.stringify({ quantity, adjustment_type: 'increase', warehouse_id: 'wh_la_wholesale', future_date: new Date(t0 + (1 + (i % 30)) * 1000).toISOString() })
    })
    if (res.status !== 200) t.fail(`scheduling ${i}: ${res.status} ${await res.text()}`)
  }

  const statuses = new Map<number, number>()
  let next = 0
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (next < ops.length) {
      const i = next++
      const op = ops[i] as Op
      // Every 40th operation moves the sandbox clock a second on, so scheduled rows come due between writes.
      if (i % 40 === 0) clock.freeze(clock.nowMs() + 1000)
      const res = await fetch(`${url}/cart/products/${op.productId}/adjust-inventory`, {
        method: 'PUT',
        headers: { 'x-trackstar-api-key': op.store.apiKey, 'x-trackstar-access-token': op.store.token, 'content-type': 'application/json', 'x-request-id': op.requestId },
        body: JSON.stringify({ quantity: op.quantity, adjustment_type: op.type, warehouse_id: 'wh_east', reason: 'received' })
      })
      await res.arrayBuffer()
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
    }
  }))
  t.same(Object.fromEntries(statuses), { 200: OPERATIONS }, 'every adjustment was answered 200')

  for (const store of stores) {
    const entries = app.sandbox.ledger.list({ connectionId: store.connectionId, limit: OPERATIONS }).data.reverse()
    const mine = ops.filter((op) => op.store === store)
    t.equal(entries.length, mine.length, `${store.connectionId}: one ledger row per adjustment`)
    t.same(new Set(entries.map((e) => e.request_id)), new Set(mine.map((op) => op.requestId)), `${store.connectionId}: the ledger holds exactly the requests sent`)
    const res = await fetch(`${url}/cart/products`, { headers: { 'x-trackstar-api-key': store.apiKey, 'x-trackstar-access-token': store.token } })
    const products = (await res.json() as { data: Array<{ id: string, inventory: number, inventory_by_warehouse_id: Record<string, number> }> }).data
    const broken: string[] = []
    let variantsSum = 0
    for (let v = 0; v < VARIANTS; v++) {
      const id = `tee_${v}`
      const expected = mine.filter((op) => op.productId === id).reduce((sum, op) => sum + (op.type === 'increase' ? op.quantity : -op.quantity), START)
      const stock = products.find((p) => p.id === id)?.inventory_by_warehouse_id.wh_east
      if (stock !== expected) broken.push(`${id}: stock ${String(stock)}, model ${expected}`)
      variantsSum += stock ?? 0
      // Serialised: each row starts where the previous one on the same variant ended.
      let previous = START
      for (const entry of entries.filter((e) => e.product_id === id)) {
        const delta = entry.adjustment_type === 'increase' ? entry.quantity : -entry.quantity
        if (entry.before !== previous || entry.after !== previous + delta) broken.push(`${id}: row ${entry.request_id} ${String(entry.before)}→${String(entry.after)} after ${previous}`)
        previous = entry.after ?? NaN
      }
    }
    t.same(broken, [], `${store.connectionId}: stock equals the model and the ledger is one unbroken chain per variant`)
    t.equal(products.find((p) => p.id === 'tee')?.inventory, variantsSum, `${store.connectionId}: the parent's inventory is the sum of its variants`)
  }

  // Everything still pending comes due now; the next request applies it.
  clock.freeze(t0 + 3600_000)
  await fetch(`${url}/cart/products/nuo_jkt_001_m`, { headers: nuorder })
  const scheduled = app.sandbox.ledger.list({ connectionId: 'conn_acme_nuorder', limit: 10_000 }).data.filter((e) => e.request_id.startsWith('scheduled-'))
  t.equal(scheduled.length, SCHEDULED, 'one ledger row per scheduled adjustment')
  t.ok(scheduled.every((e) => e.status === 'applied'), 'every scheduled adjustment was applied')
  t.equal(app.sandbox.products.get('conn_acme_nuorder', 'nuo_jkt_001_m')?.inventory_by_warehouse_id.wh_la_wholesale, nuorderStart + scheduledTotal, 'each applied exactly once')
})

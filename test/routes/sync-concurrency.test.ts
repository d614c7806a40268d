// 500 single adjustments and 50 batches of 10 lines, interleaved on the same products, end where the arithmetic says.
import t from 'tap'
import { json } from '../json.js'
import { listen } from '../helper.js'

const VARIANTS = ['v1', 'v2', 'v3', 'v4', 'v5']
const WAREHOUSES = ['wh_main', 'wh_west']
const START = 10_000

t.test('interleaved single and batch adjustments, parents included', async (t) => {
  const { url } = await listen(t)
  const created = await json(await fetch(`${url}/_sandbox/connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      integration: 'shopify',
      products: [{ id: 'parent', name: 'Parent' }, ...VARIANTS.map((id) => ({ id, parent_product_id: 'parent', inventory_by_warehouse_id: { wh_main: START, wh_west: START } }))]
    })
  }))
  const headers = { 'x-trackstar-api-key': created.api_key, 'x-trackstar-access-token': created.access_token, 'content-type': 'application/json' }
  const expected = new Map(VARIANTS.flatMap((v) => WAREHOUSES.map((w) => [`${v}/${w}`, START])))
  // A deterministic mix: increases and decreases of 1..7 (stock never nears zero), spread over every variant and warehouse.
  const change = (i: number) => {
    const product = VARIANTS[i % VARIANTS.length] as string
    const warehouse = WAREHOUSES[Math.floor(i / VARIANTS.length) % WAREHOUSES.length] as string
    const type = i % 3 === 0 ? 'decrease' : 'increase'
    const quantity = (i % 7) + 1
    const key = `${product}/${warehouse}`
    expected.set(key, (expected.get(key) as number) + (type === 'increase' ? quantity : -quantity))
    return { product_id: product, adjustment_type: type, quantity, warehouse_id: warehouse, reason: 'correction' }
  }
  const requests: Array<() => Promise<Response>> = []
  let n = 0
  for (let i = 0; i < 550; i++) {
    if (i % 11 === 10) {
      const lines = Array.from({ length: 10 }, () => change(n++))
      requests.push(async () => fetch(`${url}/cart/products/batch-adjust-inventory`, { method: 'PUT', headers, body: JSON.stringify({ line_items: lines }) }))
    } else {
      const { product_id: productId, ...body } = change(n++)
      requests.push(async () => fetch(`${url}/cart/products/${productId}/adjust-inventory`, { method: 'PUT', headers, body: JSON.stringify(body) }))
    }
  }
  const statuses = await Promise.all(requests.map(async (send) => (await send()).status))
  t.same([...new Set(statuses)], [200], 'every request applied')
  t.equal(statuses.length, 550)

  const products = (await json(await fetch(`${url}/cart/products`, { headers }))).data as Array<{ id: string, inventory: number, inventory_by_warehouse_id: Record<string, number> }>
  const parentLevels: Record<string, number> = { wh_main: 0, wh_west: 0 }
  for (const id of VARIANTS) {
    const product = products.find((p) => p.id === id)
    const levels = Object.fromEntries(WAREHOUSES.map((w) => [w, expected.get(`${id}/${w}`) as number]))
    t.same(product?.inventory_by_warehouse_id, levels, id)
    t.equal(product?.inventory, (levels.wh_main as number) + (levels.wh_west as number))
    for (const w of WAREHOUSES) parentLevels[w] = (parentLevels[w] as number) + (levels[w] as number)
  }
  const parent = products.find((p) => p.id === 'parent')
  t.same(parent?.inventory_by_warehouse_id, parentLevels, 'the parent holds the sum of its variants')
  t.equal(parent?.inventory, (parentLevels.wh_main as number) + (parentLevels.wh_west as number))
  const ledger = await json(await fetch(`${url}/_sandbox/adjustments?connection_id=${created.connection_id as string}&limit=1`))
  t.equal(ledger.total_count, 1000, 'one ledger row per adjustment and per line')
})

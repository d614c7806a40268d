// Used keys: on a Base Schema connection reason, shop_id and future_date are extras like any other key.
import t from 'tap'
import { listen } from '../helper.js'

t.test('Base Schema: reason, shop_id and future_date are listed as unused and have no effect', async (t) => {
  const { url } = await listen(t)
  const created = await (await fetch(`${url}/_sandbox/connections`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"integration":"_base"}' })).json() as { api_key: string, access_token: string, connection_id: string }
  const headers = { 'content-type': 'application/json', 'x-trackstar-api-key': created.api_key, 'x-trackstar-access-token': created.access_token }
  const res = await fetch(`${url}/cart/products/prod_tee_s/adjust-inventory`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ quantity: 2, adjustment_type: 'increase', warehouse_id: 'wh_main', reason: 'recount', shop_id: 'no_such_shop', future_date: '2099-01-01T00:00:00Z', colour: 'red' })
  })
  t.equal(res.status, 200)
  const body = await res.json() as { data: { inventory_by_warehouse_id: Record<string, number> }, unused_fields: string[] }
  t.same([...body.unused_fields].sort(), ['colour', 'future_date', 'reason', 'shop_id'])
  t.equal(body.data.inventory_by_warehouse_id.wh_main, 12, 'applied now, not scheduled')
  const ledger = await (await fetch(`${url}/_sandbox/adjustments?product_id=prod_tee_s&access_token=${created.access_token}`)).json() as { data: { status: string, reason: string | null }[] }
  const [row] = ledger.data
  t.equal(row?.status, 'applied')
  t.equal(row?.reason, null)
})

t.test('TikTok still validates shop_id, and a declared key is never listed as unused', async (t) => {
  const { url } = await listen(t)
  const headers = { 'content-type': 'application/json', 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_tiktok_token' }
  const products = await (await fetch(`${url}/cart/products`, { headers })).json() as { data: { id: string, parent_product_id: string }[] }
  const variant = products.data.find((p) => p.id !== p.parent_product_id) as { id: string }
  const warehouses = await (await fetch(`${url}/cart/warehouses`, { headers })).json() as { data: { id: string }[] }
  const res = await fetch(`${url}/cart/products/${variant.id}/adjust-inventory`, {
    method: 'PUT', headers, body: JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: warehouses.data[0]?.id, shop_id: 'no_such_shop' })
  })
  t.equal(res.status, 422)
  t.ok(((await res.json()) as { detail: { json: Record<string, unknown> } }).detail.json.shop_id)
})

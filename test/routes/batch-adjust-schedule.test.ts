// Several future lines in one batch: each waits for its own time, in whatever order the lines came.
import t from 'tap'
import { json } from '../json.js'
import { headersFor, listen } from '../helper.js'

const PRODUCT = 'nuo_jkt_001_s'
const WAREHOUSE = 'wh_la_wholesale'

t.test('NuOrder future lines out of date order each apply when their own date comes', async (t) => {
  const { url } = await listen(t)
  const post = async (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const stock = async () => (await json(await fetch(`${url}/cart/products/${PRODUCT}`, { headers: headersFor('nuorder') }))).data.inventory_by_warehouse_id[WAREHOUSE] as number
  await post('/_sandbox/clock', { now: '2030-01-01T00:00:00Z' })
  const before = await stock()
  const line = (quantity: number, day: number) => ({ product_id: PRODUCT, adjustment_type: 'increase', quantity, warehouse_id: WAREHOUSE, future_date: `2030-01-0${day}T00:00:00Z` })
  const res = await fetch(`${url}/cart/products/batch-adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor('nuorder'), 'content-type': 'application/json', 'x-request-id': 'later-first' },
    body: JSON.stringify({ line_items: [line(100, 3), line(10, 2), line(1000, 4)] })
  })
  t.equal(res.status, 200)
  t.equal(await stock(), before, 'every line waits')
  const statuses = async () => (await json(await fetch(`${url}/_sandbox/adjustments?request_id=later-first`))).data.map((r: { quantity: number, status: string }) => [r.quantity, r.status]).sort()
  t.same(await statuses(), [[10, 'pending'], [100, 'pending'], [1000, 'pending']])

  await post('/_sandbox/clock', { now: '2030-01-02T00:00:01Z' })
  t.equal(await stock(), before + 10, 'the earliest line, listed second, applies first')
  await post('/_sandbox/clock', { now: '2030-01-03T00:00:01Z' })
  t.equal(await stock(), before + 110)
  await post('/_sandbox/clock', { now: '2030-01-04T00:00:01Z' })
  t.equal(await stock(), before + 1110)
  t.same(await statuses(), [[10, 'applied'], [100, 'applied'], [1000, 'applied']])
})

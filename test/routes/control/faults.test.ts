// Fault injection over real HTTP: injected statuses, delays and dropped connections, and what the ledger says happened.
import t from 'tap'
import { build, headersFor, listen, token } from '../../helper.js'

const ADJUST_PATH = '/cart/products/shp_tee_001_m/adjust-inventory'
const increase = { quantity: 3, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }

function put (url: string, requestId: string, body: object = increase, slug = 'shopify') {
  return fetch(`${url}${ADJUST_PATH}`, {
    method: 'PUT',
    headers: { ...headersFor(slug), 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify(body)
  })
}

async function control (url: string, method: string, path: string, body?: object) {
  const res = await fetch(`${url}${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) })
  return { status: res.status, body: res.status === 204 ? null : await res.json() as any }
}

const stockOf = async (url: string) => {
  const res = await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: headersFor('shopify') })
  return ((await res.json()) as { data: { inventory_by_warehouse_id: Record<string, number> } }).data.inventory_by_warehouse_id.wh_nyc
}

t.test('a 429 fault answers without touching state, `times` times, then disappears', async (t) => {
  const { url } = await listen(t)
  const created = await control(url, 'POST', '/_sandbox/faults', { match: { method: 'put', path: '/cart/products/*/adjust-inventory', access_token: token('shopify') }, action: { status: 429 }, times: 2 })
  t.equal(created.status, 201)
  t.match(created.body, { id: /^flt_/, match: { method: 'PUT' }, times: 2, probability: 1, hits: 0 })

  for (const id of ['f-1', 'f-2']) {
    const res = await put(url, id)
    t.equal(res.status, 429)
    t.equal(res.headers.get('retry-after'), '1')
    t.equal(res.headers.get('x-request-id'), id)
    t.same(await res.json(), { error: 'Too many requests (injected fault).', origin: 'trackstar' })
  }
  t.equal(await stockOf(url), 249, 'nothing was applied')
  t.equal((await control(url, 'GET', '/_sandbox/adjustments')).body.total_count, 0, 'the ledger has no row')
  t.equal((await control(url, 'GET', '/_sandbox/faults')).body.total_count, 0, 'used up')
  t.equal((await put(url, 'f-3')).status, 200)

  const journal = (await control(url, 'GET', '/_sandbox/requests?method=PUT')).body.data
  t.same(journal.map((e: any) => [e.request_id, e.status, e.fault_id !== null]), [['f-3', 200, false], ['f-2', 429, true], ['f-1', 429, true]])
  t.same(journal[1].response.body, { error: 'Too many requests (injected fault).', origin: 'trackstar' })
})

t.test('a fault only fires on the requests it matches', async (t) => {
  const { url } = await listen(t)
  await control(url, 'POST', '/_sandbox/faults', { match: { product_id: 'shp_tee_001_s' }, action: { status: 503, body: { error: 'maintenance', origin: 'trackstar' }, headers: { 'x-custom': 'yes' } } })
  await control(url, 'POST', '/_sandbox/faults', { match: { access_token: token('amazon') }, action: { status: 500 } })
  await control(url, 'POST', '/_sandbox/faults', { match: { method: 'DELETE' }, action: { status: 500 } })
  await control(url, 'POST', '/_sandbox/faults', { match: { path: '/cart/warehouses' }, action: { status: 200, body: { data: [] } } })
  t.equal((await put(url, 'm-1')).status, 200, 'another product, token, method and path')
  const res = await fetch(`${url}/cart/products/shp_tee_001_s`, { headers: headersFor('shopify') })
  t.equal(res.status, 503)
  t.equal(res.headers.get('x-custom'), 'yes')
  t.same(await res.json(), { error: 'maintenance', origin: 'trackstar' })
  const amazon = await fetch(`${url}/cart/warehouses`, { headers: headersFor('amazon') })
  t.equal(amazon.status, 500, 'the oldest matching fault wins')
  t.same(await amazon.json(), { error: 'Injected fault: HTTP 500.', origin: 'trackstar' })
  const warehouses = await fetch(`${url}/cart/warehouses`, { headers: headersFor('shopify') })
  t.same(await warehouses.json(), { data: [] })
  const listed = (await control(url, 'GET', '/_sandbox/faults')).body
  t.equal(listed.total_count, 4)
  t.same(listed.data.map((f: any) => f.hits), [1, 0, 1, 1], 'newest first, with hit counts')
})

t.test('drop closes the socket without an answer and changes nothing', async (t) => {
  const { url } = await listen(t)
  await control(url, 'POST', '/_sandbox/faults', { match: { path: ADJUST_PATH }, action: { drop: true }, times: 1 })
  await t.rejects(put(url, 'drop-1'), 'the client sees a network error')
  t.equal(await stockOf(url), 249)
  t.equal((await control(url, 'GET', '/_sandbox/adjustments')).body.total_count, 0)
  const entry = (await control(url, 'GET', '/_sandbox/requests/drop-1')).body
  t.match(entry, { status: null, dropped: true, fault_id: /^flt_/, response: { body: null } })
})

t.test('drop after: the adjustment is applied and in the ledger, but the client never hears back', async (t) => {
  const { url } = await listen(t)
  await control(url, 'POST', '/_sandbox/faults', { match: { path: ADJUST_PATH }, action: { drop: true, after: true }, times: 1 })
  await t.rejects(put(url, 'after-1'), 'an ambiguous timeout for the client')
  t.equal(await stockOf(url), 252, 'applied')
  const ledger = (await control(url, 'GET', '/_sandbox/adjustments?request_id=after-1')).body
  t.match(ledger.data, [{ request_id: 'after-1', before: 249, after: 252, status: 'applied' }])
  const entry = (await control(url, 'GET', '/_sandbox/requests/after-1')).body
  t.match(entry, { status: 200, dropped: true, response: { body: { id: 'shp_tee_001_m' } } })
})

t.test('status after: applied, then answered with the injected status', async (t) => {
  const { url } = await listen(t)
  await control(url, 'POST', '/_sandbox/faults', { action: { status: 500, after: true }, times: 1 })
  const res = await put(url, 'after-500')
  t.equal(res.status, 500)
  t.same(await res.json(), { error: 'Injected fault: HTTP 500.', origin: 'trackstar' })
  t.equal(await stockOf(url), 252)
  t.match((await control(url, 'GET', '/_sandbox/requests/after-500')).body, { status: 500, dropped: false, response: { body: { error: 'Injected fault: HTTP 500.' } } })
})

t.test('a delay, before or after the handling, then the real answer', async (t) => {
  const { url } = await listen(t)
  await control(url, 'POST', '/_sandbox/faults', { match: { method: 'GET' }, action: { delay_ms: 20 }, times: 1 })
  await control(url, 'POST', '/_sandbox/faults', { match: { method: 'PUT' }, action: { delay_ms: 20, after: true }, times: 1 })
  t.equal(await stockOf(url), 249)
  t.equal((await put(url, 'slow')).status, 200)
  const entries = (await control(url, 'GET', '/_sandbox/requests')).body.data
  t.same(entries.map((e: any) => [e.status, e.fault_id !== null]), [[200, true], [200, true]])
  t.ok(entries.every((e: any) => e.duration_ms >= 19), 'the delay is in the measured duration')
})

t.test('delay then drop, and a delayed status', async (t) => {
  const { url } = await listen(t)
  await control(url, 'POST', '/_sandbox/faults', { match: { method: 'PUT' }, action: { delay_ms: 5, drop: true }, times: 1 })
  await control(url, 'POST', '/_sandbox/faults', { match: { method: 'PUT' }, action: { delay_ms: 5, status: 502 }, times: 1 })
  await control(url, 'POST', '/_sandbox/faults', { match: { method: 'PUT' }, action: { delay_ms: 5, drop: true, after: true }, times: 1 })
  await t.rejects(put(url, 'd-1'))
  t.equal((await put(url, 'd-2')).status, 502)
  await t.rejects(put(url, 'd-3'))
  t.equal(await stockOf(url), 252, 'only the drop-after applied')
})

t.test('probability 0 never fires, 1 always; a seed makes the draws reproducible', async (t) => {
  const app = await build(t)
  const get = () => app.inject({ url: '/cart/warehouses', headers: headersFor('shopify') })
  await app.inject({ method: 'POST', url: '/_sandbox/faults', payload: { action: { status: 500 }, probability: 0 } })
  t.equal((await get()).statusCode, 200)
  t.equal((await app.inject({ url: '/_sandbox/faults' })).json().data[0].hits, 0)
  await app.inject({ method: 'DELETE', url: '/_sandbox/faults' })

  const draws = async (seed: number) => {
    await app.inject({ method: 'DELETE', url: '/_sandbox/faults' })
    await app.inject({ method: 'POST', url: '/_sandbox/faults', payload: { action: { status: 500 }, probability: 0.5, seed } })
    const statuses: number[] = []
    for (let i = 0; i < 20; i++) statuses.push((await get()).statusCode)
    return statuses
  }
  const first = await draws(42)
  t.same(await draws(42), first, 'same seed, same requests fail')
  t.ok(first.includes(500) && first.includes(200), 'about half fire')

  await app.inject({ method: 'DELETE', url: '/_sandbox/faults' })
  await app.inject({ method: 'POST', url: '/_sandbox/faults', payload: { action: { status: 500 }, probability: 1 } })
  t.equal((await get()).statusCode, 500)
})

t.test('removing faults, and the contradictions a fault may not have', async (t) => {
  const app = await build(t)
  const add = (payload: object) => app.inject({ method: 'POST', url: '/_sandbox/faults', payload })
  const { id } = (await add({ action: { status: 500 } })).json()
  t.equal((await app.inject({ method: 'DELETE', url: `/_sandbox/faults/${id}` })).statusCode, 204)
  const again = await app.inject({ method: 'DELETE', url: `/_sandbox/faults/${id}` })
  t.equal(again.statusCode, 404)
  t.same(again.json(), { error: `No fault with id ${id}.`, origin: 'trackstar', id })
  t.equal((await app.inject({ url: '/cart/warehouses', headers: headersFor('shopify') })).statusCode, 200)

  t.same((await add({ action: {} })).json().detail, { json: { action: ['Give at least one of status, delay_ms or drop: true.'] } })
  t.same((await add({ action: { drop: false } })).json().detail, { json: { action: ['Give at least one of status, delay_ms or drop: true.'] } })
  t.same((await add({ action: { status: 500, drop: true } })).json().detail, { json: { 'action.drop': ['A dropped connection answers no status: give status or drop, not both.'] } })
  t.same((await add({ action: { delay_ms: 1, body: {} } })).json().detail, { json: { 'action.status': ['body and headers are sent with a status: give status too.'] } })
  for (const bad of [{ action: { status: 99 } }, { action: { delay_ms: 60_000 } }, { action: { status: 500 }, probability: 2 }, { action: { status: 500 }, times: 0 }, { action: { status: 500 }, match: { colour: 'red' } }, {}]) {
    t.equal((await add(bad)).statusCode, 422, JSON.stringify(bad))
  }
  for (let i = 0; i < 100; i++) t.equal((await add({ action: { status: 500 }, match: { product_id: `p${i}` } })).statusCode, 201)
  const full = await add({ action: { status: 500 } })
  t.equal(full.statusCode, 422)
  t.same(full.json().detail, { json: { _schema: ['At most 100 faults at once: delete some first.'] } })
  t.equal((await app.inject({ method: 'DELETE', url: '/_sandbox/faults' })).statusCode, 204)
  t.equal((await app.inject({ url: '/_sandbox/faults' })).json().total_count, 0)
})

t.test('a request without credentials is matched and journaled too', async (t) => {
  const app = await build(t)
  await app.inject({ method: 'POST', url: '/_sandbox/faults', payload: { match: { access_token: 'tok' }, action: { status: 500 } } })
  const res = await app.inject({ url: '/cart/warehouses', headers: { 'set-cookie': ['a', 'b'] } })
  t.equal(res.statusCode, 401, 'no token: the token fault does not match')
  const [entry] = (await app.inject({ url: '/_sandbox/requests' })).json().data
  t.match(entry, { status: 401, access_token: null, fault_id: null, request: { headers: { 'set-cookie': 'a, b' } } })
})

// Date filters, ids[in], paging and page tokens on GET /cart/products and GET /cart/warehouses, and GET /cart/warehouses/{id}, over real HTTP.
import t from 'tap'
import { json } from '../json.js'
import { listen } from '../helper.js'

const day = (d: number): string => `2024-01-0${d}T00:00:00Z`
// Three products and three warehouses with known dates: item n was created on day n and updated on day n + 4.
const dated = (id: string, n: number) => ({ id, created_date: day(n), updated_date: day(n + 4) })

async function store (url: string) {
  const res = await fetch(`${url}/_sandbox/connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      integration: 'shopify',
      warehouses: [{ ...dated('w1', 1), name: 'One' }, { ...dated('w2', 2), name: 'Two' }, { ...dated('w3', 3), name: 'Three' }],
      products: [dated('p1', 1), dated('p2', 2), dated('p3', 3)]
    })
  })
  t.equal(res.status, 201)
  const body = await json(res)
  return { 'x-trackstar-api-key': body.api_key, 'x-trackstar-access-token': body.access_token } as Record<string, string>
}

const ids = (body: { data: Array<{ id: string }> }): string[] => body.data.map((item) => item.id)

// [query, the numbers n of the items it returns]
const CASES: Array<[string, number[]]> = [
  ['created_date=2024-01-02T00:00:00Z', [2]],
  ['created_date[eq]=2024-01-02T00:00:00Z', [2]],
  ['created_date[neq]=2024-01-02T00:00:00Z', [1, 3]],
  ['created_date[gt]=2024-01-02T00:00:00Z', [3]],
  ['created_date[gte]=2024-01-02T00:00:00Z', [2, 3]],
  ['created_date[lt]=2024-01-02T00:00:00Z', [1]],
  ['created_date[lte]=2024-01-02T00:00:00Z', [1, 2]],
  ['created_date[in]=2024-01-01T00:00:00Z,2024-01-03T00:00:00Z', [1, 3]],
  ['created_date[nin]=2024-01-01T00:00:00Z,2024-01-03T00:00:00Z', [2]],
  ['updated_date=2024-01-06T00:00:00Z', [2]],
  ['updated_date[eq]=2024-01-07T00:00:00Z', [3]],
  ['updated_date[neq]=2024-01-07T00:00:00Z', [1, 2]],
  ['updated_date[gt]=2024-01-05T00:00:00Z', [2, 3]],
  ['updated_date[gte]=2024-01-06T00:00:00Z', [2, 3]],
  ['updated_date[lt]=2024-01-06T00:00:00Z', [1]],
  ['updated_date[lte]=2024-01-06T00:00:00Z', [1, 2]],
  ['updated_date[in]=2024-01-05T00:00:00Z,2024-01-07T00:00:00Z', [1, 3]],
  ['updated_date[nin]=2024-01-05T00:00:00Z', [2, 3]],
  // an offset names the same instant
  ['created_date=2024-01-02T02:00:00%2B02:00', [2]],
  // repeated keys are a list too
  ['created_date[in]=2024-01-01T00:00:00Z&created_date[in]=2024-01-02T00:00:00Z', [1, 2]],
  // AND
  ['created_date[gte]=2024-01-02T00:00:00Z&updated_date[lte]=2024-01-06T00:00:00Z', [2]],
  ['created_date[gt]=2024-01-03T00:00:00Z', []],
  // ids[in] overrides every other parameter
  ['ids[in]={3},{1}&created_date[gt]=2030-01-01T00:00:00Z&limit=1', [3, 1]]
]

t.test('every operator on both lists, against items with known dates', async (t) => {
  const { url } = await listen(t)
  const headers = await store(url)
  for (const [list, prefix] of [['products', 'p'], ['warehouses', 'w']] as const) {
    for (const [query, expected] of CASES) {
      const res = await fetch(`${url}/cart/${list}?${query.replace(/\{(\d)\}/g, `${prefix}$1`)}`, { headers })
      t.equal(res.status, 200, `${list}?${query}`)
      const body = await json(res)
      t.same(ids(body), expected.map((n) => `${prefix}${n}`), `${list}?${query}`)
      t.equal(body.total_count, expected.length)
      t.equal(body.next_token, null)
    }
  }
})

t.test('paging a filtered list: stable order, a token only valid with its filters', async (t) => {
  const { url } = await listen(t)
  const headers = await store(url)
  for (const [list, prefix] of [['products', 'p'], ['warehouses', 'w']] as const) {
    const filter = 'updated_date[gte]=2024-01-05T00:00:00Z'
    const seen: string[] = []
    let query = `${filter}&limit=2`
    for (;;) {
      const body = await json(await fetch(`${url}/cart/${list}?${query}`, { headers }))
      t.equal(body.total_count, 3)
      seen.push(...ids(body))
      if (body.next_token === null) break
      query = `${filter}&limit=2&page_token=${body.next_token as string}`
    }
    t.same(seen, [`${prefix}1`, `${prefix}2`, `${prefix}3`], `${list}: creation order across pages`)

    const first = await json(await fetch(`${url}/cart/${list}?${filter}&limit=1`, { headers }))
    for (const other of ['updated_date[gte]=2024-01-06T00:00:00Z', '', 'created_date[gte]=2024-01-05T00:00:00Z']) {
      const res = await fetch(`${url}/cart/${list}?${other}&page_token=${first.next_token as string}`, { headers })
      t.equal(res.status, 422, `${list}: a token for other filters (${other || 'none'})`)
      t.match(await json(res), { origin: 'trackstar', detail: { query: { page_token: [/other filters/] } } })
    }
    const unfiltered = await json(await fetch(`${url}/cart/${list}?limit=1`, { headers }))
    t.equal((await fetch(`${url}/cart/${list}?${filter}&page_token=${unfiltered.next_token as string}`, { headers })).status, 422)
    t.equal((await fetch(`${url}/cart/${list}?page_token=${unfiltered.next_token as string}`, { headers })).status, 200)
  }
})

t.test('bad values and unknown parameters are 422 on detail.query.<name>, and change nothing', async (t) => {
  const { url } = await listen(t)
  const headers = await store(url)
  const BAD: Array<[string, string]> = [
    ['created_date=yesterday', 'created_date'],
    ['created_date[gte]=2024-01-01', 'created_date[gte]'],
    ['updated_date[lt]=2024-13-45T00:00:00Z', 'updated_date[lt]'],
    ['updated_date[in]=2024-01-01T00:00:00Z,nope', 'updated_date[in]'],
    ['created_date[nin]=', 'created_date[nin]'],
    ['created_date[between]=2024-01-01T00:00:00Z', 'created_date[between]'],
    ['sort=asc', 'sort'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    [`ids[in]=${Array.from({ length: 101 }, (_, i) => `id${i}`).join(',')}`, 'ids[in]'],
    ['page_token=not-a-token', 'page_token'],
    ['created_date=2024-01-01T00:00:00Z&created_date=2024-01-02T00:00:00Z', 'created_date']
  ]
  for (const list of ['products', 'warehouses']) {
    for (const [query, name] of BAD) {
      const res = await fetch(`${url}/cart/${list}?${query}`, { headers })
      t.equal(res.status, 422, `${list}?${query}`)
      const body = await json(res)
      t.equal(body.origin, 'trackstar')
      t.ok(Array.isArray(body.detail.query[name]), `${list}?${query} names ${name}`)
    }
  }
  const both = await json(await fetch(`${url}/cart/products?created_date=x&foo=1`, { headers }))
  t.same(Object.keys(both.detail.query).sort(), ['created_date', 'foo'], 'every bad parameter at once')
})

t.test('an adjustment appears in updated_date[gte] of the time it was made (sandbox clock)', async (t) => {
  const { url } = await listen(t)
  const res = await fetch(`${url}/_sandbox/connections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ integration: 'shopify', products: [{ id: 'tee', name: 'Tee', updated_date: day(1), created_date: day(1) }, { id: 'tee_s', parent_product_id: 'tee', updated_date: day(1), created_date: day(1), inventory_by_warehouse_id: { wh_main: 3 } }, { id: 'other', updated_date: day(1), created_date: day(1) }] })
  })
  const created = await json(res)
  const headers = { 'x-trackstar-api-key': created.api_key, 'x-trackstar-access-token': created.access_token }
  const lastRun = '2025-06-01T12:00:00Z'
  await fetch(`${url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: lastRun }) })
  t.same(ids(await json(await fetch(`${url}/cart/products?updated_date[gte]=${lastRun}`, { headers }))), [])
  await fetch(`${url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance_ms: 5000 }) })
  const adjusted = await fetch(`${url}/cart/products/tee_s/adjust-inventory`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ adjustment_type: 'increase', quantity: 2, warehouse_id: 'wh_main', reason: 'received' }) })
  t.equal(adjusted.status, 200)
  const changed = await json(await fetch(`${url}/cart/products?updated_date[gte]=${lastRun}`, { headers }))
  t.same(ids(changed), ['tee', 'tee_s'], 'the variant and its parent, whose sum moved')
  t.equal(changed.data[1].updated_date, '2025-06-01T12:00:05Z')
  t.same(ids(await json(await fetch(`${url}/cart/products?updated_date[lt]=${lastRun}`, { headers }))), ['other'])
})

t.test('GET /cart/warehouses/{warehouse_id}', async (t) => {
  const { url } = await listen(t)
  const headers = await store(url)
  const res = await fetch(`${url}/cart/warehouses/w2`, { headers })
  t.equal(res.status, 200)
  t.same(await json(res), {
    data: {
      id: 'w2', created_date: day(2), updated_date: day(6), name: 'Two', code: null,
      address: { address1: null, address2: null, address3: null, city: null, state: null, postal_code: null, country: null }
    }
  })
  const missing = await fetch(`${url}/cart/warehouses/wh_nowhere`, { headers })
  t.equal(missing.status, 404)
  t.same(await json(missing), { error: 'Cart warehouse wh_nowhere not found.', origin: 'trackstar', id: 'wh_nowhere' })
  t.equal((await fetch(`${url}/cart/warehouses/w2`)).status, 401, 'auth as every emulated route')
  t.equal((await fetch(`${url}/cart/warehouses/w2`, { method: 'DELETE', headers })).status, 405)
})

t.test('the list parameters are served in /openapi.json as Trackstar names and types them', async (t) => {
  const { url } = await listen(t)
  const doc = await json(await fetch(`${url}/openapi.json`))
  for (const path of ['/cart/products', '/cart/warehouses']) {
    const operation = doc.paths[path].get
    t.ok(operation.operationId, `${path} has an operationId`)
    const params = Object.fromEntries(operation.parameters.filter((p: { in: string }) => p.in === 'query').map((p: { name: string, schema: unknown }) => [p.name, p.schema]))
    t.match(params['created_date[gte]'], { type: 'string', format: 'date-time' })
    t.match(params['updated_date[nin]'], { type: 'array', items: { type: 'string', format: 'date-time' } })
    t.match(params.limit, { type: 'integer' })
    t.match(params['ids[in]'], { type: 'array', items: { type: 'string' } })
    t.equal(Object.keys(params).length, 21, 'page_token, limit, ids[in] and 9 per date field')
  }
  t.ok(doc.paths['/cart/warehouses/{warehouse_id}'].get.operationId)
  t.ok(doc.paths['/cart/products/batch-adjust-inventory'].put.operationId)
})

// Isolation and access: no key or token reads or changes another connection's data; secrets never logged; SQL-ish input is data.
import t from 'tap'
import { Writable } from 'node:stream'
import { createHash } from 'node:crypto'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildApp } from '../../src/app.js'
import { build } from '../helper.js'

interface Credential { name: string, key: string, token: string, connectionId: string, body: Record<string, unknown> }

const increase = { quantity: 1, adjustment_type: 'increase' }
// Valid credentials of both organisations, each with a body its integration accepts.
const VALID: Credential[] = [
  { name: 'acme shopify', key: 'sandbox_api_key', token: 'acme_shopify_token', connectionId: 'conn_acme_shopify', body: { ...increase, warehouse_id: 'wh_nyc', reason: 'received' } },
  { name: 'acme amazon', key: 'sandbox_api_key', token: 'acme_amazon_token', connectionId: 'conn_acme_amazon', body: { ...increase, warehouse_id: 'DEFAULT' } },
  { name: 'acme etsy', key: 'sandbox_api_key', token: 'acme_etsy_token', connectionId: 'conn_acme_etsy', body: increase },
  { name: 'acme sandbox', key: 'sandbox_api_key', token: 'acme_sandbox_token', connectionId: 'conn_acme_sandbox', body: increase },
  { name: 'globex shopify', key: 'globex_api_key', token: 'globex_shopify_token', connectionId: 'conn_globex_shopify', body: { ...increase, warehouse_id: 'loc_seattle_main', reason: 'received' } },
  { name: 'globex faire (negative stock allowed)', key: 'globex_api_key', token: 'globex_faire_negative_token', connectionId: 'conn_globex_faire_negative', body: increase }
]
const ADMIN_TOKEN = 'isolation-admin-token-0001'
const SECRETS = ['sandbox_api_key', 'acme_readonly_key', 'globex_api_key', ...new Set(VALID.map((c) => c.token)), 'globex_walmart_disabled_token', 'globex_etsy_noadjust_token']

const auth = (c: { key: string, token: string }): Record<string, string> => ({ 'x-trackstar-api-key': c.key, 'x-trackstar-access-token': c.token })

function productsByConnection (app: FastifyInstance): Map<string, Array<{ id: string, parent: string }>> {
  const rows = app.sandbox.db.prepare<[], { connection_id: string, id: string, parent_product_id: string }>('SELECT connection_id, id, parent_product_id FROM products ORDER BY connection_id, position').all()
  const map = new Map<string, Array<{ id: string, parent: string }>>()
  for (const row of rows) map.set(row.connection_id, [...(map.get(row.connection_id) ?? []), { id: row.id, parent: row.parent_product_id }])
  return map
}

function productsHash (app: FastifyInstance): string {
  const rows = app.sandbox.db.prepare('SELECT connection_id, id, body FROM products ORDER BY connection_id, id').all()
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex')
}

t.test('matrix: every valid credential × every product of every other connection → 404, nothing changed', async (t) => {
  const app = await build(t)
  const byConnection = productsByConnection(app)
  const before = productsHash(app)
  const ledgerBefore = app.sandbox.ledger.list({ limit: 1 }).total
  let probes = 0
  const wrong: string[] = []
  for (const credential of VALID) {
    for (const [connectionId, products] of byConnection) {
      if (connectionId === credential.connectionId) continue
      for (const { id } of products) {
        const get = await app.inject({ url: `/cart/products/${encodeURIComponent(id)}`, headers: auth(credential) })
        const put = await app.inject({ method: 'PUT', url: `/cart/products/${encodeURIComponent(id)}/adjust-inventory`, headers: auth(credential), payload: credential.body })
        probes += 2
        // An id that also exists in the caller's own connection is the caller's own product, not a foreign one.
        if (byConnection.get(credential.connectionId)?.some((p) => p.id === id)) continue
        if (get.statusCode !== 404 || get.json().id !== id) wrong.push(`${credential.name} GET ${connectionId}/${id} → ${get.statusCode}`)
        if (put.statusCode !== 404 || put.json().id !== id) wrong.push(`${credential.name} PUT ${connectionId}/${id} → ${put.statusCode}`)
      }
    }
  }
  t.same(wrong, [], `${probes} cross-connection reads and writes all answered 404`)
  t.equal(productsHash(app), before, 'no product of any connection changed')
  t.equal(app.sandbox.ledger.list({ limit: 1 }).total, ledgerBefore, 'no ledger row was written')

  // The same credentials do reach their own data, so the 404s above are isolation, not a broken route.
  for (const credential of VALID) {
    const own = byConnection.get(credential.connectionId) ?? []
    const variant = own.find((p) => p.id !== p.parent)?.id ?? ''
    const put = await app.inject({ method: 'PUT', url: `/cart/products/${encodeURIComponent(variant)}/adjust-inventory`, headers: auth(credential), payload: credential.body })
    t.equal(put.statusCode, 200, `${credential.name} adjusts its own ${variant}`)
    const list = await app.inject({ url: '/cart/products', headers: auth(credential) })
    t.same(list.json().data.map((p: { id: string }) => p.id), own.map((p) => p.id), `${credential.name}: the list is exactly its own products`)
    const foreign = [...byConnection].filter(([id]) => id !== credential.connectionId).flatMap(([, ps]) => ps.map((p) => p.id))
      .filter((id) => !own.some((p) => p.id === id)).slice(0, 100)
    const asked = await app.inject({ url: `/cart/products?ids[in]=${encodeURIComponent(foreign.join(','))}`, headers: auth(credential) })
    t.same(asked.json().data, [], `${credential.name}: ids[in] of 100 foreign ids returns none of them`)
    const warehouses = await app.inject({ url: '/cart/warehouses', headers: auth(credential) })
    t.same(warehouses.json().data.map((w: { id: string }) => w.id), app.sandbox.tenants.warehouseIds(credential.connectionId).ids, `${credential.name}: only its own warehouses`)
  }
})

t.test('a key with another organisation\'s token, a read-only key, disabled and missing actions', async (t) => {
  const app = await build(t)
  const before = productsHash(app)
  const acmeProduct = 'shp_tee_001_m'
  const globexProduct = 'gx_twl_001_wht'
  const cases: Array<[string, Record<string, string>, 'GET' | 'PUT' | 'LIST' | 'WAREHOUSES', string, number]> = []
  for (const kind of ['GET', 'PUT', 'LIST', 'WAREHOUSES'] as const) {
    cases.push([`acme key + globex token ${kind}`, auth({ key: 'sandbox_api_key', token: 'globex_shopify_token' }), kind, globexProduct, 401])
    cases.push([`globex key + acme token ${kind}`, auth({ key: 'globex_api_key', token: 'acme_shopify_token' }), kind, acmeProduct, 401])
    cases.push([`acme read-only key + globex token ${kind}`, auth({ key: 'acme_readonly_key', token: 'globex_shopify_token' }), kind, globexProduct, 401])
    cases.push([`globex token alone ${kind}`, { 'x-trackstar-access-token': 'globex_shopify_token' }, kind, globexProduct, 401])
    cases.push([`globex key alone ${kind}`, { 'x-trackstar-api-key': 'globex_api_key' }, kind, globexProduct, 401])
  }
  cases.push(['read-only key PUT', auth({ key: 'acme_readonly_key', token: 'acme_shopify_token' }), 'PUT', acmeProduct, 403])
  cases.push(['read-only key GET', auth({ key: 'acme_readonly_key', token: 'acme_shopify_token' }), 'GET', acmeProduct, 200])
  cases.push(['disabled adjust', auth({ key: 'globex_api_key', token: 'globex_walmart_disabled_token' }), 'PUT', 'gxw_bin_001_smc', 403])
  cases.push(['adjust not implemented', auth({ key: 'globex_api_key', token: 'globex_etsy_noadjust_token' }), 'PUT', 'gxe_wal_001_sm', 501])
  for (const [name, headers, kind, id, status] of cases) {
    const res = kind === 'PUT'
      ? await app.inject({ method: 'PUT', url: `/cart/products/${id}/adjust-inventory`, headers, payload: { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' } })
      : await app.inject({ url: kind === 'GET' ? `/cart/products/${id}` : kind === 'LIST' ? '/cart/products' : '/cart/warehouses', headers })
    t.equal(res.statusCode, status, `${name} → ${status}`)
    if (status !== 200) t.notMatch(res.body, /gx_|shp_|loc_|wh_/, `${name}: the error names no product or warehouse`)
  }
  t.equal(productsHash(app), before, 'nothing changed')
})

t.test('SQL-ish ids and filters are treated as data', async (t) => {
  const app = await build(t)
  const before = productsHash(app)
  const headers = auth(VALID[0] as Credential)
  const sqlish = ["' OR '1'='1", "shp_tee_001_m' --", 'shp_tee_001_m"; DROP TABLE products; --', '%', '_', 'shp%', 'shp_tee_001_%', '1 OR 1=1', "'); DELETE FROM adjustments; --"]
  for (const id of sqlish) {
    const get = await app.inject({ url: `/cart/products/${encodeURIComponent(id)}`, headers })
    t.equal(get.statusCode, 404, `GET ${id} → 404`)
    t.equal(get.json().id, id, `the id comes back verbatim: ${id}`)
    const put = await app.inject({ method: 'PUT', url: `/cart/products/${encodeURIComponent(id)}/adjust-inventory`, headers, payload: { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' } })
    t.equal(put.statusCode, 404, `PUT ${id} → 404`)
    const warehouse = await app.inject({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers, payload: { quantity: 1, adjustment_type: 'increase', warehouse_id: id, reason: 'received' } })
    t.equal(warehouse.statusCode, 422, `warehouse ${id} → 422`)
  }
  const listed = await app.inject({ url: `/cart/products?ids[in]=${encodeURIComponent(sqlish.join(','))}`, headers })
  t.same(listed.json().data, [], 'ids[in] of SQL-ish ids matches nothing')
  for (const id of sqlish) {
    t.equal(app.sandbox.ledger.list({ limit: 10, productId: id }).total, 0, `ledger filter ${id} matches nothing`)
    t.equal(app.sandbox.ledger.list({ limit: 10, warehouseId: id, connectionId: id }).total, 0, `ledger filters ${id} match nothing`)
  }
  t.equal(productsHash(app), before, 'nothing changed')
  const tables = app.sandbox.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('products', 'adjustments')").get() as { n: number }
  t.equal(tables.n, 2, 'both tables are still there')
})

t.test('secrets never reach the log, even at trace level', async (t) => {
  let log = ''
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { log += chunk.toString('utf8'); done() } })
  const app = await buildApp({ dbPath: ':memory:', rateLimit: false, adminToken: ADMIN_TOKEN }, { logger: { level: 'trace', stream } })
  t.teardown(() => app.close())
  const requests: InjectOptions[] = []
  // The admin token, right and in wrong places: on the control plane, on the emulated API, as an API key.
  requests.push({ method: 'POST', url: '/_sandbox/faults', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { match: { path: '/nowhere' }, action: { status: 503 } } })
  requests.push({ url: '/_sandbox/requests', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  requests.push({ url: '/_sandbox/faults', headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } })
  requests.push({ url: '/_sandbox/faults', headers: { authorization: ADMIN_TOKEN } })
  requests.push({ url: '/cart/products', headers: { ...auth(VALID[0] as Credential), authorization: `Bearer ${ADMIN_TOKEN}` } })
  requests.push({ url: '/cart/products', headers: { 'x-trackstar-api-key': ADMIN_TOKEN, 'x-trackstar-access-token': ADMIN_TOKEN } })
  for (const credential of VALID) {
    requests.push({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: auth(credential), payload: credential.body })
    requests.push({ url: '/cart/products/nope', headers: auth(credential) })
  }
  requests.push({ url: '/cart/products', headers: auth({ key: 'acme_readonly_key', token: 'globex_walmart_disabled_token' }) })
  requests.push({ method: 'PUT', url: '/cart/products/gxe_wal_001_sm/adjust-inventory', headers: auth({ key: 'globex_api_key', token: 'globex_etsy_noadjust_token' }), payload: increase })
  requests.push({ method: 'PUT', url: '/cart/products/x/adjust-inventory', headers: { ...auth(VALID[0] as Credential), 'content-type': 'application/json' }, payload: '{"bad json' })
  requests.push({ method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'sandbox_api_key', authorization: 'Bearer sandbox_api_key' } })
  requests.push({ url: '/%E0%A4%A', headers: auth(VALID[0] as Credential) })
  for (const request of requests) await app.inject(request)
  // A route that logs the headers object itself, as a careless handler might.
  app.log.info({ headers: { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token' } }, 'headers logged on purpose')
  t.ok(log.split('\n').length > requests.length * 2, 'the requests were logged')
  t.match(log, /_sandbox\/faults/, 'the control requests were logged')
  t.match(log, /\[redacted\]/, 'the logged headers were redacted')
  for (const secret of [...SECRETS, ADMIN_TOKEN]) t.notOk(log.includes(secret), `${secret} never appears in the log`)
})

t.test('the journal shows credentials only as their last 4 characters, whatever the request', async (t) => {
  const app = await build(t, { adminToken: ADMIN_TOKEN })
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` }
  const generated = await app.inject({ method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'sandbox_api_key', authorization: `Bearer ${ADMIN_TOKEN}` } })
  t.equal(generated.statusCode, 200)
  const sandboxToken = generated.json().access_token as string
  t.ok(sandboxToken.length >= 8, 'the generator answered with an access token')
  const requests: InjectOptions[] = [
    ...VALID.map((c, i) => ({ method: 'PUT' as const, url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: { ...auth(c), 'x-request-id': `journal-${i}` }, payload: c.body })),
    { url: '/cart/products', headers: { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': sandboxToken } },
    // Failed auth of every kind, and secrets where they do not belong: in the admin header, in the query, in the body.
    { url: '/cart/products', headers: auth({ key: 'sandbox_api_key', token: 'globex_shopify_token' }) },
    { url: '/cart/products', headers: auth({ key: 'acme_readonly_key', token: 'no_such_token_at_all' }) },
    { url: '/cart/products', headers: { 'x-trackstar-api-key': 'globex_api_key' } },
    { url: '/cart/products', headers: { 'x-trackstar-access-token': 'globex_etsy_noadjust_token', authorization: `Bearer ${ADMIN_TOKEN}` } },
    { url: '/cart/products', headers: { 'x-trackstar-api-key': ADMIN_TOKEN, 'x-trackstar-access-token': ADMIN_TOKEN } },
    { method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers: auth({ key: 'globex_api_key', token: 'globex_walmart_disabled_token' }), payload: increase },
    { method: 'PUT', url: '/cart/products/gxe_wal_001_sm/adjust-inventory', headers: auth({ key: 'globex_api_key', token: 'globex_etsy_noadjust_token' }), payload: increase },
    { method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'acme_readonly_key' } },
    { method: 'POST', url: '/sandbox/generate-sandbox/cart', headers: { 'x-trackstar-api-key': 'globex_api_key' } },
    { url: '/nowhere', headers: { ...auth(VALID[0] as Credential), cookie: `session=${ADMIN_TOKEN}` } }
  ]
  for (const request of requests) await app.inject(request)
  const list = await app.inject({ url: '/_sandbox/requests?limit=1000', headers: admin })
  t.equal(list.statusCode, 200)
  const entries = list.json().data as Array<{ request_id: string, status: number, access_token: string | null }>
  t.equal(entries.length, requests.length + 1, 'every emulated request was journaled (the first generator call too)')
  t.ok(entries.some((e) => e.status === 401) && entries.some((e) => e.status === 403) && entries.some((e) => e.status === 501), 'failed requests are among them')
  const generatorEntry = entries.find((e) => e.request_id === generated.headers['x-request-id'])
  t.match(generatorEntry, { response: { body: { access_token: `****${sandboxToken.slice(-4)}` } } }, 'the generator\'s answer is journaled with the token cut to its last 4')
  t.match(entries.find((e) => e.request_id === 'journal-0'), { access_token: '****oken', request: { headers: { 'x-trackstar-api-key': '****_key', 'x-trackstar-access-token': '****oken' } } })
  const secrets = [...SECRETS, ADMIN_TOKEN, sandboxToken, 'no_such_token_at_all']
  const bodies = [list.body]
  for (const { request_id: id } of entries) {
    const one = await app.inject({ url: `/_sandbox/requests/${encodeURIComponent(id)}`, headers: admin })
    t.equal(one.statusCode, 200)
    bodies.push(one.body)
  }
  // Filtering by a full token works, and the answer still shows it only redacted.
  const filtered = await app.inject({ url: `/_sandbox/requests?access_token=${sandboxToken}`, headers: admin })
  t.equal(filtered.json().total_count, 1, 'the journal filters by the full token')
  bodies.push(filtered.body)
  for (const secret of secrets) t.notOk(bodies.some((body) => body.includes(secret)), `${secret} never appears in full in the journal`)
})

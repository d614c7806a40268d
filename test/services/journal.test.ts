// The journal's ring: bounded, newest first, filtered, secrets redacted.
import t from 'tap'
import { Journal, isEmulatedPath, redact } from '../../src/services/journal.js'

const recorded = (n: number, extra: Partial<{ token: string, status: number, method: string, product: string }> = {}) => ({
  requestId: `req_${n}`, startedMs: n, method: extra.method ?? 'GET', url: '/cart/products', query: {},
  status: extra.status ?? 200, elapsedMs: 1, headers: {}, productId: extra.product ?? null, faultId: null, dropped: false, body: null,
  token: extra.token,
  payload: n % 2 === 0 ? JSON.stringify({ n }) : 'not json'
})

t.test('keeps the newest `size` entries, newest first, and parses JSON answers', async (t) => {
  const journal = new Journal(3)
  for (let n = 1; n <= 5; n++) journal.record(recorded(n))
  t.equal(journal.count, 3)
  const { data, total } = journal.list({ limit: 10 })
  t.same(data.map((e) => e.request_id), ['req_5', 'req_4', 'req_3'])
  t.equal(total, 3)
  t.same(data[1]?.response.body, { n: 4 })
  t.equal(data[0]?.response.body, 'not json')
  t.equal(journal.get('req_1'), undefined, 'the oldest were dropped')
  t.equal(journal.get('req_4')?.request_id, 'req_4')
  journal.clear()
  t.equal(journal.list({ limit: 10 }).total, 0)
})

t.test('filters by token, status, method and product; limit caps data, not total_count', async (t) => {
  const journal = new Journal(10)
  journal.record(recorded(1, { token: 'tok_a', status: 200, method: 'PUT', product: 'p1' }))
  journal.record(recorded(2, { token: 'tok_b', status: 422, method: 'PUT', product: 'p1' }))
  journal.record(recorded(3, { token: 'tok_a', status: 200, method: 'GET', product: 'p2' }))
  t.same(journal.list({ limit: 10, accessToken: 'tok_a' }).data.map((e) => e.request_id), ['req_3', 'req_1'])
  t.same(journal.list({ limit: 10, status: 422 }).data.map((e) => e.request_id), ['req_2'])
  t.same(journal.list({ limit: 10, method: 'put' }).data.map((e) => e.request_id), ['req_2', 'req_1'])
  t.same(journal.list({ limit: 10, productId: 'p2' }).data.map((e) => e.request_id), ['req_3'])
  const capped = journal.list({ limit: 1 })
  t.equal(capped.data.length, 1)
  t.equal(capped.total, 3)
})

t.test('redact shows at most the last 4 characters, and nothing of a short value', async (t) => {
  t.equal(redact('acme_shopify_token'), '****oken')
  t.equal(redact('short'), '****')
})

t.test('the control plane and the docs are not the emulated API', async (t) => {
  t.ok(isEmulatedPath('/cart/products'))
  t.ok(isEmulatedPath('/nowhere'))
  for (const path of ['/_sandbox', '/_sandbox/requests', '/docs', '/docs/static/index.html', '/openapi.json']) t.notOk(isEmulatedPath(path), path)
})

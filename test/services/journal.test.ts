// The journal's ring: bounded, newest first, filtered, secrets redacted.
import t from 'tap'
import { Journal, SLOT_BYTES, isEmulatedPath, redact } from '../../src/services/journal.js'

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

t.test('entries keep every part through the slab: headers, query, body, answer, ids, and a dropped connection', async (t) => {
  const journal = new Journal(300)
  const entry = {
    requestId: 'req_x', startedMs: Date.parse('2030-01-01T00:00:00.250Z'), method: 'PUT', url: '/cart/products/p%201/adjust-inventory?x=1', query: { x: '1' },
    status: null, elapsedMs: 1.2345678, headers: { 'x-trackstar-access-token': 'tok_abcdefgh', 'set-cookie': ['a=1', 'b=2'] },
    productId: 'p 1', faultId: 'fault_1', dropped: true, body: { quantity: 2, reason: 'line\nbreak — é' },
    token: 'tok_abcdefgh', payload: '{"multi":"line\nanswer"}'
  }
  // More entries than one slab chunk (256 slots), so the ring spans chunks and wraps.
  for (let n = 0; n < 650; n++) journal.record({ ...entry, requestId: `req_${n}` })
  journal.record(entry)
  t.equal(journal.count, 300)
  t.same(journal.get('req_x'), {
    request_id: 'req_x', time: '2030-01-01T00:00:00.250Z', method: 'PUT', path: '/cart/products/p%201/adjust-inventory', query: { x: '1' },
    status: null, duration_ms: 1.235, access_token: '****efgh', product_id: 'p 1', fault_id: 'fault_1', dropped: true,
    request: { headers: { 'x-trackstar-access-token': '****efgh', 'set-cookie': 'a=1, b=2' }, body: { quantity: 2, reason: 'line\nbreak — é' } },
    response: { body: '{"multi":"line\nanswer"}' }
  }, 'an answer that is not JSON, with a line break, comes back as sent')
  t.same(journal.get('req_649')?.request.body, entry.body, 'the entry before it, in the previous slot')
  t.equal(journal.get('req_349'), undefined, 'wrapped: older entries are gone')
  journal.record({ ...entry, requestId: 'req_nobody', query: undefined, body: undefined, payload: null })
  t.same(journal.get('req_nobody')?.query, {}, 'no query object: an empty query')
  t.same(journal.get('req_nobody')?.request, { headers: { 'x-trackstar-access-token': '****efgh', 'set-cookie': 'a=1, b=2' }, body: null, truncated: true })
  t.equal(journal.get('req_nobody')?.response.body, null)
})

t.test('entries too long for a slot are kept whole, until their slot is reused or the journal cleared', async (t) => {
  const journal = new Journal(100)
  // Two-byte characters: few enough characters for a slot, too many UTF-8 bytes.
  journal.record({ ...recorded(0), payload: JSON.stringify({ text: '€'.repeat(SLOT_BYTES / 2) }) })
  t.equal((journal.get('req_0')?.response.body as { text: string }).text, '€'.repeat(SLOT_BYTES / 2))
  const long = (n: number) => {
    const id = String(n).padStart(3, '0')
    return { ...recorded(n), requestId: `long_${id}`, payload: JSON.stringify({ text: id + 'x'.repeat(60_000 - 3) }) }
  }
  for (let n = 1; n <= 100; n++) journal.record(long(n))
  t.equal((journal.get('long_100')?.response.body as { text: string }).text.length, 60_000, 'kept whole')
  t.equal(journal.get('req_0'), undefined, 'wrapped: the first long entry is gone')
  for (let n = 101; n <= 150; n++) journal.record(recorded(n))
  t.equal(journal.get('long_050'), undefined, 'a reused slot holds the new entry')
  t.equal((journal.get('long_051')?.response.body as { text: string }).text.slice(0, 3), '051', 'the next long entry is still whole')
  journal.clear()
  t.equal(journal.count, 0)
  t.equal(journal.get('long_100'), undefined, 'cleared')
})

t.test('equal long answers in a row share one copy, and each reads back whole', async (t) => {
  const journal = new Journal(200)
  // A list polled 100 times: 100 answers of 60,000 characters, 6 million if each were kept.
  const answer = (letter: string) => JSON.stringify({ text: letter.repeat(60_000) })
  for (let n = 1; n <= 100; n++) journal.record({ ...recorded(n), requestId: `poll_${n}`, payload: answer('a') })
  for (const n of [1, 50, 100]) t.equal((journal.get(`poll_${n}`)?.response.body as { text: string }).text, 'a'.repeat(60_000), `poll ${n} kept whole`)
  // Answers that change between polls are each kept, and none reads back another's answer.
  journal.record({ ...recorded(101), requestId: 'b', payload: answer('b') })
  journal.record({ ...recorded(102), requestId: 'a_again', payload: answer('a') })
  journal.record({ ...recorded(103), requestId: 'b_again', payload: answer('b') })
  t.same(['poll_100', 'b', 'a_again', 'b_again'].map((id) => (journal.get(id)?.response.body as { text: string }).text[0]), ['a', 'b', 'a', 'b'])
})

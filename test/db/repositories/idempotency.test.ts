// The idempotency store keeps at most `capacity` keys, dropping the oldest, and forgets keys after their lifetime.
import t from 'tap'
import { openDatabase } from '../../../src/db/database.js'
import { IdempotencyRepository } from '../../../src/db/repositories/idempotency.js'

t.test('bounded: the oldest key goes first; expired keys are not found and are dropped', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.close())
  db.exec("INSERT INTO organisations VALUES ('org', 'Org'); INSERT INTO connections (id, organisation_id, integration, access_token, available_actions, created_at) VALUES ('c1', 'org', 'shopify', 't1', '[]', 'now')")
  const store = new IdempotencyRepository(db, 3, 1000)
  const answer = (ms: number) => ({ fingerprint: 'f', request_id: `r${ms}`, status: 200, body: '{}', created_ms: ms })
  for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) store.save('c1', key, answer(100 + i))
  t.equal(store.find('c1', 'a', 200), undefined, 'the oldest was evicted')
  t.same(['b', 'c', 'd'].map((key) => store.find('c1', key, 200)?.request_id), ['r101', 'r102', 'r103'])
  t.equal(store.find('c1', 'b', 1101), undefined, 'expired after ttl')
  store.save('c1', 'e', answer(1200))
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM idempotency_keys').get()?.n
  t.equal(count, 1, 'expired rows are deleted on the next save')
  t.equal(store.find('c2', 'e', 1200), undefined, 'per connection')
})

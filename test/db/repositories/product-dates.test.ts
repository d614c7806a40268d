// Date filters compare stored dates as instants: a date that is missing or not a calendar instant matches none.
import t from 'tap'
import { openDatabase } from '../../../src/db/database.js'
import { ProductRepository } from '../../../src/db/repositories/products.js'

t.test('iso_ms: offsets compare as instants; null and an unreadable date give null', async (t) => {
  const db = openDatabase(':memory:')
  t.teardown(() => db.close())
  void new ProductRepository(db)
  const isoMs = (value: string | null): number | null => (db.prepare<[string | null], { ms: number | null }>('SELECT iso_ms(?) AS ms').get(value) as { ms: number | null }).ms
  t.equal(isoMs('2024-01-01T00:00:00Z'), Date.UTC(2024, 0, 1))
  t.equal(isoMs('2024-01-01T02:00:00+02:00'), Date.UTC(2024, 0, 1))
  t.equal(isoMs(null), null, 'a missing date')
  t.equal(isoMs('2016-12-31T23:59:60Z'), null, 'a leap second: valid RFC 3339, but no instant JavaScript can place')
})

// Graceful shutdown under load: SIGTERM while requests are in flight finishes or cleanly refuses them, then closes the database.
import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { API_KEY, listen, tempDir, token } from '../helper.js'
import { openSocket, readUntilClosed } from './raw-http.js'
import { apiStock, inspectDatabase, STRESS, startServer, VARIANTS, writeLoad } from './server-process.js'

const ROUNDS = STRESS ? 10 : 1

t.test(`SIGTERM under a write load (${ROUNDS} round${ROUNDS > 1 ? 's' : ''}): no lost 200, no unclean answer, database closed`, async (t) => {
  const dbPath = join(tempDir(t), 'sandbox.sqlite')
  const totals = { acknowledged: 0, refused503: 0, noAnswer: 0, lost: 0 }
  for (let round = 0; round < ROUNDS; round++) {
    const server = await startServer(t, dbPath)
    const start = await apiStock(server.url)
    let dead = false
    void server.exited.then(() => { dead = true })
    let signalled = false
    const termAfter = 10 + Math.floor(Math.random() * 100)
    const prefix = `term${round}`
    const load = await writeLoad(server.url, prefix, 16, () => dead, (result) => {
      if (signalled || result.acknowledged.size < termAfter) return
      signalled = true
      server.child.kill('SIGTERM')
    })
    const exit = await server.exited
    t.same(exit, { code: 0, signal: null }, `round ${round}: the server exited by itself with code 0`)
    t.match(server.output(), /server closing/, `round ${round}: it logged its graceful close`)
    t.same(load.bad, [], `round ${round}: every answer was a 200 or a 503 in Trackstar's shape`)
    // The last connection to close a WAL database checkpoints it and deletes the -wal file: proof the close ran.
    t.notOk(existsSync(`${dbPath}-wal`), `round ${round}: the database was closed cleanly (WAL checkpointed and removed)`)

    const disk = inspectDatabase(dbPath)
    t.equal(disk.integrity, 'ok', `round ${round}: integrity_check ok`)
    const rows = disk.ledger.filter((row) => row.request_id.startsWith(`${prefix}-`))
    const inLedger = new Set(rows.map((row) => row.request_id))
    const lost = [...load.acknowledged].filter((id) => !inLedger.has(id))
    t.same(lost, [], `round ${round}: every 200 is in the ledger`)
    t.ok(rows.every((row) => load.sent.has(row.request_id)), `round ${round}: nothing in the ledger that was not sent`)
    const restarted = await startServer(t, dbPath)
    const after = await apiStock(restarted.url)
    for (const id of VARIANTS) {
      const added = rows.filter((row) => row.product_id === id).reduce((sum, row) => sum + row.quantity, 0)
      t.equal(after.get(id), (start.get(id) ?? 0) + added, `round ${round}: ${id} after the restart = before + its ledger rows`)
    }
    restarted.child.kill('SIGTERM')
    await restarted.exited
    totals.acknowledged += load.acknowledged.size
    totals.refused503 += load.statuses.get(503) ?? 0
    totals.noAnswer += load.noAnswer
    totals.lost += lost.length
  }
  t.comment(`shutdown figures: ${JSON.stringify({ rounds: ROUNDS, ...totals })}`)
})

t.test('while closing, an in-flight request finishes and a new one on the same socket gets a 503 in Trackstar shape', async (t) => {
  const { app, url } = await listen(t)
  const body = JSON.stringify({ quantity: 2, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
  const head = (id: string): string => `PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\nx-trackstar-api-key: ${API_KEY}\r\n` +
    `x-trackstar-access-token: ${token('shopify')}\r\ncontent-type: application/json\r\nx-request-id: ${id}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n`
  const before = app.sandbox.products.get('conn_acme_shopify', 'shp_tee_001_m')?.inventory_by_warehouse_id.wh_nyc ?? 0
  const socket = await openSocket(url)
  const reading = readUntilClosed(socket)
  // The first request is admitted (headers sent) but its body is still on its way when the close starts.
  socket.write(head('in-flight') + body.slice(0, 10))
  await new Promise((resolve) => setTimeout(resolve, 100))
  const closed = app.close()
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.ok(app.sandbox.db.open, 'the database stays open while a request is in flight')
  socket.write(body.slice(10) + head('after-close') + body)
  const { responses } = await reading
  await closed
  t.equal(responses.length, 2, 'both requests were answered')
  t.equal(responses[0]?.status, 200, 'the in-flight request finished')
  t.equal(responses[0]?.headers['x-request-id'], 'in-flight')
  t.equal(JSON.parse(responses[0]?.body ?? '{}').data.inventory_by_warehouse_id.wh_nyc, before + 2)
  t.equal(responses[1]?.status, 503, 'the request that arrived while closing was refused')
  t.same(JSON.parse(responses[1]?.body ?? '{}'), { error: 'The sandbox is shutting down; retry once it is back.', origin: 'trackstar' })
  t.equal(responses[1]?.headers['x-request-id'], 'after-close')
  t.equal(responses[1]?.headers.connection, 'close')
  t.notOk(app.sandbox.db.open, 'the database is closed once the server has closed')
})

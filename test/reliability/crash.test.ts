// Crash safety: SIGKILL the real server under a write load, restart it on the same file, and audit ledger, stock and file.
import t from 'tap'
import { join } from 'node:path'
import { tempDir } from '../helper.js'
import { apiStock, inspectDatabase, STRESS, startServer, VARIANTS, WAREHOUSE, writeLoad } from './server-process.js'

const CYCLES = STRESS ? 30 : 2
const WORKERS = 16

t.test(`${CYCLES} SIGKILLs under load lose no acknowledged adjustment and invent none`, async (t) => {
  const dbPath = join(tempDir(t), 'sandbox.sqlite')
  let expected: Map<string, number> | null = null
  const totals = { sent: 0, acknowledged: 0, lost: 0, committedUnanswered: 0, invented: 0 }

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const server = await startServer(t, dbPath)
    const start = await apiStock(server.url)
    if (expected) t.same(Object.fromEntries(start), Object.fromEntries(expected), `cycle ${cycle}: after the restart the API shows the stock found on disk`)

    // Kill at a random moment once some adjustments are acknowledged, with requests still in flight.
    const killAfter = 10 + Math.floor(Math.random() * 150)
    let dead = false
    void server.exited.then(() => { dead = true })
    let killScheduled = false
    const prefix = `crash${cycle}`
    const load = await writeLoad(server.url, prefix, WORKERS, () => dead, (result) => {
      if (killScheduled || result.acknowledged.size < killAfter) return
      killScheduled = true
      setTimeout(() => server.child.kill('SIGKILL'), Math.floor(Math.random() * 10))
    })
    const exit = await server.exited
    t.equal(exit.signal, 'SIGKILL', `cycle ${cycle}: the server was killed, not stopped`)
    t.same(load.bad, [], `cycle ${cycle}: every answer before the kill was a 200`)

    const disk = inspectDatabase(dbPath)
    t.equal(disk.integrity, 'ok', `cycle ${cycle}: PRAGMA integrity_check is ok`)
    const rows = disk.ledger.filter((row) => row.request_id.startsWith(`${prefix}-`))
    const inLedger = new Set(rows.map((row) => row.request_id))
    t.equal(inLedger.size, rows.length, `cycle ${cycle}: no request is in the ledger twice`)
    const lost = [...load.acknowledged].filter((id) => !inLedger.has(id))
    t.same(lost, [], `cycle ${cycle}: every adjustment answered 200 is in the ledger`)
    const invented = rows.filter((row) => {
      const sent = load.sent.get(row.request_id)
      return !sent || sent.productId !== row.product_id || sent.quantity !== row.quantity || row.warehouse_id !== WAREHOUSE ||
        row.status !== 'applied' || row.after - row.before !== row.quantity
    })
    t.same(invented, [], `cycle ${cycle}: every ledger row is a request that was sent, applied as sent`)
    for (const id of VARIANTS) {
      const added = rows.filter((row) => row.product_id === id).reduce((sum, row) => sum + row.quantity, 0)
      t.equal(disk.stock.get(id), (start.get(id) ?? 0) + added, `cycle ${cycle}: ${id}'s stock is its start plus its ledger rows`)
    }
    expected = disk.stock
    totals.sent += load.sent.size
    totals.acknowledged += load.acknowledged.size
    totals.lost += lost.length
    totals.invented += invented.length
    totals.committedUnanswered += rows.length - load.acknowledged.size
  }

  const last = await startServer(t, dbPath)
  t.same(Object.fromEntries(await apiStock(last.url)), Object.fromEntries(expected ?? []), 'after the last kill the API shows the stock found on disk')
  t.comment(`crash figures: ${JSON.stringify({ cycles: CYCLES, ...totals })}`)
})

// Times the control plane over real HTTP: a 1,000-product connection, snapshot, restore and reset (median of runs).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox } from '../src/index.js'

const RUNS = 20

async function time (label: string, run: () => Promise<Response>): Promise<void> {
  const samples: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    const res = await run()
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`${label}: HTTP ${res.status}`)
    samples.push(performance.now() - start)
  }
  samples.sort((a, b) => a - b)
  const median = samples[Math.floor(RUNS / 2)] as number
  console.log(`${label.padEnd(46)} first ${samples.length > 0 ? first.toFixed(1) : '-'} ms, median ${median.toFixed(1)} ms, max ${(samples.at(-1) as number).toFixed(1)} ms`)
}
let first = 0

const products: object[] = []
for (let p = 0; p < 100; p++) {
  products.push({ id: `p${p}`, name: `Parent ${p}`, sku: `P${p}` })
  for (let v = 0; v < 9; v++) products.push({ id: `p${p}_v${v}`, name: `Parent ${p} / ${v}`, sku: `P${p}-${v}`, parent_product_id: `p${p}`, inventory_by_warehouse_id: { wh_main: v } })
}

const dir = mkdtempSync(join(tmpdir(), 'trackstar-sandbox-bench-'))
for (const db of [':memory:', join(dir, 'sandbox.sqlite')]) {
  const sandbox = await startSandbox({ db, rateLimit: false })
  const post = (path: string, body?: object) => fetch(`${sandbox.url}${path}`, { method: 'POST', ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) })
  console.log(`\n${db === ':memory:' ? 'SANDBOX_DB=:memory:' : 'SANDBOX_DB=<file>'} (fixtures: 2 organisations, 21 connections, 239 products; snapshot taken on the fresh store)`)
  const once = async (run: () => Promise<Response>) => { const s = performance.now(); const r = await run(); await r.arrayBuffer(); first = performance.now() - s }
  await once(() => post('/_sandbox/snapshots', { name: 'fixtures' }))
  const [info] = ((await (await fetch(`${sandbox.url}/_sandbox/snapshots`)).json()) as { data: Array<{ bytes: number }> }).data
  console.log(`snapshot image: ${((info?.bytes ?? 0) / 1024).toFixed(0)} KiB`)
  await time('POST /_sandbox/snapshots (fixture-sized store)', () => post('/_sandbox/snapshots', { name: 'fixtures' }))
  await once(() => post('/_sandbox/snapshots/fixtures/restore'))
  await time('POST /_sandbox/snapshots/{name}/restore', () => post('/_sandbox/snapshots/fixtures/restore'))
  await once(() => post('/_sandbox/reset'))
  await time('POST /_sandbox/reset', () => post('/_sandbox/reset'))
  await once(() => post('/_sandbox/connections', { integration: 'shopify', products }))
  await time('POST /_sandbox/connections (1,000 products)', () => post('/_sandbox/connections', { integration: 'shopify', products }))
  await sandbox.close()
}
rmSync(dir, { recursive: true, force: true })

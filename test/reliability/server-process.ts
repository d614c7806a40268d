// Runs the real server (src/bin/server.ts) as a child process on a file database, the way users run it, for crash and shutdown tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Test } from 'tap'

const ROOT = join(import.meta.dirname, '..', '..')

/** Long versions of the reliability tests run with STRESS=1 (`npm run test:stress`). */
export const STRESS = process.env.STRESS === '1'

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Everything the server wrote to stdout and stderr so far. */
  output: () => string
  /** Resolves once the process has exited. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

/** Starts `node --import tsx src/bin/server.ts` on `dbPath` and a free port; resolves once it listens. */
export async function startServer (t: Test, dbPath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return await startListening(t, [join('src', 'bin', 'server.ts')], { PORT: '0', HOST: '127.0.0.1', SANDBOX_DB: dbPath, ...env }, 'SIGKILL')
}

/** Runs `node --import tsx <args>` from the repository root and resolves once it logs the address it listens on. */
export async function startListening (t: Test, args: string[], env: Record<string, string>, killSignal: NodeJS.Signals): Promise<ServerProcess> {
  // tap traces child processes for coverage; the child's code, compiled by tsx rather than tap, would be merged into
  // tap's report wrongly, so the child collects none.
  const parentEnv = { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' }
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...parentEnv, SANDBOX_RATE_LIMIT: 'off', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(killSignal)
    await exited
  })
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then(({ code, signal }) => reject(new Error(`server exited (${String(code ?? signal)}) before listening:\n${output}`)))
  })
  return { url, child, output: () => output, exited }
}

export const AUTH = { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token' }
/** Shopify variants the load spreads over, all in warehouse wh_nyc. */
export const VARIANTS = ['shp_tee_001_s', 'shp_tee_001_m', 'shp_tee_001_l']
export const WAREHOUSE = 'wh_nyc'

export interface Sent { requestId: string, productId: string, quantity: number }

/** What a write load saw: what was sent, what was answered 200, and every other outcome. */
export interface LoadResult {
  sent: Map<string, Sent>
  acknowledged: Set<string>
  statuses: Map<number, number>
  /** Answers that were neither 200 nor a clean refusal, or a 200 that broke the contract. */
  bad: string[]
  /** Requests that got no answer (connection refused, reset or closed). */
  noAnswer: number
}

/**
 * Runs `workers` parallel loops of increases with distinct request ids until `stop()` returns true,
 * then until each loop's request in flight settles. A connection error ends that loop.
 */
export async function writeLoad (url: string, prefix: string, workers: number, stop: (result: LoadResult) => boolean, onAnswer?: (result: LoadResult) => void): Promise<LoadResult> {
  const result: LoadResult = { sent: new Map(), acknowledged: new Set(), statuses: new Map(), bad: [], noAnswer: 0 }
  let n = 0
  const loop = async (): Promise<void> => {
    while (!stop(result)) {
      const requestId = `${prefix}-${n++}`
      const sent: Sent = { requestId, productId: VARIANTS[n % VARIANTS.length] as string, quantity: 1 + (n % 7) }
      result.sent.set(requestId, sent)
      let res: Response
      try {
        res = await fetch(`${url}/cart/products/${sent.productId}/adjust-inventory`, {
          method: 'PUT',
          headers: { ...AUTH, 'content-type': 'application/json', 'x-request-id': requestId },
          body: JSON.stringify({ quantity: sent.quantity, adjustment_type: 'increase', warehouse_id: WAREHOUSE, reason: 'received' })
        })
      } catch {
        result.noAnswer++
        return
      }
      const text = await res.text().catch(() => null)
      result.statuses.set(res.status, (result.statuses.get(res.status) ?? 0) + 1)
      if (res.status === 200 && text !== null && res.headers.get('x-request-id') === requestId) result.acknowledged.add(requestId)
      else if (res.status === 503 && text !== null && isTrackstarError(text)) { /* refused cleanly */ } else result.bad.push(`${res.status} ${String(text)}`)
      onAnswer?.(result)
    }
  }
  await Promise.all(Array.from({ length: workers }, loop))
  return result
}

export function isTrackstarError (text: string): boolean {
  try {
    const body = JSON.parse(text) as Record<string, unknown>
    return typeof body.error === 'string' && (body.origin === 'trackstar' || body.origin === 'integration')
  } catch {
    return false
  }
}

export interface LedgerRow { request_id: string, product_id: string, warehouse_id: string, quantity: number, before: number, after: number, status: string }

/**
 * Reads the database file directly, as it is on disk after the process is gone. The stock is what a restart
 * recovers: each product row, then the applied ledger rows past the watermark (committed, not yet written to it).
 */
export function inspectDatabase (dbPath: string): { integrity: string, ledger: LedgerRow[], stock: Map<string, number> } {
  const db = new Database(dbPath)
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string
    const ledger = db.prepare<[], LedgerRow>('SELECT request_id, product_id, warehouse_id, quantity, before, after, status FROM adjustments ORDER BY seq').all()
    const stock = new Map<string, number>()
    for (const id of VARIANTS) {
      const row = db.prepare<[string], { body: string }>("SELECT body FROM products WHERE connection_id = 'conn_acme_shopify' AND id = ?").get(id)
      // A product missing from the file shows as NaN, which no expected stock equals.
      const body = JSON.parse(row?.body ?? '{}') as { inventory_by_warehouse_id?: Record<string, number> }
      const newer = db.prepare<[string, string], { after: number }>(`SELECT after FROM adjustments WHERE seq > (SELECT seq FROM ledger_watermark)
        AND status = 'applied' AND connection_id = 'conn_acme_shopify' AND product_id = ? AND warehouse_id = ? ORDER BY seq DESC LIMIT 1`).get(id, WAREHOUSE)
      stock.set(id, newer?.after ?? body.inventory_by_warehouse_id?.[WAREHOUSE] ?? NaN)
    }
    return { integrity, ledger, stock }
  } finally {
    db.close()
  }
}

/** The stock of VARIANTS in WAREHOUSE, read through the API. */
export async function apiStock (url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/cart/products?ids[in]=${VARIANTS.join(',')}`, { headers: AUTH })
  const body = await res.json() as { data: Array<{ id: string, inventory_by_warehouse_id: Record<string, number> }> }
  return new Map(body.data.map((p) => [p.id, p.inventory_by_warehouse_id[WAREHOUSE] ?? 0]))
}

// The library as users import it: dist/index.js (an ES module naming the exports of the CommonJS runtime bundle), in a process of its own.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isStale } from '../scripts/build-state.js'

const ROOT = join(import.meta.dirname, '..')
const ENTRY = join(ROOT, 'dist', 'index.js')

/** `npm ci` builds dist/ (the prepare script); a source edited since is built again, so the test never runs stale code. */
function buildIfStale (): void {
  if (isStale(ROOT, ENTRY)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' })
}

// Run as a user's test file would: an ES module importing the package entry, in a fresh process.
const USER_SCRIPT = `
import { createRequire } from 'node:module'
import { startSandbox } from ${JSON.stringify(pathToFileURL(ENTRY).href)}
const sandbox = await startSandbox({ rateLimit: false })
const headers = { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token', 'content-type': 'application/json' }
const stock = async () => (await (await fetch(sandbox.url + '/cart/products/shp_tee_001_m', { headers })).json()).data.inventory_by_warehouse_id.wh_nyc
const before = await stock()
const adjusted = await fetch(sandbox.url + '/cart/products/shp_tee_001_m/adjust-inventory', {
  method: 'PUT', headers, body: JSON.stringify({ quantity: 2, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
})
const after = await stock()
const journal = await sandbox.requests({ method: 'PUT' })
await sandbox.reset()
const reset = await stock()
await sandbox.close()
// Packages loaded through Node's module loader: a bundle brings Fastify inside itself.
const loaded = Object.keys(createRequire(import.meta.url).cache).map((path) => path.split('node_modules/').at(-1).split('/').slice(0, 2).join('/'))
console.log(JSON.stringify({ status: adjusted.status, before, after, reset, journaled: journal.map((e) => e.path), fastifyLoaded: loaded.some((p) => p === 'fastify/fastify.js') }))
`

t.test('dist/index.js starts a sandbox, adjusts stock, journals and resets it, with Fastify bundled into it', async (t) => {
  buildIfStale()
  // tap traces child processes for coverage; this one runs built code, which is not what the gate measures.
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', USER_SCRIPT], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0' }
  })
  const result = JSON.parse(output.trim().split('\n').at(-1) as string) as Record<string, unknown>
  t.same(result, {
    status: 200,
    before: 249,
    after: 251,
    reset: 249,
    journaled: ['/cart/products/shp_tee_001_m/adjust-inventory'],
    fastifyLoaded: false
  })
})

// The admin lock over every registered /_sandbox route (read from the app's router, so new routes are covered), and the emulated API beside it.
import t from 'tap'
import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { build, headersFor } from '../helper.js'
import { registeredRoutes } from './routes.js'

const ADMIN = 'admin-lock-s3cret-token'

// Bodies a route accepts, so a refused request would have changed something had it been let through; other routes get {}.
const VALID_BODIES: Record<string, unknown> = {
  'POST /_sandbox/faults': { action: { status: 503 } },
  'POST /_sandbox/snapshots': { name: 'locked' },
  'POST /_sandbox/clock': { advance_ms: 60_000 },
  'POST /_sandbox/webhooks': { url: 'http://127.0.0.1:9/hook' },
  'POST /_sandbox/connections': { integration: 'shopify' }
}
const CONSOLE_PAGE = new Set(['/_sandbox/ui', '/_sandbox/ui/', '/_sandbox/ui/assets/:file'])
const concrete = (path: string): string => path.replace(/:name/g, 'base').replace(/:[a-z_]+/g, 'some-id').replace(/\*/g, 'x')

/** Everything a control request could change: the whole database, the faults, snapshots, clock, webhooks and journal. */
function state (app: FastifyInstance): string {
  const tables = app.sandbox.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
  const rows = tables.map(({ name }) => app.sandbox.db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all())
  const memory = {
    faults: app.sandbox.faults.list(),
    snapshots: app.sandbox.snapshots.list(),
    clock: app.sandbox.clock.isoNow(),
    frozen: app.sandbox.clock.frozen,
    journal: app.sandbox.journal.count
  }
  return createHash('sha256').update(JSON.stringify({ rows, memory })).digest('hex')
}

t.test('every /_sandbox route is locked by the admin token, except health and the console\'s page', async (t) => {
  const app = await build(t, { adminToken: ADMIN })
  // A snapshot to restore and delete, made through the lock, so those routes have something to act on.
  t.equal((await app.inject({ method: 'POST', url: '/_sandbox/snapshots', headers: { authorization: `Bearer ${ADMIN}` }, payload: { name: 'base' } })).statusCode, 201)
  // A frozen clock, so that "nothing changed" compares equal times (DELETE /_sandbox/clock unfreezes it: refrozen below).
  const freeze = (): void => app.sandbox.clock.freeze(Date.parse('2026-01-01T00:00:00Z'))
  freeze()

  const all = registeredRoutes(app)
  // find-my-way's hasRoute does not look up wildcard routes (the docs' static files).
  for (const route of all.filter((r) => !r.path.includes('*'))) t.ok(app.hasRoute({ method: route.method, url: route.path }), `${route.method} ${route.path} is a real route (the router print was read right)`)
  const control = all.filter((r) => r.path.startsWith('/_sandbox/') && r.method !== 'HEAD')
  // Written out, so a router print that stops listing routes cannot make this test pass on nothing.
  for (const known of ['POST /_sandbox/faults', 'DELETE /_sandbox/faults/:id', 'POST /_sandbox/snapshots/:name/restore', 'POST /_sandbox/reset', 'GET /_sandbox/requests/:request_id', 'POST /_sandbox/connections', 'DELETE /_sandbox/webhooks/:id', 'DELETE /_sandbox/clock']) {
    t.ok(control.some((r) => `${r.method} ${r.path}` === known), `${known} was enumerated`)
  }

  const refused: Array<[string, Record<string, string>, string]> = [
    ['no authorization', {}, 'Missing admin token: send authorization: Bearer <SANDBOX_ADMIN_TOKEN>.'],
    ['a wrong bearer of the same length', { authorization: `Bearer ${ADMIN.slice(0, -1)}X` }, 'Invalid admin token.'],
    ['a bearer of another length', { authorization: `Bearer ${ADMIN}-longer` }, 'Invalid admin token.'],
    ['a prefix of the token', { authorization: `Bearer ${ADMIN.slice(0, 5)}` }, 'Invalid admin token.'],
    ['the token without Bearer', { authorization: ADMIN }, 'Invalid admin token.'],
    ['an empty bearer', { authorization: 'Bearer ' }, 'Invalid admin token.'],
    ['the token as an API key', { 'x-trackstar-api-key': ADMIN }, 'Missing admin token: send authorization: Bearer <SANDBOX_ADMIN_TOKEN>.']
  ]
  let probes = 0
  for (const route of control) {
    const key = `${route.method} ${route.path}`
    const url = concrete(route.path)
    const payload = route.method === 'GET' || route.method === 'HEAD' ? undefined : (VALID_BODIES[key] ?? {}) as object
    if (route.path === '/_sandbox/health') {
      // Open on purpose: the Docker HEALTHCHECK probes it without credentials, and it reveals nothing.
      for (const [name, headers] of refused) t.equal((await app.inject({ method: route.method, url, headers })).statusCode, 200, `health is open: ${name}`)
      continue
    }
    if (CONSOLE_PAGE.has(route.path)) {
      // Open on purpose: the console's page and assets hold no data, and must load to ask for the token.
      for (const [name, headers] of refused) t.not((await app.inject({ method: route.method, url, headers })).statusCode, 401, `${key} is open: ${name}`)
      continue
    }
    for (const [name, headers, message] of refused) {
      const before = state(app)
      const res = await app.inject({ method: route.method, url, headers, ...(payload ? { payload } : {}) })
      probes++
      t.equal(res.statusCode, 401, `${key} with ${name}: 401`)
      t.same(res.json(), { error: message, origin: 'trackstar' }, `${key} with ${name}: Trackstar shape`)
      t.match(res.headers['x-request-id'], /.+/, `${key} with ${name}: x-request-id`)
      t.equal(res.headers['www-authenticate'], 'Bearer realm="trackstar-sandbox"')
      t.equal(state(app), before, `${key} with ${name}: nothing changed`)
    }
    // The console's event stream never ends by itself; test/console/console-routes.test.ts opens it with the token.
    if (route.path === '/_sandbox/ui/api/events') continue
    const allowed = await app.inject({ method: route.method, url, headers: { authorization: `Bearer ${ADMIN}` }, ...(payload ? { payload } : {}) })
    t.not(allowed.statusCode, 401, `${key} with the right bearer is let through (${allowed.statusCode})`)
    t.ok(allowed.statusCode < 500, `${key} with the right bearer: no 5xx`)
    freeze()
  }
  t.comment(`admin lock: ${control.length} control routes, ${probes} refused probes`)
  // Unregistered control paths are locked too, so the lock gives away which routes exist to nobody.
  t.equal((await app.inject({ url: '/_sandbox/not-a-route' })).statusCode, 401)
})

t.test('the emulated API does not care about the admin token', async (t) => {
  const app = await build(t, { adminToken: ADMIN })
  const emulated = registeredRoutes(app).filter((r) => r.path.startsWith('/cart/') && r.method !== 'HEAD')
  t.ok(emulated.length >= 4, 'the cart routes were enumerated')
  for (const extra of [{}, { authorization: `Bearer ${ADMIN}` }, { authorization: 'Bearer wrong' }]) {
    for (const route of emulated) {
      const url = concrete(route.path).replace('some-id', route.path.includes('warehouse') ? 'wh_nyc' : 'shp_tee_001_m')
      const adjustment = { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }
      const batch = route.path.endsWith('/batch-adjust-inventory')
      const payload = route.method === 'PUT' ? (batch ? { line_items: [{ product_id: 'shp_tee_001_m', ...adjustment }] } : adjustment) : undefined
      const res = await app.inject({ method: route.method, url, headers: { ...headersFor('shopify'), ...extra }, ...(payload ? { payload } : {}) })
      t.equal(res.statusCode, 200, `${route.method} ${route.path} with ${JSON.stringify(extra)}: 200`)
      const unauthenticated = await app.inject({ method: route.method, url, headers: extra, ...(payload ? { payload } : {}) })
      t.equal(unauthenticated.statusCode, 401, `${route.method} ${route.path}: the admin token is no API credential`)
      t.notMatch(unauthenticated.body, /admin/i, 'the emulated 401 is the API\'s own, not the admin lock\'s')
    }
  }
})

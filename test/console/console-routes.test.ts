// The console's server side: page and assets (open even with an admin token), its data endpoints (closed), the
// event stream (cookie token, init then batched activity), and GET / redirecting browsers only.
import t from 'tap'
import { request } from 'node:http'
import { adjust, build, listen } from '../helper.js'
import { LiveFeed } from '../../src/services/live-feed.js'

const ADMIN = 'console-admin-secret'

t.test('a browser asking for / is sent to the console; other clients keep the JSON 404', async (t) => {
  const app = await build(t)
  const browser = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
  t.equal(browser.statusCode, 302)
  t.equal(browser.headers.location, '/_sandbox/ui')
  const client = await app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } })
  t.equal(client.statusCode, 404)
  t.same(client.json(), { error: 'No route for GET /.', origin: 'trackstar' })
  const bare = await app.inject({ method: 'GET', url: '/' })
  t.equal(bare.statusCode, 404)
  const post = await app.inject({ method: 'POST', url: '/', headers: { accept: 'text/html' } })
  t.equal(post.statusCode, 404, 'only GET is redirected')
})

t.test('with an admin token the page and assets load without it, the data does not', async (t) => {
  const app = await build(t, { adminToken: ADMIN })
  const page = await app.inject({ method: 'GET', url: '/_sandbox/ui' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.headers['content-security-policy'], /default-src 'self'/)
  t.match(page.body, /<script type="module" src="\/_sandbox\/ui\/assets\/app.js">/)
  t.notMatch(page.body, /https?:\/\//, 'the page names no other host')
  t.equal((await app.inject({ method: 'GET', url: '/_sandbox/ui/' })).statusCode, 200)
  for (const [file, type] of [['app.js', /^text\/javascript/], ['console.css', /^text\/css/], ['icon.svg', /^image\/svg\+xml/]] as const) {
    const asset = await app.inject({ method: 'GET', url: `/_sandbox/ui/assets/${file}` })
    t.equal(asset.statusCode, 200, file)
    t.match(asset.headers['content-type'], type)
  }
  const missing = await app.inject({ method: 'GET', url: '/_sandbox/ui/assets/secret.txt' })
  t.equal(missing.statusCode, 404)
  t.same(missing.json(), { error: 'No console asset secret.txt.', origin: 'trackstar', id: 'secret.txt' })
  t.equal((await app.inject({ method: 'GET', url: '/_sandbox/ui/assets/..%2F..%2Fpackage.json' })).statusCode, 404)

  for (const url of ['/_sandbox/ui/api/overview', '/_sandbox/ui/api/connections/conn_acme_shopify/products', '/_sandbox/ui/api/integrations/shopify/schema', '/_sandbox/ui/api/events']) {
    const refused = await app.inject({ method: 'GET', url })
    t.equal(refused.statusCode, 401, url)
    t.equal(refused.json().origin, 'trackstar')
  }
  const wrongCookie = await app.inject({ method: 'GET', url: '/_sandbox/ui/api/events', headers: { cookie: 'sandbox_admin_token=nope' } })
  t.equal(wrongCookie.statusCode, 401)
  const cookieElsewhere = await app.inject({ method: 'GET', url: '/_sandbox/ui/api/overview', headers: { cookie: `sandbox_admin_token=${ADMIN}` } })
  t.equal(cookieElsewhere.statusCode, 401, 'the cookie opens the event stream only')
  const wrongBearer = await app.inject({ method: 'GET', url: '/_sandbox/ui/api/events', headers: { authorization: 'Bearer nope', cookie: `sandbox_admin_token=${ADMIN}` } })
  t.equal(wrongBearer.statusCode, 401, 'a bearer, when sent, is what counts')
  const otherCookies = await app.inject({ method: 'GET', url: '/_sandbox/ui/api/events', headers: { cookie: 'theme=dark' } })
  t.equal(otherCookies.statusCode, 401)
  const badEscape = await app.inject({ method: 'GET', url: '/_sandbox/ui/api/events', headers: { cookie: 'other=1; sandbox_admin_token=%E0%A4%A' } })
  t.equal(badEscape.statusCode, 401)
  const allowed = await app.inject({ method: 'GET', url: '/_sandbox/ui/api/overview', headers: { authorization: `Bearer ${ADMIN}` } })
  t.equal(allowed.statusCode, 200)
})

t.test('overview, catalogue and the variant schema', async (t) => {
  const app = await build(t)
  const overview = (await app.inject({ method: 'GET', url: '/_sandbox/ui/api/overview' })).json()
  t.equal(overview.total_count, 2)
  const acme = overview.data.find((o: { id: string }) => o.id === 'org_acme')
  t.same(acme.api_keys[0], { key: 'sandbox_api_key', access: 'full' })
  const shopify = acme.connections.find((c: { id: string }) => c.id === 'conn_acme_shopify')
  t.match(shopify, { integration: 'shopify', integration_name: 'Shopify', access_token: 'acme_shopify_token', product_count: 14 })
  t.same(shopify.warehouses.map((w: { id: string }) => w.id), ['wh_nyc', 'wh_reno', 'wh_dallas'])
  t.equal(shopify.warehouses[0].default, true)
  const globex = overview.data.find((o: { id: string }) => o.id === 'org_globex')
  t.same(globex.connections.find((c: { id: string }) => c.id === 'conn_globex_walmart_disabled').settings.disabled_actions, ['adjust_inventory'])

  const products = (await app.inject({ method: 'GET', url: '/_sandbox/ui/api/connections/conn_acme_shopify/products' })).json()
  t.equal(products.total_count, 14)
  t.match(products.data.find((p: { id: string }) => p.id === 'shp_tee_001_s'), { inventory_by_warehouse_id: { wh_nyc: 136, wh_reno: 32, wh_dallas: 163 } })
  const unknown = await app.inject({ method: 'GET', url: '/_sandbox/ui/api/connections/nope/products' })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { error: 'Connection nope not found.', origin: 'trackstar', id: 'nope' })

  const schema = (await app.inject({ method: 'GET', url: '/_sandbox/ui/api/integrations/tiktok/schema' })).json()
  t.equal(schema.display_name, 'TikTok')
  t.same(schema.schema.required, ['adjustment_type', 'quantity', 'shop_id', 'warehouse_id'])
  t.same(schema.schema.properties.adjustment_type.enum, ['increase', 'decrease', 'exact'])
  t.equal((await app.inject({ method: 'GET', url: '/_sandbox/ui/api/integrations/nope/schema' })).statusCode, 404)
})

t.test('the feed: no timer without subscribers, init then batched news, init again after a reset', async (t) => {
  const app = await build(t)
  const feed = new LiveFeed(app.sandbox, 60_000)
  t.teardown(() => feed.stop())
  t.equal(feed.subscribers, 0)
  feed.tick()
  const messages: { event: string, data: { journal: { path: string, connection_id: string | null, integration: string | null }[], ledger: { product_id: string, after: number }[] } }[] = []
  const unsubscribe = feed.subscribe((event, data) => messages.push({ event, data: JSON.parse(data) }))
  t.equal(feed.subscribers, 1)
  t.equal(messages[0]?.event, 'init')
  feed.tick()
  t.equal(messages.length, 1, 'nothing new, nothing sent')

  t.equal((await adjust(app, 'shopify', 'shp_tee_001_s', { quantity: 4, adjustment_type: 'increase', warehouse_id: 'wh_reno', reason: 'received' })).statusCode, 200)
  t.equal((await adjust(app, 'shopify', 'shp_tee_001_m', { quantity: 1, adjustment_type: 'exact', warehouse_id: 'wh_reno', reason: 'received' })).statusCode, 200)
  feed.tick()
  t.equal(messages.length, 2, 'two adjustments, one message')
  const news = messages[1]
  t.equal(news?.event, 'activity')
  t.same(news?.data.journal.map((e) => [e.connection_id, e.integration]), [['conn_acme_shopify', 'shopify'], ['conn_acme_shopify', 'shopify']])
  t.same(news?.data.ledger.map((r) => [r.product_id, r.after]), [['shp_tee_001_m', 1], ['shp_tee_001_s', 36]])

  await app.inject({ method: 'GET', url: '/cart/products/x', headers: {} })
  feed.tick()
  t.equal(messages[2]?.data.journal[0]?.connection_id, null, 'a request without a known token names no connection')

  app.sandbox.reset()
  feed.tick()
  t.equal(messages[3]?.event, 'init')
  t.same(messages[3]?.data, { journal: [], ledger: [] })
  unsubscribe()
  t.equal(feed.subscribers, 0)
})

t.test('the event stream over HTTP: the cookie token, init, news, and a close that ends it', async (t) => {
  const { app, url } = await listen(t, { adminToken: ADMIN })
  const received: string[] = []
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const req = request(`${url}/_sandbox/ui/api/events`, { headers: { cookie: `theme=dark; sandbox_admin_token=${encodeURIComponent(ADMIN)}` } }, resolve)
    req.on('error', reject)
    req.end()
  })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^text\/event-stream/)
  const ended = new Promise<void>((resolve) => response.on('end', resolve))
  const seen = (pattern: RegExp) => new Promise<void>((resolve) => {
    const check = () => { if (pattern.test(received.join(''))) resolve() }
    response.on('data', (chunk: Buffer) => { received.push(chunk.toString()); check() })
    check()
  })
  await seen(/^event: init\ndata: \{"journal":\[/)
  const headers = { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token', 'content-type': 'application/json' }
  const put = await fetch(`${url}/cart/products/shp_tee_001_s/adjust-inventory`, { method: 'PUT', headers, body: JSON.stringify({ quantity: 2, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }) })
  t.equal(put.status, 200)
  await seen(/event: activity\ndata: \{"journal":\[\{"request_id":"[^"]+","time":"[^"]+","method":"PUT","path":"\/cart\/products\/shp_tee_001_s\/adjust-inventory"/)
  await app.close()
  await ended
  t.pass('closing the app ends the stream')
})

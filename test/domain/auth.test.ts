// The auth step of the pipeline: 401/403/501 in Trackstar's order, before the body is looked at.
import t from 'tap'
import { build, adjust } from '../helper.js'

const VALID = { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }

t.test('auth failures, in order, each before the body is validated', async (t) => {
  const app = await build(t)
  const cases: [string, Record<string, string>, number, RegExp][] = [
    ['no API key', { 'x-trackstar-access-token': 'acme_shopify_token' }, 401, /Missing x-trackstar-api-key/],
    ['an unknown API key', { 'x-trackstar-api-key': 'nope', 'x-trackstar-access-token': 'acme_shopify_token' }, 401, /Invalid x-trackstar-api-key/],
    ['an empty API key', { 'x-trackstar-api-key': '', 'x-trackstar-access-token': 'acme_shopify_token' }, 401, /Missing x-trackstar-api-key/],
    ['no access token', { 'x-trackstar-api-key': 'sandbox_api_key' }, 401, /Missing x-trackstar-access-token/],
    ['an unknown access token', { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'nope' }, 401, /Invalid x-trackstar-access-token/],
    ['another organisation\'s token', { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'globex_shopify_token' }, 401, /Invalid x-trackstar-access-token/],
    ['a read-only key on a write', { 'x-trackstar-api-key': 'acme_readonly_key', 'x-trackstar-access-token': 'acme_shopify_token' }, 403, /read-only/],
    ['a connection with adjust disabled', { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_walmart_disabled_token' }, 403, /^adjust_inventory is disabled for this connection$/],
    ['an integration without the action', { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_etsy_noadjust_token' }, 501, /^Endpoint adjust_inventory is not implemented for Etsy$/]
  ]
  for (const [label, headers, status, message] of cases) {
    // The body is garbage on purpose: auth must answer first.
    const res = await adjust(app, 'shopify', 'shp_tee_001_m', { quantity: 'x' }, headers)
    t.equal(res.statusCode, status, label)
    t.match(res.json(), { error: message, origin: 'trackstar' }, label)
    t.ok(res.headers['x-request-id'], `${label}: has a request id`)
  }
  t.equal(app.sandbox.ledger.list({ limit: 10 }).total, 0, 'nothing was recorded')
})

t.test('a read-only key may read, and reads honour available_actions', async (t) => {
  const app = await build(t)
  const res = await app.inject({ url: '/cart/products/shp_tee_001_m', headers: { 'x-trackstar-api-key': 'acme_readonly_key', 'x-trackstar-access-token': 'acme_shopify_token' } })
  t.equal(res.statusCode, 200)
  const created = (await app.inject({ method: 'POST', url: '/_sandbox/connections', payload: { integration: 'wix', settings: { available_actions: ['adjust_inventory'] } } })).json()
  const headers = { 'x-trackstar-api-key': created.api_key, 'x-trackstar-access-token': created.access_token }
  const list = await app.inject({ url: '/cart/products', headers })
  t.equal(list.statusCode, 501)
  t.equal(list.json().error, 'Endpoint get_products is not implemented for Wix')
  t.equal((await adjust(app, 'wix', 'prod_tee_s', { ...VALID, reason: undefined, warehouse_id: 'wh_main' }, headers)).statusCode, 200)
})

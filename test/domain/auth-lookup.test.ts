// Auth resolves key and token in one lookup, and still answers each mistake with its own 401/403, in Trackstar's order.
import t from 'tap'
import { build, headersFor } from '../helper.js'

const body = { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }

t.test('each credential mistake gets its own answer; a good pair is let through', async (t) => {
  const app = await build(t)
  const put = (headers: Record<string, string>) => app.inject({ method: 'PUT', url: '/cart/products/shp_tee_001_m/adjust-inventory', headers, payload: body })
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['no key', { 'x-trackstar-access-token': 'acme_shopify_token' }, 401, 'Missing x-trackstar-api-key header.'],
    ['unknown key', { 'x-trackstar-api-key': 'nope', 'x-trackstar-access-token': 'acme_shopify_token' }, 401, 'Invalid x-trackstar-api-key.'],
    ['no token', { 'x-trackstar-api-key': 'sandbox_api_key' }, 401, 'Missing x-trackstar-access-token header.'],
    ['unknown token', { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'nope' }, 401, 'Invalid x-trackstar-access-token for this API key.'],
    ['token of another organisation', { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'globex_shopify_token' }, 401, 'Invalid x-trackstar-access-token for this API key.'],
    ['read-only key on a write', headersFor('shopify', 'acme_readonly_key'), 403, 'This API key is read-only; writes need a full-access key.'],
    ['adjust disabled', { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_walmart_disabled_token' }, 403, 'adjust_inventory is disabled for this connection'],
    ['adjust not implemented', { 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': 'globex_etsy_noadjust_token' }, 501, 'Endpoint adjust_inventory is not implemented for Etsy']
  ]
  for (const [name, headers, status, error] of cases) {
    const res = await put(headers)
    t.equal(res.statusCode, status, name)
    t.same(res.json(), { error, origin: 'trackstar' }, name)
  }
  t.equal((await put(headersFor('shopify'))).statusCode, 200)
  const read = await app.inject({ url: '/cart/products/shp_tee_001_m', headers: headersFor('shopify', 'acme_readonly_key') })
  t.equal(read.statusCode, 200, 'a read-only key reads')
  t.same(app.sandbox.tenants.findCaller('sandbox_api_key', 'globex_shopify_token'), undefined, 'no pair across organisations')
})

// Step 1 of the pipeline over real HTTP: 401 first, then the connection's disabled (403) and unsupported (501) actions.
import t from 'tap'
import { json } from '../json.js'
import { listen } from '../helper.js'

const globex = (token: string) => ({ 'x-trackstar-api-key': 'globex_api_key', 'x-trackstar-access-token': token, 'content-type': 'application/json' })
const put = (url: string, product: string, headers: Record<string, string>, body: unknown) =>
  fetch(`${url}/cart/products/${product}/adjust-inventory`, { method: 'PUT', headers, body: JSON.stringify(body) })

t.test('adjust_inventory in disabled_actions → 403, changing nothing; reads still work', async (t) => {
  const { url } = await listen(t)
  const headers = globex('globex_walmart_disabled_token')
  const read = async () => (await json(await fetch(`${url}/cart/products/gxw_bin_001_smc`, { headers }))).data.inventory
  const before = await read()
  const res = await put(url, 'gxw_bin_001_smc', headers, { quantity: 1, adjustment_type: 'increase' })
  t.equal(res.status, 403)
  t.same(await json(res), { error: 'adjust_inventory is disabled for this connection', origin: 'trackstar' })
  t.equal(await read(), before)
})

t.test('adjust_inventory missing from available_actions → 501 naming the integration', async (t) => {
  const { url } = await listen(t)
  const res = await put(url, 'gxe_wal_001_sm', globex('globex_etsy_noadjust_token'), { quantity: 1, adjustment_type: 'increase' })
  t.equal(res.status, 501)
  t.same(await json(res), { error: 'Endpoint adjust_inventory is not implemented for Etsy', origin: 'trackstar' })
})

t.test('401 comes before 403/501, and a read-only key cannot write', async (t) => {
  const { url } = await listen(t)
  const body = { quantity: 1, adjustment_type: 'increase' }
  const noKey = await put(url, 'gxw_bin_001_smc', { 'x-trackstar-access-token': 'globex_walmart_disabled_token', 'content-type': 'application/json' }, body)
  t.equal(noKey.status, 401)
  t.same(await json(noKey), { error: 'Missing x-trackstar-api-key header.', origin: 'trackstar' })
  const noToken = await put(url, 'gxw_bin_001_smc', { 'x-trackstar-api-key': 'globex_api_key', 'content-type': 'application/json' }, body)
  t.same(await json(noToken), { error: 'Missing x-trackstar-access-token header.', origin: 'trackstar' })
  const wrongOrg = await put(url, 'gxw_bin_001_smc', { ...globex('globex_walmart_disabled_token'), 'x-trackstar-api-key': 'sandbox_api_key' }, body)
  t.equal(wrongOrg.status, 401)
  const readOnly = await put(url, 'shp_tee_001_m', { 'x-trackstar-api-key': 'acme_readonly_key', 'x-trackstar-access-token': 'acme_shopify_token', 'content-type': 'application/json' }, body)
  t.equal(readOnly.status, 403)
  t.match(await json(readOnly), { error: /read-only/ })
})

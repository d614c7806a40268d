// The admin token: the control plane needs it (except health), the emulated API does not.
import t from 'tap'
import { build, headersFor } from '../helper.js'
import { tokenMatches } from '../../src/http/admin-auth.js'

t.test('with SANDBOX_ADMIN_TOKEN set, /_sandbox needs the bearer token', async (t) => {
  const app = await build(t, { adminToken: 's3cret-admin' })
  const missing = await app.inject({ url: '/_sandbox/requests' })
  t.equal(missing.statusCode, 401)
  t.same(missing.json(), { error: 'Missing admin token: send authorization: Bearer <SANDBOX_ADMIN_TOKEN>.', origin: 'trackstar' })
  t.match(missing.headers['www-authenticate'], /^Bearer/)
  for (const authorization of ['Bearer wrong', 'Basic s3cret-admin', 's3cret-admin', 'Bearer s3cret-admi']) {
    const res = await app.inject({ method: 'POST', url: '/_sandbox/reset', headers: { authorization } })
    t.equal(res.statusCode, 401, authorization)
    t.equal(res.json().error, 'Invalid admin token.')
  }
  t.equal((await app.inject({ url: '/_sandbox/nowhere' })).statusCode, 401, 'unknown control paths too')
  t.equal((await app.inject({ url: '/_sandbox' })).statusCode, 401)
  t.equal((await app.inject({ url: '/_sandbox/requests', headers: { authorization: 'Bearer s3cret-admin' } })).statusCode, 200)
  t.equal((await app.inject({ url: '/_sandbox/requests', headers: { authorization: 'bearer s3cret-admin' } })).statusCode, 200, 'the scheme is case-insensitive')
  t.equal((await app.inject({ url: '/_sandbox/health' })).statusCode, 200, 'health stays open for HEALTHCHECK')
  t.equal((await app.inject({ url: '/_sandbox/health?x=1' })).statusCode, 200)
  t.equal((await app.inject({ url: '/cart/warehouses', headers: headersFor('shopify') })).statusCode, 200, 'the emulated API is unaffected')
})

t.test('without a token the control plane is open', async (t) => {
  const app = await build(t)
  t.equal((await app.inject({ url: '/_sandbox/requests' })).statusCode, 200)
})

t.test('tokenMatches compares whole values', async (t) => {
  t.ok(tokenMatches('abc', 'abc'))
  t.notOk(tokenMatches('abc', 'abcd'))
  t.notOk(tokenMatches('', 'abc'))
})

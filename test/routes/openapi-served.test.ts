// The served OpenAPI document as tools read it: an anyOf body every integration's bodies validate against (Ajv 2020,
// the document's own components), one document per integration, security, error answers, ids and the real server URL.
import t from 'tap'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { INTEGRATIONS } from '../../src/schemas/integrations.js'
import { operationIdOf } from '../../src/http/openapi/document.js'
import { seedSchemas } from '../seed.js'
import { headersFor, listen } from '../helper.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => Ajv2020 }
const PUT = '/cart/products/{product_id}/adjust-inventory'

/** Validates against a schema inside `document`, resolving its `#/components/...` refs against the document itself. */
function validatorIn (document: Json, pointer: string): (value: unknown) => boolean {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  ajv.addSchema({ ...document, $id: 'doc' })
  return ajv.compile({ $ref: `doc#${pointer}` })
}
const bodyPointer = `/paths/${PUT.replaceAll('~', '~0').replaceAll('/', '~1')}/put/requestBody/content/application~1json/schema`

/** Bodies a seed variant declares: every adjustment type, with and without its optional keys, plus an extra key. */
function candidateBodies (): unknown[] {
  const bodies: unknown[] = []
  for (const row of INTEGRATIONS) {
    for (const type of ['increase', 'decrease', 'exact']) {
      const base: Json = { quantity: 3, adjustment_type: type }
      const optional: Json = {}
      if (row.warehouseId !== 'absent') (row.warehouseId === 'required' ? base : optional).warehouse_id = row.warehouseEnum?.[0] ?? 'wh_main'
      if (row.reason !== 'absent') base.reason = row.reasons?.[0]
      if (row.shopId !== 'absent') base.shop_id = 'shop_1'
      if (row.futureDate !== 'absent') optional.future_date = '2030-01-01T00:00:00Z'
      bodies.push(base, { ...base, ...optional }, { ...base, ...optional, note: 'x' })
    }
  }
  return bodies
}

const seedValidator = (name: string): (value: unknown) => boolean => {
  const ajv = new Ajv2020({ strict: false })
  addFormats.default(ajv)
  return ajv.compile(seedSchemas[name] as Json)
}

t.test('every body a seed variant accepts validates against the served anyOf and its own integration\'s document', async (t) => {
  const { url } = await listen(t)
  const served = await (await fetch(`${url}/openapi.json`)).json() as Json
  const anyOf = validatorIn(served, bodyPointer)
  t.equal(served.paths[PUT].put.requestBody.content['application/json'].schema.anyOf.length, 17)
  t.notOk(JSON.stringify(served.paths[PUT]).includes('oneOf'), 'never a oneOf')
  const bodies = candidateBodies()
  for (const row of INTEGRATIONS) {
    const seed = seedValidator(row.schemaName)
    const own = await (await fetch(`${url}/openapi.json?integration=${row.slug}`)).json() as Json
    const narrowed = validatorIn(own, bodyPointer)
    const accepted = bodies.filter((body) => seed(body))
    const refused = bodies.filter((body) => !seed(body))
    t.ok(accepted.length >= 2, `${row.slug}: bodies to try`)
    t.ok(accepted.every((body) => anyOf(body)), `${row.slug}: its bodies validate against the anyOf`)
    t.ok(accepted.every((body) => narrowed(body)), `${row.slug}: its bodies validate against ?integration=${row.slug}`)
    t.ok(refused.length > 0 && refused.every((body) => !narrowed(body)), `${row.slug}: other integrations' bodies fail ?integration=${row.slug}`)
    t.strictSame(own.components.schemas[row.schemaName], seedSchemas[row.schemaName], `${row.slug}: the variant stays the seed's`)
    const example = own.paths[PUT].put.requestBody.content['application/json'].examples[row.slug]
    t.ok(seed(example.value), `${row.slug}: the example body is valid`)
  }
})

t.test('the example bodies /docs offers are applied by the fixture connections', async (t) => {
  const { url } = await listen(t)
  const served = await (await fetch(`${url}/openapi.json`)).json() as Json
  const examples = served.paths[PUT].put.requestBody.content['application/json'].examples as Record<string, { description: string, value: unknown }>
  const applied: string[] = []
  for (const [slug, example] of Object.entries(examples)) {
    const product = /product_id `([^`]+)`/.exec(example.description)?.[1]
    if (product === undefined) continue
    const res = await fetch(`${url}/cart/products/${product}/adjust-inventory`, { method: 'PUT', headers: { ...headersFor(slug), 'content-type': 'application/json' }, body: JSON.stringify(example.value) })
    t.equal(res.status, 200, `${slug}: ${await res.text()}`)
    applied.push(slug)
  }
  t.ok(applied.length >= 15)
})

t.test('security, every error status with headers, ids, one tag each, the listening URL', async (t) => {
  const { url } = await listen(t)
  const res = await fetch(`${url}/openapi.json`)
  const served = await res.json() as Json
  t.same(served.servers, [{ url, description: 'This sandbox' }])
  t.notMatch(served.servers[0].url, /:0$/)
  t.match(served.components.securitySchemes, { apiKey: { type: 'apiKey', in: 'header', name: 'x-trackstar-api-key' }, accessToken: { type: 'apiKey', in: 'header', name: 'x-trackstar-access-token' } })
  const ids = new Set<string>()
  for (const [path, item] of Object.entries<Json>(served.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      t.type(operation.operationId, 'string', `${method} ${path} has an operationId`)
      t.notOk(ids.has(operation.operationId), 'operationIds are unique')
      ids.add(operation.operationId)
      t.equal(operation.tags.length, 1, `${method} ${path}: one tag`)
      if (!path.startsWith('/cart/')) continue
      t.same(operation.security, [{ apiKey: [], accessToken: [] }])
      const statuses = ['400', '401', '403', '404', '405', '422', '429', '501', ...(method === 'get' ? [] : ['413', '415'])]
      for (const status of statuses) {
        const response = operation.responses[status]
        t.same(response?.content['application/json'].schema, { $ref: '#/components/schemas/TrackstarError' }, `${method} ${path} ${status}`)
        t.ok(response.headers['x-request-id'])
      }
      t.ok(operation.responses['429'].headers['retry-after'])
      t.ok(operation.responses['200'].headers['x-ratelimit-remaining'])
      if (method === 'put') {
        t.ok(operation.responses['200'].headers['idempotent-replayed'])
        t.ok(operation.parameters.some((p: Json) => p.$ref === '#/components/parameters/IdempotencyKey'))
      }
      t.notOk((operation.parameters ?? []).some((p: Json) => p.name === 'x-trackstar-api-key'), 'auth is a security scheme, not a parameter')
    }
  }
  t.equal(served.components.parameters.IdempotencyKey.name, 'Idempotency-Key')
  t.equal(operationIdOf('get', '/_sandbox/requests/{request_id}'), 'get_control_requests_request_id')
})

t.test('an unknown integration is a 422 on query.integration', async (t) => {
  const { url } = await listen(t)
  const res = await fetch(`${url}/openapi.json?integration=nope`)
  t.equal(res.status, 422)
  t.match(await res.json(), { origin: 'trackstar', detail: { query: { integration: [/Must be one of/] } } })
})

t.test('/docs pre-fills the fixture key and token', async (t) => {
  const { url } = await listen(t)
  const init = await (await fetch(`${url}/docs/static/swagger-initializer.js`)).text()
  t.match(init, /preauthorizeApiKey\('apiKey', "sandbox_api_key"\)/)
  t.match(init, /preauthorizeApiKey\('accessToken', "acme_shopify_token"\)/)
})

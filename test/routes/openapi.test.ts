// The served OpenAPI 3.1 document: generated from the routes, with the seed's 17 variants and product schema, and rendered at /docs.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { INTEGRATIONS } from '../../src/schemas/integrations.js'
import { seedSchemas } from '../seed.js'

t.test('GET /openapi.json carries the seed\'s schemas property for property', async (t) => {
  // Built with the default logger (level from config) to run the same path as the server.
  const app = await buildApp({ dbPath: ':memory:', logLevel: 'silent' })
  t.teardown(() => app.close())
  const res = await app.inject({ url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.equal(doc.openapi, '3.1.0')
  const schemas = doc.components.schemas
  for (const row of INTEGRATIONS) t.strictSame(schemas[row.schemaName], seedSchemas[row.schemaName], `${row.schemaName} equals the seed`)
  for (const name of ['CartProductApiItemSchema', 'ProductMeasurements', 'cartAdjustInventoryProductResponse']) t.strictSame(schemas[name], seedSchemas[name], `${name} equals the seed`)

  const put = doc.paths['/cart/products/{product_id}/adjust-inventory'].put
  t.equal(put.operationId, 'put_cart_adjust_inventory')
  t.same(put.requestBody.content['application/json'].schema.anyOf.map((s: { $ref: string }) => s.$ref), INTEGRATIONS.map((row) => `#/components/schemas/${row.schemaName}`))
  t.same(put.responses['200'].content['application/json'].schema.properties.data, { $ref: '#/components/schemas/CartProductApiItemSchema' })
  t.same(put.security, [{ apiKey: [], accessToken: [] }], 'the auth headers are security schemes')
  for (const path of ['/cart/products/{product_id}', '/cart/products', '/cart/warehouses', '/_sandbox/connections']) t.ok(doc.paths[path], `${path} is documented`)

  const docs = await app.inject({ url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-type'], /text\/html/)
})

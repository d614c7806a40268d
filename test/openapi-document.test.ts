// The document rules on operations the routes do not have yet (no tags, clashing ids, no adjust path), and the helpers around them.
import t from 'tap'
import { decorateDocument, documentForIntegration } from '../src/openapi/document.js'
import { credentialsHint, docsCredentials, integrationExamples, openapiExamples } from '../src/openapi/examples.js'
import { toProducts } from '../src/services/product-input.js'
import { listeningUrl } from '../src/openapi/register.js'
import { uiConfig } from '../src/lazy-docs.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

t.test('operations without ids or tags get them; clashing ids are made unique; control errors keep their schema', async (t) => {
  const custom = { type: 'object', title: 'Other' }
  const document: Json = {
    paths: {
      '/_sandbox/things': { get: { operationId: 'same', responses: { 200: { description: 'Default Response' }, 404: { description: 'x', content: { 'application/json': { schema: custom } } } } } },
      '/_sandbox/others': { get: { operationId: 'same' } },
      '/cart/things/{id}': { delete: { parameters: [{ in: 'header', name: 'Idempotency-Key' }] } }
    }
  }
  const decorated = decorateDocument(document, [])
  const things = decorated.paths['/_sandbox/things'].get
  const others = decorated.paths['/_sandbox/others'].get
  t.equal(things.operationId, 'same')
  t.equal(others.operationId, 'get_control_others_2')
  t.same(things.tags, ['sandbox control'])
  t.same(things.responses['404'].content['application/json'].schema, custom)
  t.same(things.security, [{}, { adminToken: [] }])
  t.same(others.responses, {})
  const cartDelete = decorated.paths['/cart/things/{id}'].delete
  t.equal(cartDelete.operationId, 'delete_cart_things_id')
  t.equal(cartDelete.parameters.length, 1, 'an Idempotency-Key already declared is not added twice')
  t.ok(cartDelete.responses['415'])
  t.same(decorated.tags, [{ name: 'sandbox control' }, { name: 'cart' }])
  t.same(documentForIntegration({ paths: {} }, [], 'shopify'), { paths: {} })
  t.same(decorateDocument({}, []).tags, [])
})

t.test('the listening URL from the bound address', async (t) => {
  const server = (address: unknown) => ({ server: { address: () => address } }) as never
  t.equal(listeningUrl(server(null)), '/')
  t.equal(listeningUrl(server('/tmp/socket')), '/')
  t.equal(listeningUrl(server({ address: '0.0.0.0', family: 'IPv4', port: 3000 })), 'http://localhost:3000')
  t.equal(listeningUrl(server({ address: '::1', family: 'IPv6', port: 4000 })), 'http://[::1]:4000')
})

t.test('examples and credentials from fixtures of the user\'s own', async (t) => {
  const examples = integrationExamples({
    organisations: [{
      id: 'o', name: 'O', api_keys: [{ key: 'ro', access: 'read_only' }],
      connections: [{ integration: 'tiktok', access_token: 'tok_tiktok', settings: { shops: ['s1'] }, products: [{ id: 'p' }, { id: 'v', parent_product_id: 'p' }] },
        { integration: 'etsy', access_token: 'tok_etsy', products: [{ id: 'solo' }] }]
    }]
  })
  const tiktok = examples.find((e) => e.row.slug === 'tiktok')
  t.same(tiktok?.body, { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_main', shop_id: 's1' })
  t.equal(tiktok?.productId, 'v')
  t.equal(docsCredentials(examples), undefined, 'no full-access key: nothing to pre-fill')
  t.equal(credentialsHint(undefined), '')
  const documented = openapiExamples(examples)
  t.equal(documented.tiktok?.description, 'For the fixture connection with access token `tok_tiktok` and product_id `v`.')
  t.equal(documented.shopify?.description, undefined, 'no fixture connection: no token to name')
  t.equal(documented.etsy?.description, 'For the fixture connection with access token `tok_etsy`.')
  t.equal(integrationExamples({ organisations: [] }).find((e) => e.row.slug === 'tiktok')?.body.shop_id, 'shop_id')
  t.same(uiConfig({ credentials: undefined }), { persistAuthorization: true, tryItOutEnabled: true, displayOperationId: true })
})

t.test('products may name a parent that already exists outside the payload', async (t) => {
  const detail = {}
  const products = toProducts([{ id: 'v2', parent_product_id: 'p_existing' }], { warehouseIds: ['wh'], defaultWarehouseId: 'wh', existingIds: new Set(['p_existing']), now: '2026-01-01T00:00:00Z', field: 'data' }, detail)
  t.same(detail, {})
  t.equal(products[0]?.parent_product_id, 'p_existing')
  toProducts([{ id: 'v3', parent_product_id: 'nope' }], { warehouseIds: ['wh'], defaultWarehouseId: 'wh', now: '2026-01-01T00:00:00Z', field: 'data' }, detail)
  t.same(Object.keys((detail as Record<string, object>).json ?? {}), ['data.0.parent_product_id'])
})

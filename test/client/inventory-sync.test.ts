// The client's methods for the inventory-sync loop: the merchant's side and webhook resend/test, one subtest each.
import t, { type Test } from 'tap'
import { startSandbox, type RunningSandbox } from '../../src/index.js'
import { STORE, adjust, stockOf, webhookReceiver } from './control-plane.js'

async function sandboxWithStore (t: Test): Promise<{ sandbox: RunningSandbox, connectionId: string, token: string, key: string }> {
  const sandbox = await startSandbox({ rateLimit: false })
  t.teardown(() => sandbox.close())
  const store = await sandbox.createConnection(STORE)
  return { sandbox, connectionId: store.connection_id, token: store.access_token, key: store.api_key }
}

t.test('patchProduct: a merchant-side edit merges, moves stock and is in the ledger as source cart', async (t) => {
  const { sandbox, connectionId, token, key } = await sandboxWithStore(t)
  const product = await sandbox.patchProduct(connectionId, 'var_1', { name: 'Tee / Small', inventory_by_warehouse_id: { wh_east: 9 } })
  t.match(product, { id: 'var_1', name: 'Tee / Small', sku: 'TEE-S', inventory_by_warehouse_id: { wh_east: 9 } })
  t.equal(await stockOf(sandbox.url, token, key, 'var_1'), 9)
  t.match(await sandbox.adjustments({ product_id: 'var_1' }), [{ before: 5, after: 9, source: 'cart' }])
  await t.rejects(sandbox.patchProduct(connectionId, 'nope', { name: 'x' }), { name: 'SandboxClientError', status: 404, body: { id: 'nope' } })
})

t.test('addProducts: products added to a connection answer 201 with their data', async (t) => {
  const { sandbox, connectionId, token, key } = await sandboxWithStore(t)
  const added = await sandbox.addProducts(connectionId, [{ id: 'var_2', name: 'Tee / M', sku: 'TEE-M', parent_product_id: 'prod_1', inventory_by_warehouse_id: { wh_east: 3 } }])
  t.match(added, [{ id: 'var_2', sku: 'TEE-M' }])
  t.equal(await stockOf(sandbox.url, token, key, 'var_2'), 3)
  await t.rejects(sandbox.addProducts('no-such-connection', [{ id: 'x' }]), { name: 'SandboxClientError', status: 404, body: { id: 'no-such-connection' } })
})

t.test('resendDelivery: a logged message is sent again as a new attempt with the same svix id', async (t) => {
  const { sandbox, token, key } = await sandboxWithStore(t)
  const receiver = await webhookReceiver(t)
  await sandbox.addWebhook({ url: receiver.url })
  await adjust(sandbox.url, token, key, 'var_1', 1)
  const first = await sandbox.waitForDelivery((d) => d.status === 200, { timeout: 10_000 })
  const again = await sandbox.resendDelivery(first.id)
  t.not(again.id, first.id)
  t.equal(again.event_id, first.event_id)
  t.same(again.payload, first.payload)
})

t.test('testWebhook: a signed cart-product.updated for the product as it is, changing nothing', async (t) => {
  const { sandbox, connectionId } = await sandboxWithStore(t)
  const receiver = await webhookReceiver(t)
  const webhook = await sandbox.addWebhook({ url: receiver.url })
  await sandbox.testWebhook(webhook.id, { connection_id: connectionId, product_id: 'var_1' })
  const delivery = await sandbox.waitForDelivery((d) => d.webhook_id === webhook.id, { timeout: 10_000 })
  t.match(delivery.payload, { event_type: 'cart-product.updated', previous_attributes: {}, data: { id: 'var_1' } })
  t.same(await sandbox.adjustments(), [], 'nothing changed')
})

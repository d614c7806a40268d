// One test body for the control plane, run against startSandbox() and against a server started by the command line.
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { SandboxClientError, type SandboxControl } from '../../src/client/index.js'

const WAREHOUSE = 'wh_east'
export const STORE = {
  integration: 'shopify' as const,
  warehouses: [{ id: WAREHOUSE, name: 'East' }],
  products: [
    { id: 'prod_1', name: 'Tee', sku: 'TEE', parent_product_id: 'prod_1' },
    { id: 'var_1', name: 'Tee / S', sku: 'TEE-S', parent_product_id: 'prod_1', inventory_by_warehouse_id: { [WAREHOUSE]: 5 } }
  ]
}

/** A webhook receiver on a free port that answers 200 and keeps the bodies it got. */
export async function webhookReceiver (t: Test): Promise<{ url: string, bodies: unknown[] }> {
  const bodies: unknown[] = []
  const server = createServer((req: IncomingMessage, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => { text += chunk.toString('utf8') })
    req.on('end', () => { bodies.push(JSON.parse(text)); res.writeHead(200).end() })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies }
}

/** Adjusts a product's stock through the emulated API, as the user's code under test would. */
export async function adjust (baseUrl: string, accessToken: string, apiKey: string, productId: string, quantity: number): Promise<Response> {
  return fetch(`${baseUrl}/cart/products/${productId}/adjust-inventory`, {
    method: 'PUT',
    headers: { 'x-trackstar-api-key': apiKey, 'x-trackstar-access-token': accessToken, 'content-type': 'application/json' },
    body: JSON.stringify({ quantity, adjustment_type: 'increase', warehouse_id: WAREHOUSE, reason: 'received' })
  })
}

export async function stockOf (baseUrl: string, accessToken: string, apiKey: string, productId: string): Promise<number | undefined> {
  const res = await fetch(`${baseUrl}/cart/products/${productId}`, { headers: { 'x-trackstar-api-key': apiKey, 'x-trackstar-access-token': accessToken } })
  if (res.status !== 200) return undefined
  return ((await res.json()) as { data: { inventory_by_warehouse_id: Record<string, number> } }).data.inventory_by_warehouse_id[WAREHOUSE]
}

export async function exerciseControlPlane (t: Test, sandbox: SandboxControl): Promise<void> {
  const health = await sandbox.health()
  t.equal(health.status, 'ok')
  const integrations = await sandbox.integrations()
  t.equal(integrations.length, 17)
  t.ok(integrations.some((row) => row.slug === 'shopify' && row.display_name === 'Shopify'))

  const receiver = await webhookReceiver(t)
  const webhook = await sandbox.addWebhook({ url: receiver.url })
  t.match(webhook, { url: receiver.url, secret: /^whsec_/ })
  t.ok((await sandbox.webhooks()).some((row) => row.id === webhook.id), 'the endpoint is listed')

  const store = await sandbox.createConnection(STORE)
  t.equal(store.integration_name, 'shopify')
  const { access_token: token, api_key: key } = store
  t.equal((await adjust(sandbox.url, token, key, 'var_1', 2)).status, 200)

  const delivery = await sandbox.waitForDelivery((d) => (d.payload as { data?: { id?: string } }).data?.id === 'var_1', { timeout: 10_000 })
  t.match(delivery, { webhook_id: webhook.id, event_type: 'cart-product.updated', status: 200 })
  t.ok(receiver.bodies.length >= 1, 'the receiver got the event')
  t.ok((await sandbox.deliveries({ webhook_id: webhook.id, limit: 10 })).some((d) => d.id === delivery.id), 'deliveries lists it')
  await sandbox.removeWebhook(webhook.id)
  t.notOk((await sandbox.webhooks()).some((row) => row.id === webhook.id), 'removed')

  const journal = await sandbox.requests({ access_token: token, method: 'PUT', limit: 5 })
  t.equal(journal.length, 1)
  t.equal(journal[0]?.path, '/cart/products/var_1/adjust-inventory')
  t.equal((await sandbox.request(journal[0]?.request_id as string)).status, 200, 'one journal entry by its request id')
  const ledger = await sandbox.adjustments({ access_token: token, product_id: 'var_1' })
  t.match(ledger, [{ product_id: 'var_1', warehouse_id: WAREHOUSE, quantity: 2, before: 5, after: 7, status: 'applied' }])

  const fault = await sandbox.addFault({ match: { product_id: 'var_1' }, action: { status: 503 } })
  t.same((await sandbox.faults()).map((f) => f.id), [fault.id])
  t.equal(await stockOf(sandbox.url, token, key, 'var_1'), undefined, 'the fault answers instead of the product')
  await sandbox.removeFault(fault.id)
  t.same(await sandbox.faults(), [], 'one fault removed')
  t.equal(await stockOf(sandbox.url, token, key, 'var_1'), 7)
  await sandbox.addFault({ action: { status: 500 }, times: 3 })
  await sandbox.clearFaults()
  t.same(await sandbox.faults(), [], 'all faults cleared')

  const snapshot = await sandbox.snapshot('after-first-adjust')
  t.equal(snapshot.name, 'after-first-adjust')
  t.ok((await sandbox.snapshots()).some((s) => s.name === 'after-first-adjust'), 'snapshots lists it')
  await adjust(sandbox.url, token, key, 'var_1', 10)
  t.equal(await stockOf(sandbox.url, token, key, 'var_1'), 17)
  await sandbox.restore('after-first-adjust')
  t.equal(await stockOf(sandbox.url, token, key, 'var_1'), 7, 'restored')
  await sandbox.deleteSnapshot('after-first-adjust')
  t.same((await sandbox.snapshots()).filter((s) => s.name === 'after-first-adjust'), [])
  await t.rejects(sandbox.restore('after-first-adjust'), { name: 'SandboxClientError', status: 404, body: { id: 'after-first-adjust', origin: 'trackstar' } })

  t.match(await sandbox.setClock(new Date('2030-01-01T00:00:00Z')), { now: '2030-01-01T00:00:00.000Z', frozen: true })
  t.match(await sandbox.advanceClock(90_000), { now: '2030-01-01T00:01:30.000Z', frozen: true })
  t.match(await sandbox.clock(), { now: '2030-01-01T00:01:30.000Z', frozen: true })
  t.match(await sandbox.resetClock(), { frozen: false })

  await sandbox.reset()
  t.same(await sandbox.adjustments(), [], 'reset empties the ledger')
  t.equal(await stockOf(sandbox.url, token, key, 'var_1'), undefined, 'and removes the per-test store')
  const err = await sandbox.createConnection({ ...STORE, api_key: 'not-a-key' }).catch((e: unknown) => e)
  t.ok(err instanceof SandboxClientError, 'a 422 is a SandboxClientError')
  t.match(err, { status: 422, body: { origin: 'trackstar', detail: { json: { api_key: [] } } } })
}

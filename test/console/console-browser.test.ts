// The console in a real browser against a real server: overview, catalogue, live activity, Try it, controls,
// webhooks; nothing loaded from another host and no error in the browser's console. Screenshots go to docs/.
import t from 'tap'
import type { Page } from 'playwright-core'
import { listen } from '../helper.js'
import { startReceiver } from '../webhook-receiver.js'
import { openBrowser, screenshot, type PageGlobals } from './browser.js'

declare const document: PageGlobals['document']
declare const window: PageGlobals['window']

const AUTH = { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token', 'content-type': 'application/json' }
const cell = (product: string, warehouse: string) => `tr[data-product="${product}"] td[data-warehouse="${warehouse}"]`

async function textBecomes (page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(([s, x]) => document.querySelector(s as string)?.textContent === x, [selector, text], { timeout: 10_000 })
}

async function stock (url: string, product: string, warehouse: string): Promise<number> {
  const answer = await fetch(`${url}/cart/products/${product}`, { headers: AUTH })
  return ((await answer.json()) as { data: { inventory_by_warehouse_id: Record<string, number> } }).data.inventory_by_warehouse_id[warehouse] as number
}

async function adjustFromOutside (url: string, product: string, body: Record<string, unknown>): Promise<void> {
  const answer = await fetch(`${url}/cart/products/${product}/adjust-inventory`, { method: 'PUT', headers: AUTH, body: JSON.stringify({ reason: 'received', ...body }) })
  if (answer.status !== 200) throw new Error(`adjustment refused: ${answer.status} ${await answer.text()}`)
}

t.test('the console, end to end', async (t) => {
  const { url } = await listen(t)
  const { page, foreign, errors } = await openBrowser(t)
  const receiver = await startReceiver(t)

  await t.test('a browser opening / lands on the overview, which lists the fixture connections', async (t) => {
    await page.goto(`${url}/`)
    t.equal(new URL(page.url()).pathname, '/_sandbox/ui')
    await page.waitForSelector('tr[data-connection="conn_acme_shopify"]')
    t.equal(await page.locator('tr[data-connection]').count(), 21)
    t.match(await page.locator('tr[data-connection="conn_globex_walmart_disabled"]').innerText(), /adjust_inventory disabled/)
    t.match(await page.locator('tr[data-connection="conn_globex_faire_negative"]').innerText(), /negative stock allowed/)
    t.match(await page.locator('tr[data-connection="conn_acme_shopify"]').innerText(), /acme_shopify_token/)
    t.ok(await page.getByRole('button', { name: 'Copy access token of conn_acme_shopify' }).isVisible())
    t.equal(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').count(), 4)
    await screenshot(page, 'overview')
  })

  await t.test('a new connection from the overview form', async (t) => {
    await page.getByLabel('Integration').selectOption('wix')
    await page.getByRole('button', { name: 'Create connection' }).click()
    await page.waitForFunction(() => document.querySelectorAll('tr[data-connection]').length === 22)
    t.match(await page.locator('tr[data-connection]').last().innerText(), /Wix/)
  })

  await t.test('a connection shows its variants\' stock per warehouse, and search narrows it', async (t) => {
    await page.locator('tr[data-connection="conn_acme_shopify"] a').click()
    await page.waitForSelector(cell('shp_tee_001_s', 'wh_reno'))
    t.same(await page.locator('thead th').allInnerTexts().then((h) => h.slice(1, 4)), ['wh_nyc', 'wh_reno', 'wh_dallas'])
    t.equal(await page.locator(cell('shp_tee_001_s', 'wh_nyc')).innerText(), '136')
    t.equal(await page.locator(cell('shp_tee_001_s', 'wh_reno')).innerText(), '32')
    t.equal(await page.locator(cell('shp_tee_001_s', 'wh_dallas')).innerText(), '163')
    t.equal(await page.locator('tr[data-product="shp_tee_001_s"] td.total').innerText(), '331')
    t.ok(await page.locator('tr.parent-row[data-product="shp_tee_001"]').count() === 1, 'the parent heads its variants')
    await screenshot(page, 'catalogue')
    await page.getByLabel('Search by id, SKU or name').fill('AC-SHP-TEE001-M')
    t.same(await page.locator('tbody tr[data-product]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-product'))), ['shp_tee_001', 'shp_tee_001_m'])
    await page.getByLabel('Search by id, SKU or name').fill('')
  })

  await t.test('an adjustment sent from outside shows on the open page without a reload', async (t) => {
    await page.evaluate(() => { window.stayed = true })
    await adjustFromOutside(url, 'shp_tee_001_s', { quantity: 10, adjustment_type: 'increase', warehouse_id: 'wh_dallas' })
    await textBecomes(page, cell('shp_tee_001_s', 'wh_dallas'), '173')
    t.equal(await page.evaluate(() => window.stayed), true, 'no reload')
  })

  await t.test('Try it sends a real adjustment built from the variant\'s fields', async (t) => {
    const form = page.locator('section.tryit')
    t.same(await form.getByLabel('adjustment_type').locator('option').allInnerTexts(), ['increase', 'decrease', 'exact'])
    t.equal(await form.getByLabel('warehouse_id').getAttribute('aria-required'), 'true')
    await form.getByLabel('Product').selectOption('shp_tee_001_s')
    await form.getByLabel('quantity').fill('5')
    await form.getByLabel('warehouse_id').selectOption('wh_reno')
    await form.getByLabel('reason').selectOption('received')
    await form.getByRole('button', { name: 'Send adjustment' }).click()
    await form.locator('.answer h3').waitFor()
    t.match(await form.locator('.answer').innerText(), /200[\s\S]*x-request-id[\s\S]*"wh_reno": 37/)
    await textBecomes(page, cell('shp_tee_001_s', 'wh_reno'), '37')
    t.equal(await stock(url, 'shp_tee_001_s', 'wh_reno'), 37)
    await screenshot(page, 'try-it')
  })

  await t.test('the journal and the ledger update live, an entry opens to its request and answer', async (t) => {
    await page.getByRole('link', { name: 'Activity' }).click()
    await page.waitForSelector('li.journal-entry')
    await adjustFromOutside(url, 'shp_tee_001_m', { quantity: 3, adjustment_type: 'decrease', warehouse_id: 'wh_nyc' })
    const entry = page.locator('li.journal-entry', { hasText: '/cart/products/shp_tee_001_m/adjust-inventory' }).first()
    await entry.waitFor({ timeout: 10_000 })
    t.match(await entry.innerText(), /PUT[\s\S]*200[\s\S]*conn_acme_shopify · shopify/)
    await entry.locator('summary').click()
    t.match(await entry.locator('pre').first().innerText(), /"x-trackstar-access-token": "\*\*\*\*oken"/)
    t.match(await entry.locator('pre').nth(1).innerText(), /"id": "shp_tee_001_m"/)
    await page.waitForSelector('tr[data-seq] >> text=shp_tee_001_m')
    await screenshot(page, 'activity')
  })

  await t.test('a webhook delivery appears', async (t) => {
    await page.getByRole('link', { name: 'Webhooks' }).click()
    await page.getByLabel('Endpoint URL').fill(receiver.url)
    await page.getByRole('button', { name: 'Register endpoint' }).click()
    await page.locator('table.data', { hasText: receiver.url }).waitFor()
    await adjustFromOutside(url, 'shp_tee_001_l', { quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc' })
    const delivery = page.locator('li.delivery').first()
    await delivery.waitFor({ timeout: 10_000 })
    t.match(await delivery.innerText(), /cart-product\.updated[\s\S]*attempt 1[\s\S]*200/)
    await delivery.locator('summary').click()
    t.match(await delivery.locator('pre').innerText(), /"event_type": "cart-product.updated"/)
    await screenshot(page, 'webhooks')
  })

  await t.test('reset, a snapshot and its restore from the buttons', async (t) => {
    await page.getByRole('link', { name: 'Controls' }).click()
    await page.getByLabel('Snapshot name').fill('before-demo')
    await page.getByRole('button', { name: 'Take snapshot' }).click()
    await page.waitForSelector('tr[data-snapshot="before-demo"]')
    const atSnapshot = await stock(url, 'shp_tee_001_s', 'wh_reno')
    await adjustFromOutside(url, 'shp_tee_001_s', { quantity: 0, adjustment_type: 'exact', warehouse_id: 'wh_reno' })
    t.equal(await stock(url, 'shp_tee_001_s', 'wh_reno'), 0)
    await page.getByRole('button', { name: 'Restore snapshot before-demo' }).click()
    await page.locator('#toast', { hasText: 'Snapshot before-demo restored' }).waitFor()
    t.equal(await stock(url, 'shp_tee_001_s', 'wh_reno'), atSnapshot)
    await page.getByRole('button', { name: 'Reset the sandbox' }).click()
    await page.getByText(/Reset done: 21 connections/).waitFor()
    t.equal(await stock(url, 'shp_tee_001_s', 'wh_reno'), 32, 'back to the fixtures')
  })

  await t.test('the clock and faults from their forms', async (t) => {
    await page.getByLabel('Freeze at (ISO date-time)').fill('2030-01-01T00:00:00Z')
    await page.getByRole('button', { name: 'Freeze' }).click()
    await page.getByText('2030-01-01T00:00:00.000Z').waitFor()
    await page.getByRole('button', { name: 'Advance' }).click()
    await page.getByText('2030-01-01T01:00:00.000Z').waitFor()
    await page.getByRole('button', { name: 'Back to real time' }).click()
    await page.locator('.badge', { hasText: 'real time' }).waitFor()
    await page.getByLabel('Times').fill('1')
    await page.getByRole('button', { name: 'Add fault' }).click()
    const fault = page.locator('tr[data-fault]')
    await fault.waitFor()
    t.match(await fault.innerText(), /path=\/cart\/products\/\*\/adjust-inventory[\s\S]*answer 503/)
    await screenshot(page, 'controls')
    await fault.getByRole('button', { name: /Remove fault/ }).click()
    await page.getByText('No fault active.').waitFor()
  })

  await t.test('keyboard: the skip link and the sections are reachable with Tab', async (t) => {
    await page.goto(`${url}/_sandbox/ui`)
    await page.waitForSelector('tr[data-connection]')
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Overview')
  })

  await t.test('nothing was loaded from another host and nothing logged an error', async (t) => {
    t.same(foreign, [])
    t.same(errors, [])
  })

  // Needs PATCH /_sandbox/connections/{connection_id}/products/{product_id}.
  await t.test('merchant-side stock edit (PATCH /_sandbox/connections/:id/products/:id)', async (t) => {
    const errorsBefore = errors.length
    await page.goto(`${url}/_sandbox/ui#/connection/conn_acme_shopify`)
    await page.getByRole('button', { name: 'Edit stock of Classic Tee / Medium / Black' }).click()
    await page.getByLabel('Stock in', { exact: false }).nth(1).fill('7')
    await page.getByRole('button', { name: 'Save stock' }).click()
    await textBecomes(page, cell('shp_tee_001_m', 'wh_reno'), '7')
    t.equal(await stock(url, 'shp_tee_001_m', 'wh_reno'), 7)
    t.same(errors.slice(errorsBefore), [])
  })

  // Needs POST /_sandbox/webhooks/deliveries/{id}/resend.
  await t.test('resend a webhook delivery (POST /_sandbox/webhooks/deliveries/:id/resend)', async (t) => {
    const errorsBefore = errors.length
    await page.goto(`${url}/_sandbox/ui#/webhooks`)
    const sent = receiver.received.length
    const first = page.locator('li.delivery').last()
    await first.locator('summary').click()
    await first.getByRole('button', { name: 'Resend' }).click()
    const received = await Promise.race([receiver.next(sent + 1), new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('no resent delivery arrived')), 10_000).unref())])
    t.equal(received.at(-1)?.headers['svix-id'], received[0]?.headers['svix-id'], 'the same message again')
    t.same(errors.slice(errorsBefore), [])
  })
})

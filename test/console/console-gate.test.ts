// The console behind SANDBOX_ADMIN_TOKEN, in a browser against the server process: the page loads, asks for the
// token, shows no data until the right one is entered, says so when it is wrong; the start-up log names its URL.
import t from 'tap'
import { join } from 'node:path'
import { tempDir } from '../helper.js'
import { startServer } from '../reliability/server-process.js'
import { openBrowser, screenshot, type PageGlobals } from './browser.js'

declare const document: PageGlobals['document']

const ADMIN = 'demo-admin-token'

t.test('the admin token gate', async (t) => {
  const server = await startServer(t, join(tempDir(t), 'sandbox.sqlite'), { SANDBOX_ADMIN_TOKEN: ADMIN })
  const { page, foreign, errors } = await openBrowser(t)

  await t.test('the start-up log names the console', async (t) => {
    const port = new URL(server.url).port
    await t.resolves(new Promise<void>((resolve) => {
      const check = setInterval(() => { if (server.output().includes(`Console at http://127.0.0.1:${port}/_sandbox/ui`)) { clearInterval(check); resolve() } }, 20)
    }))
  })

  await t.test('the page loads and asks for the token, showing no data', async (t) => {
    await page.goto(`${server.url}/_sandbox/ui`)
    await page.getByLabel('Admin token', { exact: true }).waitFor()
    t.equal(await page.evaluate(() => document.activeElement?.id), 'admin-token', 'the token field has the focus')
    t.equal(await page.locator('tr[data-connection]').count(), 0)
    t.notMatch(await page.locator('body').innerText(), /acme_shopify_token|sandbox_api_key/)
    t.equal(await page.locator('#nav').isHidden(), true)
    await screenshot(page, 'token-gate')
  })

  await t.test('a wrong token is refused, and says so', async (t) => {
    await page.getByLabel('Admin token', { exact: true }).fill('not-the-token')
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByRole('alert').filter({ hasText: 'That token is wrong' }).waitFor()
    t.equal(await page.locator('tr[data-connection]').count(), 0)
  })

  await t.test('the right token opens the console, live stream included', async (t) => {
    await page.getByLabel('Admin token', { exact: true }).fill(ADMIN)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.waitForSelector('tr[data-connection="conn_acme_shopify"]')
    await page.locator('#live[data-state="on"]').waitFor()
    await page.getByRole('link', { name: 'Activity' }).click()
    await page.waitForSelector('ol.journal', { state: 'attached' })
    const put = await fetch(`${server.url}/cart/products/shp_tee_001_s/adjust-inventory`, {
      method: 'PUT',
      headers: { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token', 'content-type': 'application/json' },
      body: JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
    })
    t.equal(put.status, 200)
    await page.locator('li.journal-entry', { hasText: 'shp_tee_001_s' }).waitFor({ timeout: 10_000 })
  })

  await t.test('the control plane still refuses requests without the token', async (t) => {
    for (const path of ['/_sandbox/ui/api/overview', '/_sandbox/requests', '/_sandbox/ui/api/events']) {
      t.equal((await fetch(`${server.url}${path}`)).status, 401, path)
    }
    t.equal((await fetch(`${server.url}/_sandbox/ui/assets/app.js`)).status, 200)
  })

  await t.test('nothing from another host; the only errors logged are the refused token checks', async (t) => {
    t.same(foreign, [])
    t.same(errors.filter((e) => !/status of 401/.test(e)), [])
  })
})

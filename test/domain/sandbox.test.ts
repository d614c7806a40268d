// Fixtures: the bundled set, a user's own directory or file, and a clear refusal of broken ones.
import t from 'tap'
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build, tempDir } from '../helper.js'
import { readFixtures, BUNDLED_FIXTURES } from '../../src/domain/sandbox.js'
import { createAjv } from '../../src/domain/validation.js'

const mine = {
  organisations: [{
    id: 'org_me', name: 'Me', api_keys: [{ key: 'my_key', access: 'full' }],
    connections: [{ integration: 'woocommerce', access_token: 'my_woo_token', products: [{ id: 'p' }, { id: 'v', parent_product_id: 'p', inventory_by_warehouse_id: { wh_main: 3 } }] }]
  }]
}

t.test('the bundled fixtures: two organisations, 17 integrations, special connections', async (t) => {
  const fixtures = readFixtures(createAjv(), BUNDLED_FIXTURES)
  t.ok(fixtures.organisations.length >= 2)
  const connections = fixtures.organisations.flatMap((o) => o.connections)
  t.equal(new Set(connections.map((c) => c.integration)).size, 17)
  t.ok(connections.some((c) => c.settings?.disabled_actions?.includes('adjust_inventory')))
  t.ok(connections.some((c) => c.settings?.available_actions !== undefined && !c.settings.available_actions.includes('adjust_inventory')))
})

t.test('SANDBOX_FIXTURES may point at a directory or a file of the user\'s own', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'set'))
  writeFileSync(join(dir, 'set', 'mine.json'), JSON.stringify(mine))
  writeFileSync(join(dir, 'set', 'README.md'), 'not json, ignored')
  for (const fixtures of [join(dir, 'set'), join(dir, 'set', 'mine.json')]) {
    const app = await build(t, { fixtures })
    const res = await app.inject({ url: '/cart/products/v', headers: { 'x-trackstar-api-key': 'my_key', 'x-trackstar-access-token': 'my_woo_token' } })
    t.equal(res.json().data.inventory, 3)
    t.equal(app.sandbox.tenants.listConnections().length, 1)
  }
})

t.test('broken fixtures stop the start with a message naming the file and field', async (t) => {
  const dir = tempDir(t)
  const file = (name: string, text: string) => { writeFileSync(join(dir, name), text); return join(dir, name) }
  const ajv = createAjv()
  t.throws(() => readFixtures(ajv, file('bad.json', '{oops')), /bad\.json are not valid JSON/)
  t.throws(() => readFixtures(ajv, file('wrong.json', JSON.stringify({ organisations: [{ id: 'o' }] }))), /wrong\.json are invalid at organisations\.0\.name/)
  mkdirSync(join(dir, 'empty'))
  t.throws(() => readFixtures(ajv, join(dir, 'empty')), /No fixtures found/)
})

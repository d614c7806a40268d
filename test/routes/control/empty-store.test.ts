// A connection created without products: an empty catalogue, and the merchant's first products list in the order added.
import t from 'tap'
import { json } from '../../json.js'
import { listen } from '../../helper.js'

t.test('an empty store lists nothing; products the merchant adds list in the order they were added', async (t) => {
  const { url } = await listen(t)
  const send = async (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const created = await send('/_sandbox/connections', { integration: 'shopify', products: [] })
  t.equal(created.status, 201)
  const store = await json(created)
  t.same(store.products, [])
  const headers = { 'x-trackstar-api-key': store.api_key, 'x-trackstar-access-token': store.access_token }
  const list = async () => json(await fetch(`${url}/cart/products`, { headers }))
  t.equal((await list()).total_count, 0)

  const warehouse = store.warehouses[0].id as string
  for (const id of ['first', 'second']) {
    const added = await send(`/_sandbox/connections/${store.connection_id}/products`, { products: [{ id, name: id, inventory_by_warehouse_id: { [warehouse]: 2 } }] })
    t.equal(added.status, 201, id)
  }
  const listed = await list()
  t.same(listed.data.map((p: { id: string }) => p.id), ['first', 'second'])
  t.equal(listed.total_count, 2)
})

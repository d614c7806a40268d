// Table-driven over all 17 integrations: every allowed value is accepted, every malformed body is a 422 that changes nothing.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { INTEGRATIONS, type IntegrationRow } from '../../src/schemas/integrations.js'
import { MAX_QUANTITY } from '../../src/domain/validation.js'
import type { CartProduct } from '../../src/schemas/product.js'
import { adjust, build, headersFor } from '../helper.js'
import { seedProductErrors } from '../seed.js'

interface Target { productId: string, warehouseId: string, warehouses: string[], shopId: string | undefined }

/** The variant with the most stock in the connection's default warehouse, so a decrease of 1 is always possible. */
async function targetFor (app: FastifyInstance, row: IntegrationRow): Promise<Target> {
  const headers = headersFor(row.slug)
  const warehouses = (await app.inject({ url: '/cart/warehouses', headers })).json().data.map((w: { id: string }) => w.id) as string[]
  const { defaultId } = app.sandbox.tenants.warehouseIds(app.sandbox.tenants.findConnectionByToken(headers['x-trackstar-access-token'] as string)?.id ?? '')
  const products = (await app.inject({ url: '/cart/products', headers })).json().data as CartProduct[]
  const variants = products.filter((p) => p.parent_product_id !== p.id)
  const stock = (p: CartProduct) => p.inventory_by_warehouse_id[defaultId ?? ''] ?? 0
  const best = variants.reduce((a, b) => (stock(b) > stock(a) ? b : a))
  const shops = app.sandbox.tenants.listShops(app.sandbox.tenants.findConnectionByToken(headers['x-trackstar-access-token'] as string)?.id ?? '')
  return { productId: best.id, warehouseId: defaultId ?? '', warehouses, shopId: shops[0]?.id }
}

function validBody (row: IntegrationRow, target: Target): Record<string, unknown> {
  const body: Record<string, unknown> = { quantity: 1, adjustment_type: row.adjustmentTypes[0] }
  if (row.warehouseId === 'required') body.warehouse_id = target.warehouseId
  if (row.reason === 'required') body.reason = row.reasons?.[0]
  if (row.shopId === 'required') body.shop_id = target.shopId
  return body
}

for (const row of INTEGRATIONS) {
  t.test(`${row.slug} (${row.displayName})`, async (t) => {
    const app = await build(t)
    const target = await targetFor(app, row)
    const base = validBody(row, target)
    const put = (body: unknown) => adjust(app, row.slug, target.productId, body)
    const ledgerSize = () => app.sandbox.ledger.list({ limit: 100_000 }).total

    const accepted = async (body: Record<string, unknown>, label: string) => {
      const res = await put(body)
      t.equal(res.statusCode, 200, `${label} → 200 (${res.body.slice(0, 200)})`)
      const json = res.json()
      t.equal(json.id, target.productId)
      t.equal(seedProductErrors(json.data), null, `${label}: data passes the seed's CartProductApiItemSchema`)
    }
    const rejected = async (body: unknown, field: string, message: RegExp | string, label: string) => {
      const before = ledgerSize()
      const res = await put(body)
      t.equal(res.statusCode, 422, `${label} → 422`)
      const json = res.json()
      t.equal(json.origin, 'trackstar')
      t.type(json.error, 'string')
      const messages = json.detail?.json?.[field] as string[] | undefined
      t.ok(messages?.some((m) => (typeof message === 'string' ? m === message : message.test(m))), `${label}: detail.json.${field} says ${String(message)} (got ${JSON.stringify(json.detail)})`)
      t.equal(ledgerSize(), before, `${label}: nothing recorded`)
    }

    await accepted(base, 'the minimal valid body')
    for (const type of row.adjustmentTypes) await accepted({ ...base, adjustment_type: type }, `adjustment_type ${type}`)
    for (const reason of row.reasons ?? []) await accepted({ ...base, reason }, `reason ${reason}`)
    if (row.warehouseId !== 'absent') for (const warehouse of target.warehouses) await accepted({ ...base, warehouse_id: warehouse }, `warehouse ${warehouse}`)
    if (row.futureDate !== 'absent') await accepted({ ...base, future_date: '2020-01-01T00:00:00Z' }, 'a future_date already past')

    const required = ['adjustment_type', 'quantity', ...(row.warehouseId === 'required' ? ['warehouse_id'] : []), ...(row.reason === 'required' ? ['reason'] : []), ...(row.shopId === 'required' ? ['shop_id'] : [])]
    for (const field of required) {
      const { [field]: _omitted, ...missing } = base
      await rejected(missing, field, 'Missing data for required field.', `missing ${field}`)
    }
    for (const field of Object.keys(base)) {
      for (const nullish of [null, '', 'none', 'null', 'NULL']) await rejected({ ...base, [field]: nullish }, field, 'Field may not be null or empty.', `${field}: ${JSON.stringify(nullish)}`)
    }

    if (row.additionalProperties) {
      const res = await put({ ...base, note: 'from the ERP' })
      t.equal(res.statusCode, 200, 'the Base Schema admits extra keys')
      t.same(res.json().unused_fields, ['note'], 'and lists them in unused_fields')
    } else {
      await rejected({ ...base, note: 'x' }, 'note', 'Unknown field.', 'an unknown key')
    }
    if (row.warehouseId === 'absent' && !row.additionalProperties) await rejected({ ...base, warehouse_id: target.warehouseId }, 'warehouse_id', 'Unknown field.', 'warehouse_id where the variant has none')

    await rejected({ ...base, adjustment_type: 'set' }, 'adjustment_type', `Must be one of: ${row.adjustmentTypes.join(', ')}.`, 'an unknown adjustment_type')
    for (const type of ['increase', 'decrease', 'exact'].filter((x) => !(row.adjustmentTypes as readonly string[]).includes(x))) {
      await rejected({ ...base, adjustment_type: type }, 'adjustment_type', /^Must be one of/, `${type}, which ${row.displayName} does not allow`)
    }
    if (row.reasons) await rejected({ ...base, reason: 'stolen' }, 'reason', /^Must be one of/, 'an unknown reason')
    if (row.warehouseEnum) await rejected({ ...base, warehouse_id: 'US' }, 'warehouse_id', /^Must be one of: DEFAULT/, 'a warehouse outside the enum')

    await rejected({ ...base, quantity: '5' }, 'quantity', 'Not a valid integer.', 'a quantity given as a string (never coerced)')
    await rejected({ ...base, quantity: 1.5 }, 'quantity', 'Not a valid integer.', 'a fractional quantity')
    await rejected({ ...base, quantity: true }, 'quantity', 'Not a valid integer.', 'a boolean quantity')
    await rejected({ ...base, quantity: -1 }, 'quantity', /^Must be greater than or equal to 0/, 'a negative quantity')
    await rejected({ ...base, quantity: MAX_QUANTITY + 1 }, 'quantity', /less than or equal to 2147483647/, 'a quantity beyond 2^31-1')
    await rejected({ ...base, adjustment_type: 1 }, 'adjustment_type', 'Not a valid string.', 'a numeric adjustment_type')
    if (row.warehouseId !== 'absent') await rejected({ ...base, warehouse_id: 7 }, 'warehouse_id', 'Not a valid string.', 'a numeric warehouse_id')
    if (row.futureDate !== 'absent') await rejected({ ...base, future_date: 'next tuesday' }, 'future_date', 'Not a valid datetime.', 'a future_date that is not a date-time')
    await rejected([base], '_schema', /expected a JSON object/, 'an array body')
    await rejected(42, '_schema', /expected a JSON object/, 'a number body')

    const all = await put({ quantity: 'x', adjustment_type: 'x', zzz: null })
    t.equal(all.statusCode, 422)
    t.ok(Object.keys(all.json().detail.json).length >= 2, 'all violations are reported at once')
  })
}

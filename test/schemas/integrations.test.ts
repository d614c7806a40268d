// Proves each generated integration schema equals the seed's variant, property for property.
import t from 'tap'
import { ADJUST_SCHEMAS, INTEGRATIONS, buildAdjustSchema, findIntegration } from '../../src/schemas/integrations.js'
import { AdjustResponseSchema, CartProductSchema, ProductMeasurementsSchema } from '../../src/schemas/product.js'
import { seed, seedSchemas } from '../seed.js'

/** A schema as plain JSON, with TypeBox's $id and symbols gone and refs written the seed's way. */
export function plain (schema: unknown): unknown {
  const { $id: _id, ...rest } = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>
  return JSON.parse(JSON.stringify(rest).replace(/"\$ref":"(?!#)([^"]+)"/g, '"$ref":"#/components/schemas/$1"'))
}

const variantNames = (seedSchemas.AdjustInventorycartProductInputSchema?.oneOf as { $ref: string }[]).map((ref) => ref.$ref.replace('#/components/schemas/', ''))

t.test('the catalogue has the seed\'s 17 variants, in the seed\'s order', async (t) => {
  t.equal(INTEGRATIONS.length, 17)
  t.same(INTEGRATIONS.map((row) => row.schemaName), variantNames)
  t.equal(new Set(INTEGRATIONS.map((row) => row.slug)).size, 17, 'slugs are unique')
})

for (const row of INTEGRATIONS) {
  t.test(`${row.slug}: the generated schema equals the seed's ${row.schemaName}`, async (t) => {
    const generated = plain(ADJUST_SCHEMAS.get(row.slug))
    t.strictSame(generated, seedSchemas[row.schemaName])
    t.strictSame(plain(buildAdjustSchema(row)), generated, 'rebuilding gives the same schema')
  })
}

t.test('CartProductApiItemSchema, ProductMeasurements and the response envelope equal the seed', async (t) => {
  t.strictSame(plain(CartProductSchema), seedSchemas.CartProductApiItemSchema)
  t.strictSame(plain(ProductMeasurementsSchema), seedSchemas.ProductMeasurements)
  t.strictSame(plain(AdjustResponseSchema), seedSchemas.cartAdjustInventoryProductResponse)
})

t.test('lookups by slug', async (t) => {
  t.equal(findIntegration('shopify')?.displayName, 'Shopify')
  t.equal(findIntegration('nope'), undefined)
  t.ok(seed.paths['/cart/products/{product_id}/adjust-inventory'])
})

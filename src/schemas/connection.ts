// The control plane's connection input: what POST /_sandbox/connections, fixture files and the merchant-side edits accept.
import { Type, type Static } from '@sinclair/typebox'
import { INTEGRATIONS } from './integrations.js'
import { CartProductSchema, ProductMeasurementsSchema } from './product.js'
import { StringEnum } from './common.js'

/** What a connection's settings can enable or disable, one per emulated endpoint family. */
export const ACTIONS = ['adjust_inventory', 'get_products', 'get_warehouses'] as const
export type Action = (typeof ACTIONS)[number]

export const Id = Type.String({ minLength: 1, maxLength: 200 })
export const NullableString = Type.Union([Type.String(), Type.Null()])

export const WarehouseInputSchema = Type.Object({
  id: Id,
  name: Type.Optional(Type.String()),
  code: Type.Optional(NullableString),
  default: Type.Optional(Type.Boolean()),
  address: Type.Optional(Type.Record(Type.String(), NullableString)),
  created_date: Type.Optional(Type.String({ format: 'date-time' })),
  updated_date: Type.Optional(Type.String({ format: 'date-time' }))
}, { additionalProperties: false })

// Every CartProduct field may be given, so a product read from the API can be posted back unchanged; only `id` is required.
export const ProductInputSchema = Type.Object({
  ...Type.Partial(Type.Object(CartProductSchema.properties)).properties,
  id: Id,
  measurements: Type.Optional(Type.Partial(Type.Object(ProductMeasurementsSchema.properties, { additionalProperties: false })))
}, { additionalProperties: false })

export const ShopInputSchema = Type.Union([Id, Type.Object({ id: Id, name: Type.Optional(NullableString) }, { additionalProperties: false })])

export const SettingsInputSchema = Type.Object({
  allow_negative_inventory: Type.Optional(Type.Boolean()),
  disabled_actions: Type.Optional(Type.Array(StringEnum([...ACTIONS]), { uniqueItems: true })),
  available_actions: Type.Optional(Type.Array(StringEnum([...ACTIONS]), { uniqueItems: true })),
  shops: Type.Optional(Type.Array(ShopInputSchema, { maxItems: 100 }))
}, { additionalProperties: false })

export const ConnectionInputSchema = Type.Object({
  integration: StringEnum(INTEGRATIONS.map((row) => row.slug), { description: 'An integration slug, see GET /_sandbox/integrations.' }),
  id: Type.Optional(Id),
  access_token: Type.Optional(Type.String({ minLength: 8, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' })),
  customer_id: Type.Optional(NullableString),
  settings: Type.Optional(SettingsInputSchema),
  warehouses: Type.Optional(Type.Array(WarehouseInputSchema, { minItems: 1, maxItems: 100 })),
  products: Type.Optional(Type.Array(ProductInputSchema, { maxItems: 100_000 }))
}, { additionalProperties: false })

export type ConnectionInput = Static<typeof ConnectionInputSchema>
export type ProductInput = Static<typeof ProductInputSchema>

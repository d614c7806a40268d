// CartProductApiItemSchema and the read-back envelopes, equal to the seed spec's components.
import { Type, type Static } from '@sinclair/typebox'
import { MapOf, Nullable, withSortedRequired } from './common.js'

export const ProductMeasurementsSchema = withSortedRequired(Type.Object({
  length: Nullable<number>('number', { description: '', example: 1.5 }),
  width: Nullable<number>('number', { description: '', example: 1.5 }),
  height: Nullable<number>('number', { description: '', example: 1.5 }),
  // The seed admits null in `type` but not in `enum`, so a valid product always carries a unit.
  unit: Type.Unsafe<'cm' | 'in'>({
    type: ['string', 'null'], enum: ['cm', 'in'], description: 'The unit of measurement for the size of the product.', example: 'in'
  }),
  weight: Nullable<number>('number', { description: '', example: 2.5 }),
  weight_unit: Type.Unsafe<'kg' | 'oz' | 'lb'>({
    type: ['string', 'null'], enum: ['kg', 'oz', 'lb'], description: 'The unit of measurement for the weight of the product.', example: 'lb'
  })
}, { $id: 'ProductMeasurements', additionalProperties: false, title: 'ProductMeasurements' }))

const dateTime = (description: string, example?: string) =>
  Type.String({ format: 'date-time', description, ...(example === undefined ? {} : { example }) })

export const CartProductSchema = withSortedRequired(Type.Object({
  id: Type.String({ description: 'The unique ID of the product.', example: 'product_id' }),
  created_date: dateTime('The date the cart product was created.', '2022-01-01T00:00:00Z'),
  updated_date: dateTime('The date the cart product was last updated.', '2022-01-02T05:05:05Z'),
  name: Type.String({ description: 'The name of the product.', example: 'product_name' }),
  sku: Nullable<string>('string', { description: 'The SKU of the product.', example: 'sku' }),
  gtin: Nullable<string>('string', { description: 'The GTIN of the product.', example: 'gtin' }),
  parent_product_id: Type.String({
    description: 'If this is a variant, the ID of the parent product. If this is a parent product, this field should be the same as ID.'
  }),
  is_kit: Type.Boolean({ description: '', example: true }),
  active: Type.Boolean({ description: 'Whether the product is active.', example: true }),
  image_url: Nullable<string>('string', { description: "The URL of the product's image.", example: 'https://example.com/image.jpg' }),
  price: Nullable<number>('number', {
    description: 'The price of the product if it is a variant. Not the source of truth for parent products.', example: 10
  }),
  unit_cost: Nullable<number>('number', {
    description: 'The unit cost of the product if it is a variant. Not the source of truth for parent products.', example: 10
  }),
  inventory: Nullable<number>('integer', {
    description: 'The inventory of the product if it is a variant. Not the source of truth for parent products.', example: 10
  }),
  inventory_by_warehouse_id: MapOf(Type.Integer({ description: 'Inventory for that warehouse.', example: 5 }), {
    description: 'Inventory broken down by warehouse.',
    example: { warehouse_id_1: 6, warehouse_id_2: 4 }
  }),
  measurements: Type.Ref(ProductMeasurementsSchema),
  tags: Type.Array(Type.String({ description: 'A tag associated with the product.', example: 'tag_0' }), {
    description: 'A list of tags associated with the product. Tags that are represented as key-value pairs in the underlying system will be represented as a single string formatted as `key:value`.',
    example: ['tag_0']
  }),
  categories: Type.Array(Type.String({ description: 'A category name.', example: 'Apparel' }), {
    description: 'A list of category names the product belongs to. For platforms with a hierarchical category tree, each level is a separate element with the leaf last (e.g. ["Apparel", "Shoes", "Running"]). For platforms with a single scalar product type, a single-element list.',
    example: ['Apparel', 'Shoes', 'Running']
  }),
  external_system_url: Nullable<string>('string', {
    description: 'URL link to the cart product in the external system (WMS/Freight etc).', example: 'https://example.com/cartproduct/123'
  }),
  trackstar_tags: Type.Unsafe<unknown[] | null>({
    type: ['array', 'null'],
    description: 'A list of custom tags associated with the resource. A tag can be either a string or a dictionary with one key-value pair.',
    example: ['tag1', 'tag2', { tag3: 'value3' }],
    items: {}
  }),
  additional_fields: MapOf(Type.Unknown(), { description: 'Integration-specific fields', example: { key: 'value' } }),
  trackstar_created_date: dateTime(''),
  trackstar_updated_date: dateTime('')
}, { $id: 'CartProductApiItemSchema', additionalProperties: false, title: 'CartProductApiItemSchema' }))

export interface ProductMeasurements extends Static<typeof ProductMeasurementsSchema> {}
export type CartProduct = Omit<Static<typeof CartProductSchema>, 'measurements'> & { measurements: ProductMeasurements }

/** The product fields of Trackstar's cart-product.* webhook payloads (its CartProductSchema, which admits no others). */
export const WEBHOOK_PRODUCT_FIELDS = ['id', 'created_date', 'updated_date', 'name', 'sku', 'parent_product_id', 'is_kit', 'active', 'price', 'unit_cost', 'inventory', 'inventory_by_warehouse_id', 'tags', 'external_system_url', 'additional_fields'] as const satisfies ReadonlyArray<keyof CartProduct>

export const AdjustResponseSchema = Type.Object({
  data: Type.Optional(Type.Ref(CartProductSchema)),
  id: Type.String({ description: 'The ID of the object that has been created or modified', example: 'id' }),
  unused_fields: Type.Array(Type.String({ description: '' }), { description: 'Unused fields' })
}, { $id: 'cartAdjustInventoryProductResponse', additionalProperties: false, title: 'cartAdjustInventoryProductResponse' })

export const ProductEnvelopeSchema = Type.Object({ data: Type.Ref(CartProductSchema) })

export const ProductListSchema = Type.Object({
  data: Type.Array(Type.Ref(CartProductSchema)),
  next_token: Type.Union([Type.String(), Type.Null()]),
  total_count: Type.Integer({ description: 'The number of items returned.' })
})

export const WarehouseSchema = Type.Object({
  id: Type.String(),
  created_date: Type.String({ format: 'date-time' }),
  updated_date: Type.String({ format: 'date-time' }),
  name: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  address: Type.Object({
    address1: Type.Union([Type.String(), Type.Null()]),
    address2: Type.Union([Type.String(), Type.Null()]),
    address3: Type.Union([Type.String(), Type.Null()]),
    city: Type.Union([Type.String(), Type.Null()]),
    state: Type.Union([Type.String(), Type.Null()]),
    postal_code: Type.Union([Type.String(), Type.Null()]),
    country: Type.Union([Type.String(), Type.Null()])
  })
}, { $id: 'CartWarehouse', title: 'CartWarehouse' })
export type Warehouse = Static<typeof WarehouseSchema>

export const WarehouseListSchema = Type.Object({
  data: Type.Array(Type.Ref(WarehouseSchema)),
  next_token: Type.Union([Type.String(), Type.Null()]),
  total_count: Type.Integer()
})

export const WarehouseEnvelopeSchema = Type.Object({ data: Type.Ref(WarehouseSchema) })

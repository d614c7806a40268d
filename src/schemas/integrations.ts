// The 17 integrations of Trackstar's adjust-inventory endpoint as one typed table; schemas are generated from it.
import { Type, type TObject, type TSchema } from '@sinclair/typebox'
import { StringEnum, withSortedRequired } from './common.js'

export const ADJUSTMENT_TYPES = ['increase', 'decrease', 'exact'] as const
export type AdjustmentType = (typeof ADJUSTMENT_TYPES)[number]

/** How a body field exists in an integration's variant: not at all, optional, or required. */
export type Presence = 'absent' | 'optional' | 'required'

export interface IntegrationRow {
  /** Trackstar's integration_name (discriminator mapping slug). */
  readonly slug: string
  /** Display name, as in the 501 text and the variant's title. */
  readonly displayName: string
  /** Name of the variant under components.schemas in the seed spec. */
  readonly schemaName: string
  readonly adjustmentTypes: readonly AdjustmentType[]
  readonly warehouseId: Presence
  /** Fixed warehouse ids the spec publishes for this integration (Amazon: DEFAULT). */
  readonly warehouseEnum?: readonly string[]
  readonly reason: Presence
  readonly reasons?: readonly string[]
  readonly shopId: Presence
  readonly futureDate: Presence
  /** Only the Base Schema admits unknown keys; they come back in unused_fields. */
  readonly additionalProperties: boolean
}

const INCREASE_DECREASE = ['increase', 'decrease'] as const
const ALL_TYPES = ADJUSTMENT_TYPES
const EXACT_ONLY = ['exact'] as const

const BIGCOMMERCE_REASONS = ['recount', 'received', 'sold', 'damaged', 'other'] as const
const SHOPIFY_REASONS = [
  'correction', 'cycle_count_available', 'damaged', 'movement_created', 'movement_updated', 'movement_received',
  'payment_canceled', 'other', 'promotion', 'quality_control', 'received', 'reservation_created',
  'reservation_updated', 'reservation_deleted', 'restock', 'safety_stock', 'shrinkage'
] as const

const plain = { reason: 'absent', shopId: 'absent', futureDate: 'absent', additionalProperties: false } as const

/** Ordered as the seed's top-level oneOf lists them. */
export const INTEGRATIONS: readonly IntegrationRow[] = [
  { ...plain, slug: '_base', displayName: 'Base Schema', schemaName: 'AdjustCartInventorySchema--Base__Schema--', adjustmentTypes: INCREASE_DECREASE, warehouseId: 'required', additionalProperties: true },
  { ...plain, slug: 'amazon', displayName: 'Amazon', schemaName: 'AdjustInventorycartProduct--Amazon--', adjustmentTypes: ALL_TYPES, warehouseId: 'required', warehouseEnum: ['DEFAULT'] },
  { ...plain, slug: 'bigcommerce', displayName: 'BigCommerce', schemaName: 'AdjustInventorycartProduct--BigCommerce--', adjustmentTypes: INCREASE_DECREASE, warehouseId: 'required', reason: 'required', reasons: BIGCOMMERCE_REASONS },
  { ...plain, slug: 'ebay', displayName: 'eBay', schemaName: 'AdjustInventorycartProduct--eBay--', adjustmentTypes: ALL_TYPES, warehouseId: 'optional' },
  { ...plain, slug: 'etsy', displayName: 'Etsy', schemaName: 'AdjustInventorycartProduct--Etsy--', adjustmentTypes: INCREASE_DECREASE, warehouseId: 'absent' },
  { ...plain, slug: 'faire', displayName: 'Faire', schemaName: 'AdjustInventorycartProduct--Faire--', adjustmentTypes: INCREASE_DECREASE, warehouseId: 'absent' },
  { ...plain, slug: 'magento', displayName: 'Magento (Adobe Commerce)', schemaName: 'AdjustInventorycartProduct--Magento__-_Adobe__Commerce_---', adjustmentTypes: ALL_TYPES, warehouseId: 'optional' },
  { ...plain, slug: 'mirakl', displayName: 'Mirakl', schemaName: 'AdjustInventorycartProduct--Mirakl--', adjustmentTypes: EXACT_ONLY, warehouseId: 'optional' },
  { ...plain, slug: 'nuorder', displayName: 'NuOrder', schemaName: 'AdjustInventorycartProduct--NuOrder--', adjustmentTypes: INCREASE_DECREASE, warehouseId: 'required', futureDate: 'optional' },
  { ...plain, slug: 'overstock', displayName: 'Overstock', schemaName: 'AdjustInventorycartProduct--Overstock--', adjustmentTypes: EXACT_ONLY, warehouseId: 'required' },
  { ...plain, slug: 'sandbox', displayName: 'Cart Sandbox', schemaName: 'AdjustInventorycartProduct--Cart__Sandbox--', adjustmentTypes: INCREASE_DECREASE, warehouseId: 'absent' },
  { ...plain, slug: 'shopify', displayName: 'Shopify', schemaName: 'AdjustInventorycartProduct--Shopify--', adjustmentTypes: ALL_TYPES, warehouseId: 'required', reason: 'required', reasons: SHOPIFY_REASONS },
  { ...plain, slug: 'squarespace', displayName: 'Squarespace', schemaName: 'AdjustInventorycartProduct--Squarespace--', adjustmentTypes: ALL_TYPES, warehouseId: 'absent' },
  { ...plain, slug: 'tiktok', displayName: 'TikTok', schemaName: 'AdjustInventorycartProduct--TikTok--', adjustmentTypes: ALL_TYPES, warehouseId: 'required', shopId: 'required' },
  { ...plain, slug: 'walmart', displayName: 'Walmart', schemaName: 'AdjustInventorycartProduct--Walmart--', adjustmentTypes: ALL_TYPES, warehouseId: 'optional' },
  { ...plain, slug: 'wix', displayName: 'Wix', schemaName: 'AdjustInventorycartProduct--Wix--', adjustmentTypes: ALL_TYPES, warehouseId: 'optional' },
  { ...plain, slug: 'woocommerce', displayName: 'WooCommerce', schemaName: 'AdjustInventorycartProduct--WooCommerce--', adjustmentTypes: ALL_TYPES, warehouseId: 'absent' }
]

const bySlug = new Map(INTEGRATIONS.map((row) => [row.slug, row]))

export function findIntegration (slug: string): IntegrationRow | undefined {
  return bySlug.get(slug)
}

// Descriptions and examples are copied from the seed so the served OpenAPI reads like Trackstar's own.
const QUANTITY_DESCRIPTION = 'The quantity to adjust the inventory by if increasing or decreasing. If using exact, the quantity to set the inventory to.'

/** Builds the request-body schema of one integration, equal to the seed's variant. */
export function buildAdjustSchema (row: IntegrationRow): TObject {
  const properties: Record<string, TSchema> = {
    quantity: Type.Integer({ description: QUANTITY_DESCRIPTION, example: 1 }),
    adjustment_type: StringEnum([...row.adjustmentTypes], {
      description: 'The type of adjustment to make to the inventory.',
      example: row.adjustmentTypes[0]
    })
  }
  const add = (name: string, presence: Presence, schema: TSchema): void => {
    if (presence !== 'absent') properties[name] = presence === 'required' ? schema : Type.Optional(schema)
  }
  add('warehouse_id', row.warehouseId, row.warehouseEnum
    ? StringEnum([...row.warehouseEnum], { description: 'ID of the warehouse to adjust inventory in. (hit authenticated to get full enum)' })
    : Type.String({ description: 'ID of the warehouse to adjust inventory in.' }))
  add('reason', row.reason, StringEnum([...(row.reasons ?? [])], { description: 'The reason for the inventory adjustment.' }))
  add('future_date', row.futureDate, Type.String({
    format: 'date-time',
    description: 'The future date for the adjustment. If not provided, the adjustment will be applied immediately.',
    example: '2030-01-01T00:00:00Z'
  }))
  add('shop_id', row.shopId, Type.String({
    description: 'The TikTok shop ID of the product to adjust inventory for. If you only have one shop, we will default to it. Otherwise, you must provide a shop ID.',
    example: 'shop_id'
  }))
  return withSortedRequired(Type.Object(properties, {
    $id: row.schemaName,
    additionalProperties: row.additionalProperties,
    title: row.displayName
  }))
}

/** One generated schema per integration slug, built once at load. */
export const ADJUST_SCHEMAS: ReadonlyMap<string, TObject> = new Map(
  INTEGRATIONS.map((row) => [row.slug, buildAdjustSchema(row)])
)

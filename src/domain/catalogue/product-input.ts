// Products as a payload gives them (control plane, fixtures): the input schema and the rules that turn them into CartProducts.
import type { ProductInput } from '../../schemas/connection.js'
import type { CartProduct } from '../../schemas/product.js'
import { addMessage } from '../validation.js'
import { sumValues } from '../inventory/stock.js'
import type { Detail } from '../errors.js'


export interface ProductContext {
  /** The connection's warehouse ids, in order. */
  warehouseIds: readonly string[]
  /** Where `inventory` given alone is put. */
  defaultWarehouseId: string
  /** Ids that may be named as `parent_product_id` besides the payload's own products. */
  existingIds?: ReadonlySet<string>
  now: string
  /** The payload field the products are under, for error locations; default `products`. */
  field?: string
}


/**
 * Turns payload products into complete CartProducts and adds every mistake to `detail` (`json.<field>.<i>.<key>`).
 * Computed fields follow the round-trip rules: `inventory` must equal the sum of `inventory_by_warehouse_id` when
 * both are given; given alone on a product without variants it is that stock in the default warehouse; a parent with
 * variants gets its variants' sums whatever it was given. Given dates are kept. Sums are set by `recomputeSums`.
 */
export function toProducts (inputs: readonly ProductInput[], context: ProductContext, detail: Detail): CartProduct[] {
  const field = context.field ?? 'products'
  const warehouses = new Set(context.warehouseIds)
  const ids = new Set<string>()
  const parents = new Set(inputs.filter((p) => p.parent_product_id !== undefined && p.parent_product_id !== p.id).map((p) => p.parent_product_id))
  const products = inputs.map((input, i) => {
    if (ids.has(input.id)) addMessage(detail, 'json', field, `Duplicate id: ${input.id}.`)
    ids.add(input.id)
    const product = toProduct(input, context)
    const hasVariants = parents.has(product.id)
    for (const warehouse of Object.keys(product.inventory_by_warehouse_id)) {
      if (!warehouses.has(warehouse)) addMessage(detail, 'json', `${field}.${i}.inventory_by_warehouse_id.${warehouse}`, `Unknown warehouse. Must be one of: ${context.warehouseIds.join(', ')}.`)
    }
    const inventory = input.inventory ?? null
    if (inventory !== null && !hasVariants) {
      if (input.inventory_by_warehouse_id === undefined) product.inventory_by_warehouse_id = { [context.defaultWarehouseId]: inventory }
      else if (sumValues(input.inventory_by_warehouse_id) !== inventory) {
        addMessage(detail, 'json', `${field}.${i}.inventory`, `Must equal the sum of inventory_by_warehouse_id (${sumValues(input.inventory_by_warehouse_id)}), or be left out.`)
      }
    }
    return product
  })
  products.forEach((product, i) => {
    if (!ids.has(product.parent_product_id) && context.existingIds?.has(product.parent_product_id) !== true) {
      addMessage(detail, 'json', `${field}.${i}.parent_product_id`, 'Unknown parent product: it must be the id of a product in this payload.')
    }
  })
  return products
}

function toProduct (input: ProductInput, { now }: ProductContext): CartProduct {
  const given = <T>(value: T | undefined, fallback: T): T => value === undefined ? fallback : value
  return {
    id: input.id,
    created_date: input.created_date ?? now,
    updated_date: input.updated_date ?? now,
    name: input.name ?? input.id,
    sku: given(input.sku, null),
    gtin: given(input.gtin, null),
    parent_product_id: input.parent_product_id ?? input.id,
    is_kit: input.is_kit ?? false,
    active: input.active ?? true,
    image_url: given(input.image_url, null),
    price: given(input.price, null),
    unit_cost: given(input.unit_cost, null),
    inventory: 0,
    inventory_by_warehouse_id: { ...(input.inventory_by_warehouse_id ?? {}) },
    // The seed's enums admit no null unit, so sizes may be null but units always have a value.
    measurements: { length: null, width: null, height: null, weight: null, ...input.measurements, unit: input.measurements?.unit ?? 'in', weight_unit: input.measurements?.weight_unit ?? 'lb' },
    tags: input.tags ?? [],
    categories: input.categories ?? [],
    external_system_url: given(input.external_system_url, null),
    trackstar_tags: given(input.trackstar_tags, []),
    additional_fields: input.additional_fields ?? {},
    trackstar_created_date: input.trackstar_created_date ?? now,
    trackstar_updated_date: input.trackstar_updated_date ?? now
  }
}

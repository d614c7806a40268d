// Stock arithmetic: a variant's total from its warehouses, a parent's sums from its variants, what an adjustment leaves.
import type { CartProduct } from '../../schemas/product.js'
import type { AdjustmentType } from '../../schemas/integrations.js'

export const sumValues = (levels: Record<string, number>): number => Object.values(levels).reduce((a, b) => a + b, 0)

export const isParent = (product: { id: string, parent_product_id: string }): boolean => product.parent_product_id === product.id

/** The stock an adjustment of `type` by `quantity` leaves from `before` (negative when it would go below zero). */
export const stockAfter = (type: AdjustmentType, before: number, quantity: number): number =>
  type === 'increase' ? before + quantity : type === 'decrease' ? before - quantity : quantity

/** Moves a parent's sums by one variant's change in one warehouse; equal to recomputeParent over all its variants. */
export function addToParent (parent: CartProduct, warehouseId: string, delta: number): void {
  parent.inventory_by_warehouse_id[warehouseId] = (parent.inventory_by_warehouse_id[warehouseId] ?? 0) + delta
  parent.inventory = Number(parent.inventory) + delta
}

/** Sets a variant's `inventory` from its warehouses; a parent's from its variants (when it has any). */
export function recomputeParent (parent: CartProduct, variants: CartProduct[]): void {
  if (variants.length === 0) {
    parent.inventory = sumValues(parent.inventory_by_warehouse_id)
    return
  }
  const levels: Record<string, number> = {}
  for (const variant of variants) {
    for (const [warehouse, quantity] of Object.entries(variant.inventory_by_warehouse_id)) levels[warehouse] = (levels[warehouse] ?? 0) + quantity
  }
  parent.inventory_by_warehouse_id = levels
  parent.inventory = sumValues(levels)
}

export function recomputeVariant (variant: CartProduct): void {
  variant.inventory = sumValues(variant.inventory_by_warehouse_id)
}

/** Sets every product's computed stock: variants from their warehouses, parents from their variants. */
export function recomputeSums (products: readonly CartProduct[]): void {
  const variantsByParent = new Map<string, CartProduct[]>()
  for (const product of products) {
    if (isParent(product)) continue
    recomputeVariant(product)
    const list = variantsByParent.get(product.parent_product_id) ?? []
    list.push(product)
    variantsByParent.set(product.parent_product_id, list)
  }
  for (const product of products) if (isParent(product)) recomputeParent(product, variantsByParent.get(product.id) ?? [])
}

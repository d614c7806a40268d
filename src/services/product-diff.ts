// previous_attributes of a cart-product.updated event: the old values of what changed, nested keys joined with dots.
import { isDeepStrictEqual } from 'node:util'
import type { CartProduct } from '../schemas/product.js'

// Objects whose keys are reported one by one ("inventory_by_warehouse_id.wh_east"), as Trackstar documents for nested changes.
const NESTED = new Set(['inventory_by_warehouse_id', 'measurements', 'additional_fields'])

/** The old value of every field of `before` that differs in `after`; a warehouse absent before held 0. */
export function previousAttributes (before: CartProduct, after: CartProduct): Record<string, unknown> {
  const previous: Record<string, unknown> = {}
  const old = before as unknown as Record<string, unknown>
  const now = after as unknown as Record<string, unknown>
  for (const key of Object.keys(now)) {
    if (isDeepStrictEqual(old[key], now[key])) continue
    // Every product carries all its fields, so `old[key]` exists.
    if (!NESTED.has(key)) {
      previous[key] = old[key]
      continue
    }
    const oldObject = old[key] as Record<string, unknown>
    const newObject = now[key] as Record<string, unknown>
    const absent = key === 'inventory_by_warehouse_id' ? 0 : null
    for (const inner of new Set([...Object.keys(oldObject), ...Object.keys(newObject)])) {
      if (!isDeepStrictEqual(oldObject[inner], newObject[inner])) previous[`${key}.${inner}`] = oldObject[inner] ?? absent
    }
  }
  return previous
}

/** A deep copy taken before a change, to diff against afterwards. */
export const copyOf = (product: CartProduct): CartProduct => structuredClone(product)

// PUT /cart/products/batch-adjust-inventory: every line checked as the single adjustment is, then all applied in order, or none.
import type { Connection, TenantRepository } from '../../db/repositories/tenants.js'
import type { ProductRepository } from '../../db/repositories/products.js'
import type { NewLedgerEntry } from '../../db/repositories/adjustments.js'
import type { IntegrationRow, Presence } from '../../schemas/integrations.js'
import type { CartProduct } from '../../schemas/product.js'
import { toTrackstarDate } from '../clock.js'
import { validationFailed, type Detail } from '../errors.js'
import { addMessage } from '../validation.js'
import { isParent } from './stock.js'
import { PARENT_ERROR, type AdjustBody, type AppliedChange, type StockWrites } from './types.js'
import { unusedFields } from './used-keys.js'
import { copyOf, previousAttributes } from '../catalogue/product-diff.js'

export const MAX_LINE_ITEMS = 100
const MAX_PRODUCT_ID = 500

interface Line { index: number, productId: string, body: AdjustBody }

export interface BatchContext {
  connection: Connection
  integration: IntegrationRow
  requestId: string
  nowMs: number
  /** The connection's variant validator (src/domain/validation.ts, createAdjustValidator). */
  validate: (body: unknown) => Detail | null
  products: ProductRepository
  tenants: TenantRepository
  /** Build the cart-product.updated events (someone listens). */
  eventsWanted: boolean
}

/** A body key the connection's variant declares, else null (on a Base Schema connection such keys are extra ones). */
function declared (presence: Presence, value: string | undefined): string | null {
  if (presence === 'absent') return null
  /* c8 ignore next -- no integration of the catalogue has an optional reason or shop_id */
  return value ?? null
}

const lineField = (index: number, field: string): string => `line_items.${index}${field === '_schema' ? '' : `.${field}`}`

/** Checks the body's shape and each line against the connection's variant; every failing line lands in `detail`. */
function readLines (body: unknown, context: BatchContext, detail: Detail): Line[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    addMessage(detail, 'json', '_schema', 'Invalid input type: expected a JSON object.')
    return []
  }
  for (const key of Object.keys(body)) if (key !== 'line_items') addMessage(detail, 'json', key, 'Unknown field.')
  const items = (body as { line_items?: unknown }).line_items
  if (items === undefined) addMessage(detail, 'json', 'line_items', 'Missing data for required field.')
  else if (!Array.isArray(items)) addMessage(detail, 'json', 'line_items', 'Not a valid list.')
  else if (items.length < 1 || items.length > MAX_LINE_ITEMS) addMessage(detail, 'json', 'line_items', `Must contain 1 to ${MAX_LINE_ITEMS} line items.`)
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_LINE_ITEMS) return []

  const lines: Line[] = []
  items.forEach((item: unknown, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      addMessage(detail, 'json', lineField(index, '_schema'), 'Invalid input type: expected a JSON object.')
      return
    }
    const { product_id: productId, ...rest } = item as Record<string, unknown>
    let ok = true
    const fail = (field: string, message: string): void => {
      addMessage(detail, 'json', lineField(index, field), message)
      ok = false
    }
    if (productId === undefined) fail('product_id', 'Missing data for required field.')
    else if (typeof productId !== 'string') fail('product_id', 'Not a valid string.')
    else if (productId.trim() === '' || ['none', 'null'].includes(productId.trim().toLowerCase())) fail('product_id', 'Field may not be null or empty.')
    else if (productId.length > MAX_PRODUCT_ID) fail('product_id', `Longer than maximum length ${MAX_PRODUCT_ID}.`)
    const lineDetail = context.validate(rest)
    for (const [field, messages] of Object.entries(lineDetail?.json ?? {})) for (const message of messages) fail(field, message)
    if (ok) lines.push({ index, productId: productId as string, body: rest as unknown as AdjustBody })
  })
  return lines
}

/**
 * The batch, inside the adjustments' group commit: everything is checked before the first write, so a refusal
 * (one 422 listing every failing line) leaves the store and the ledger as they were.
 */
export function adjustBatch (body: unknown, context: BatchContext, writes: StockWrites): { value: string, changes: AppliedChange[] } {
  const { connection, integration, products } = context
  const detail: Detail = {}
  const lines = readLines(body, context, detail)
  const { ids: warehouseIds, defaultId } = context.tenants.warehouseIds(connection.id)
  const shops = integration.shopId === 'absent' ? [] : context.tenants.listShops(connection.id).map((s) => s.id)
  // Stock as the lines before each one leave it, per product and warehouse, for the below-zero rule.
  const running = new Map<string, number>()
  // The 422 is the integration's (as the single adjust's below-zero) only when stock is all that failed.
  let stockOnly = Object.keys(detail).length === 0
  const plan: Array<{ line: Line, product: CartProduct, warehouseId: string, after: number | null, appliesMs: number }> = []

  for (const line of lines) {
    const fail = (field: string, message: string, stock = false): void => {
      addMessage(detail, 'json', lineField(line.index, field), message)
      if (!stock) stockOnly = false
    }
    const product = products.get(connection.id, line.productId)
    if (!product) { fail('product_id', `Unknown product ${line.productId} for this connection.`); continue }
    if (isParent(product)) { fail('product_id', PARENT_ERROR); continue }
    const warehouseId = line.body.warehouse_id ?? defaultId
    if (!warehouseIds.includes(warehouseId)) { fail('warehouse_id', `Unknown warehouse ${warehouseId} for this connection. Must be one of: ${warehouseIds.join(', ')}.`); continue }
    const shopId = integration.shopId === 'absent' ? undefined : line.body.shop_id
    if (shopId !== undefined && !shops.includes(shopId)) { fail('shop_id', `Unknown shop ${shopId} for this connection. Must be one of: ${shops.join(', ')}.`); continue }
    const futureDate = integration.futureDate === 'absent' ? undefined : line.body.future_date
    const appliesMs = futureDate === undefined ? context.nowMs : Date.parse(futureDate)
    if (appliesMs > context.nowMs) { plan.push({ line, product, warehouseId, after: null, appliesMs }); continue }
    const key = `${line.productId}\u0000${warehouseId}`
    const before = running.get(key) ?? product.inventory_by_warehouse_id[warehouseId] ?? 0
    const { adjustment_type: type, quantity } = line.body
    const after = type === 'increase' ? before + quantity : type === 'decrease' ? before - quantity : quantity
    if (after < 0 && !connection.allowNegativeInventory) {
      fail('quantity', `Insufficient inventory: product ${line.productId} would have ${before} in warehouse ${warehouseId} after the earlier lines; decreasing by ${quantity} would leave ${after}.`, true)
      continue
    }
    running.set(key, after)
    plan.push({ line, product, warehouseId, after, appliesMs })
  }
  if (Object.keys(detail).length > 0) {
    throw validationFailed(detail, 'The batch was not applied: every failing line item is listed in detail.', stockOnly ? 'integration' : 'trackstar')
  }

  // The first-seen copies (variants, then their parents) give each event its values from before the batch.
  const seen = new Map<string, CartProduct>()
  const snapshot = (product: CartProduct | undefined): void => {
    if (product && context.eventsWanted && !seen.has(product.id)) seen.set(product.id, copyOf(product))
  }
  for (const { product } of plan) {
    snapshot(product)
    snapshot(products.get(connection.id, product.parent_product_id))
  }

  const now = toTrackstarDate(context.nowMs)
  const changed = new Set<string>()
  for (const { line, product, warehouseId, after, appliesMs } of plan) {
    const applied = after !== null
    const before = applied ? writes.setStock(connection.id, product, warehouseId, after, now) : null
    if (applied) changed.add(product.id).add(product.parent_product_id)
    const row: NewLedgerEntry = {
      request_id: context.requestId,
      connection_id: connection.id,
      product_id: line.productId,
      warehouse_id: warehouseId,
      shop_id: declared(integration.shopId, line.body.shop_id),
      adjustment_type: line.body.adjustment_type,
      quantity: line.body.quantity,
      reason: declared(integration.reason, line.body.reason),
      before,
      after,
      status: applied ? 'applied' : 'pending',
      created_at: now,
      applies_at: toTrackstarDate(appliesMs),
      applied_at: applied ? now : null
    }
    writes.record(row)
  }

  const changes: AppliedChange[] = []
  for (const [id, before] of seen) {
    if (!changed.has(id)) continue
    const product = products.get(connection.id, id) as CartProduct
    changes.push({ connection, requestId: context.requestId, productJson: JSON.stringify(product), previous: previousAttributes(before, product) })
  }
  // Each distinct product once, in first-appearance order, as the whole batch left it; serialized now, before any later write.
  const distinct = [...new Map(plan.map(({ product }) => [product.id, product])).values()]
  const unused = [...new Set(plan.flatMap(({ line }) => unusedFields(integration, line.body)))]
  return { value: `{"data":[${distinct.map((p) => JSON.stringify(p)).join(',')}],"unused_fields":${JSON.stringify(unused)}}`, changes }
}

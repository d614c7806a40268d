// The inventory's shapes: an adjust body, what an adjustment answers and changes, and the writes other edits make.
import type { Connection } from '../../db/repositories/tenants.js'
import { PRODUCT_CACHE_SIZE } from '../../db/repositories/products.js'
import type { LedgerEntry, NewLedgerEntry } from '../../db/repositories/adjustments.js'
import type { CartProduct } from '../../schemas/product.js'
import type { AdjustmentType } from '../../schemas/integrations.js'

/** A body that passed its integration's validation. */
export interface AdjustBody {
  quantity: number
  adjustment_type: AdjustmentType
  warehouse_id?: string
  reason?: string
  shop_id?: string
  future_date?: string
  [extra: string]: unknown
}

export interface AdjustResult {
  /** The product as this adjustment left it, serialized at once: a later adjustment of the same turn changes the cached object. */
  productJson: string
  unusedFields: string[]
  entry: LedgerEntry
  /** Settles once the adjustment is committed (group commit): answer only after it. */
  durable: Promise<void>
}

/** What an applied adjustment changed, for webhooks: the product now (serialized when applied) and the old values of what moved. */
export interface AppliedChange {
  connection: Connection
  requestId: string
  productJson: string
  previous: Record<string, unknown>
  /** Default `cart-product.updated`. */
  event?: 'cart-product.created' | 'cart-product.updated'
}

/** The writes a batch adjustment or a merchant edit makes, after checking every rule itself (nothing here refuses). */
export interface StockWrites {
  /** Sets one warehouse's stock of a variant to `after` and moves its parent's sums; returns the stock before. */
  setStock: (connectionId: string, product: CartProduct, warehouseId: string, after: number, now: string) => number
  /** Appends a ledger row; a pending one is scheduled. */
  record: (row: NewLedgerEntry) => void
}

export type AppliedListener = (change: AppliedChange) => void

/**
 * When a group commit also writes the changed products (a checkpoint), besides every request that is not an
 * adjustment, a reset, a restore, a due scheduled adjustment and the close: after this many ledger rows (what a
 * restart after a crash re-applies at most), or this many changed products waiting (what they hold in memory).
 * And once no adjustment has come for `idleMs`, so that the file itself catches up when the load stops (for
 * whoever reads it with other tools while the sandbox runs).
 */
export const CHECKPOINT_LIMITS = { rows: 50_000, products: PRODUCT_CACHE_SIZE, idleMs: 1000 }

export const PARENT_ERROR = 'Inventory can only be adjusted on variant products, not parent products'

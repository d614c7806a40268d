// How stock reaches the database: the adjustments' group commit, the checkpoints that write changed products, and
// the catch-up from the ledger after a crash or a rollback.
import type { Db } from '../../db/database.js'
import type { ProductRepository } from '../../db/repositories/products.js'
import type { AdjustmentRepository, NewLedgerEntry } from '../../db/repositories/adjustments.js'
import { GroupCommit } from './group-commit.js'
import type { CartProduct } from '../../schemas/product.js'
import { ApiError } from '../errors.js'
import { addToParent, recomputeVariant } from './stock.js'
import { CHECKPOINT_LIMITS } from './types.js'

export class StockStorage {
  readonly #db: Db
  readonly #products: ProductRepository
  readonly #ledger: AdjustmentRepository
  readonly #batch: GroupCommit
  readonly #onRollback: () => void
  readonly #limits: typeof CHECKPOINT_LIMITS
  /** Ledger rows written since the products table last caught up. */
  #sinceCheckpoint = 0
  #idleTimer: NodeJS.Timeout | null = null

  /**
   * `onRollback` drops what the repositories cached: after a rollback their copies may hold undone changes.
   * Adjustments a crash left unwritten to the products table are re-applied here, from the ledger.
   */
  constructor (deps: { db: Db, products: ProductRepository, ledger: AdjustmentRepository, onRollback: () => void, checkpointLimits?: typeof CHECKPOINT_LIMITS | undefined }) {
    this.#onRollback = deps.onRollback
    this.#limits = deps.checkpointLimits ?? CHECKPOINT_LIMITS
    this.#db = deps.db
    this.#products = deps.products
    this.#ledger = deps.ledger
    this.#batch = new GroupCommit(deps.db, {
      onRollback: () => this.#undone(),
      // 4xx answers are thrown before the first write (the checks come first), so they undo nothing cached.
      isRefusal: (err) => err instanceof ApiError,
      beforeCommit: (nested) => {
        if (nested || this.#sinceCheckpoint >= this.#limits.rows || this.#products.stagedCount >= this.#limits.products) this.#checkpoint()
      }
    })
    this.#catchUp()
  }

  /** Runs `fn` in the adjustments' group commit; `durable` settles once it is committed. */
  inBatch<T> (fn: () => T): { value: T, durable: Promise<void> } {
    return this.#batch.run(fn)
  }

  /** Appends a ledger row; returns its seq. */
  record (row: NewLedgerEntry): number {
    const seq = this.#ledger.insert(row)
    this.#sinceCheckpoint++
    this.#armIdleCheckpoint()
    return seq
  }

  /**
   * Commits adjustments still waiting for their group commit: enough before a read through the product repository's
   * `get` and `getJson`, which answer from the changed products kept in memory until the next checkpoint.
   */
  commitPending (): void {
    this.#batch.flush()
  }

  /**
   * Commits adjustments still waiting for their group commit, then writes the products they changed (before any
   * other request reads the database, a reset, a restore or the close).
   */
  flushWrites (): void {
    this.commitPending()
    if (this.#sinceCheckpoint > 0 || this.#products.stagedCount > 0) this.atomically(() => undefined)
  }

  /** Stops the idle checkpoint's timer (before the database closes). */
  stop (): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer)
    this.#idleTimer = null
  }

  /** One transaction of its own that ends with a checkpoint; a rollback also drops what it cached or staged. */
  atomically<T> (fn: () => T): T {
    try {
      return this.#db.transaction(() => {
        const value = fn()
        this.#checkpoint()
        return value
      })()
    } catch (err) {
      this.#undone()
      throw err
    }
  }

  /** The one way stock changes, live and when re-applied from the ledger, so both leave the very same products. */
  setStock (connectionId: string, product: CartProduct, warehouseId: string, before: number, after: number, now: string): void {
    product.inventory_by_warehouse_id[warehouseId] = after
    recomputeVariant(product)
    product.updated_date = now
    product.trackstar_updated_date = now
    this.#products.stage(connectionId, product)

    const parent = this.#products.get(connectionId, product.parent_product_id)
    if (parent) {
      // The parent holds the sum over its variants, so only this warehouse's change moves it: no variant is re-read.
      addToParent(parent, warehouseId, after - before)
      parent.updated_date = now
      parent.trackstar_updated_date = now
      this.#products.stage(connectionId, parent)
    }
  }

  // One timer, pushed back by every adjustment (refresh() restarts it without a new timer): under load it never
  // fires, and once the load stops it checkpoints after `idleMs`.
  #armIdleCheckpoint (): void {
    if (this.#idleTimer === null) this.#idleTimer = setTimeout(() => this.#onIdle(), this.#limits.idleMs).unref()
    else this.#idleTimer.refresh()
  }

  #onIdle (): void {
    this.#idleTimer = null
    try {
      this.flushWrites()
      // The WAL pages those writes appended are copied into the file now too, while nothing waits: left to SQLite's
      // automatic checkpoint, a large copy would land in the first commit of the next load.
      this.#db.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // Nothing is lost: the ledger holds every committed adjustment, the rollback re-applied them in memory, and
      // the next checkpoint (any other request, the close) tries again; a timer must not crash the server.
    }
  }

  /**
   * A commit makes an adjustment durable by its ledger row, which holds the stock it left (`after`); the products it
   * changed are written in bulk here, inside a transaction, and the ledger's watermark says up to where, so a group
   * commit does not rewrite a page per changed product.
   */
  #checkpoint (): void {
    this.#products.writeStaged()
    this.#ledger.markCaughtUp()
    this.#sinceCheckpoint = 0
  }

  /** Re-applies, in memory, the applied adjustments the products table does not hold yet, in their order. */
  #catchUp (): void {
    const rows = this.#ledger.appliedAfterWatermark()
    for (const row of rows) {
      // Ledger rows cascade with their connection and products are never deleted alone, so the product exists.
      const product = this.#products.get(row.connection_id, row.product_id) as CartProduct
      this.setStock(row.connection_id, product, row.warehouse_id, row.before, row.after, row.applied_at as string)
    }
    this.#sinceCheckpoint = rows.length
  }

  /** After a rollback: the staged products and every cached copy may hold what was undone; the ledger has the rest. */
  #undone (): void {
    this.#products.discardStaged()
    this.#onRollback()
    this.#catchUp()
  }
}

// The adjust semantics: which warehouse, what the stock becomes, the parent's sum, the ledger row, scheduled NuOrder adjustments.
import type { Db } from '../db/database.js'
import type { Connection, TenantRepository } from '../db/repositories/tenants.js'
import { PRODUCT_CACHE_SIZE, type ProductRepository } from '../db/repositories/products.js'
import type { AdjustmentRepository, LedgerEntry, NewLedgerEntry } from '../db/repositories/adjustments.js'
import type { SandboxClock } from '../clock.js'
import { toTrackstarDate } from '../clock.js'
import type { CartProduct } from '../schemas/product.js'
import type { TObject } from '@sinclair/typebox'
import { ADJUST_SCHEMAS, type AdjustmentType, type IntegrationRow } from '../integrations/catalog.js'
import { ApiError, fieldError, notFound } from '../errors.js'
import { addToParent, isParent, recomputeVariant } from './stores.js'
import { GroupCommit } from '../db/group-commit.js'

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

export class InventoryService {
  readonly #db: Db
  readonly #tenants: TenantRepository
  readonly #products: ProductRepository
  readonly #ledger: AdjustmentRepository
  readonly #clock: SandboxClock
  readonly #listeners: AppliedListener[] = []
  readonly #batch: GroupCommit
  readonly #onRollback: () => void
  readonly #limits: typeof CHECKPOINT_LIMITS
  // The earliest pending adjustment, cached so each request checks a number, not the database.
  #nextDueMs: number | null = null
  /** Ledger rows written since the products table last caught up. */
  #sinceCheckpoint = 0
  #idleTimer: NodeJS.Timeout | null = null
  /** Whether anyone listens for the events beyond the adjusted product's own (a parent's): off, they cost nothing. */
  #eventsWanted = false

  /**
   * `onRollback` drops what the repositories cached: after a rollback their copies may hold undone changes.
   * Adjustments a crash left unwritten to the products table are re-applied here, from the ledger.
   */
  constructor (deps: { db: Db, tenants: TenantRepository, products: ProductRepository, ledger: AdjustmentRepository, clock: SandboxClock, onRollback: () => void, checkpointLimits?: typeof CHECKPOINT_LIMITS | undefined }) {
    this.#onRollback = deps.onRollback
    this.#limits = deps.checkpointLimits ?? CHECKPOINT_LIMITS
    this.#db = deps.db
    this.#tenants = deps.tenants
    this.#products = deps.products
    this.#ledger = deps.ledger
    this.#clock = deps.clock
    this.#batch = new GroupCommit(deps.db, {
      onRollback: () => this.#undone(),
      // 4xx answers are thrown before the first write (the checks come first), so they undo nothing cached.
      isRefusal: (err) => err instanceof ApiError,
      beforeCommit: (nested) => {
        if (nested || this.#sinceCheckpoint >= this.#limits.rows || this.#products.stagedCount >= this.#limits.products) this.#checkpoint()
      }
    })
    this.refreshSchedule()
    this.#catchUp()
    this.flushWrites()
  }

  onApplied (listener: AppliedListener): void {
    this.#listeners.push(listener)
  }

  /** Turns on the events a listener needs beyond the adjusted product's own (the parent's); the webhooks do while endpoints exist. */
  set eventsWanted (wanted: boolean) {
    this.#eventsWanted = wanted
  }

  get eventsWanted (): boolean {
    return this.#eventsWanted
  }

  /**
   * Runs `fn` in the adjustments' group commit: `fn` checks everything first (a thrown ApiError must come before its
   * first write), then writes through `writes`. Listeners hear of `changes` once they are committed.
   */
  writeInBatch<T> (fn: (writes: StockWrites) => { value: T, changes: AppliedChange[] }): { value: T, durable: Promise<void> } {
    const { value: result, durable } = this.#batch.run(() => fn(this.#writes))
    void durable.then(() => this.#emit(result.changes), () => {})
    return { value: result.value, durable }
  }

  /** Runs `fn` in a transaction of its own that also writes the products table (a merchant edit); then tells listeners. */
  writeNow<T> (fn: (writes: StockWrites) => { value: T, changes: AppliedChange[] }): T {
    this.flushWrites()
    const result = this.#atomically(() => fn(this.#writes))
    this.#emit(result.changes)
    return result.value
  }

  readonly #writes: StockWrites = {
    setStock: (connectionId, product, warehouseId, after, now) => {
      const before = product.inventory_by_warehouse_id[warehouseId] ?? 0
      this.#setStock(connectionId, product, warehouseId, before, after, now)
      return before
    },
    record: (row) => {
      this.#ledger.insert(row)
      this.#sinceCheckpoint++
      this.#armIdleCheckpoint()
      if (row.status !== 'pending') return
      const appliesMs = Date.parse(row.applies_at)
      if (this.#nextDueMs === null || appliesMs < this.#nextDueMs) this.#nextDueMs = appliesMs
    }
  }

  /** Re-reads the earliest pending time (after a reset, restore or start). */
  refreshSchedule (): void {
    const next = this.#ledger.nextDueAt()
    this.#nextDueMs = next === null ? null : Date.parse(next)
  }

  /** When the earliest pending adjustment is due (sandbox ms), or null; the scheduler arms its timer on it. */
  get nextDueMs (): number | null {
    return this.#nextDueMs
  }

  /** Checks the request against the connection's store and applies it (or schedules it) in one transaction. */
  adjust (connection: Connection, integration: IntegrationRow, productId: string, given: AdjustBody, requestId: string): AdjustResult {
    const body = usedKeys(integration, given)
    const changes: AppliedChange[] = []
    const { value: result, durable } = this.#batch.run((): Omit<AdjustResult, 'durable'> => {
      const product = this.#products.get(connection.id, productId)
      if (!product) throw notFound(`Cart product ${productId} not found.`, productId)
      if (isParent(product)) throw fieldError('path', 'product_id', PARENT_ERROR, 'trackstar', PARENT_ERROR)

      const { ids: warehouseIds, defaultId } = this.#tenants.warehouseIds(connection.id)
      const warehouseId = body.warehouse_id ?? defaultId
      if (!warehouseIds.includes(warehouseId)) {
        throw fieldError('json', 'warehouse_id', `Unknown warehouse ${warehouseId} for this connection. Must be one of: ${warehouseIds.join(', ')}.`)
      }
      if (body.shop_id !== undefined) {
        const shops = this.#tenants.listShops(connection.id)
        if (!shops.some((s) => s.id === body.shop_id)) {
          throw fieldError('json', 'shop_id', `Unknown shop ${body.shop_id} for this connection. Must be one of: ${shops.map((s) => s.id).join(', ')}.`)
        }
      }

      const nowMs = this.#clock.nowMs()
      const now = toTrackstarDate(nowMs)
      const appliesMs = body.future_date === undefined ? nowMs : Date.parse(body.future_date)
      const pending = appliesMs > nowMs
      // An immediate adjustment is applied first and its ledger row written once, already settled; a failed
      // apply throws and the transaction leaves nothing behind either way.
      const applied = pending ? null : this.#apply(connection, product, warehouseId, body.adjustment_type, body.quantity, now)
      const row: NewLedgerEntry = {
        request_id: requestId,
        connection_id: connection.id,
        product_id: productId,
        warehouse_id: warehouseId,
        shop_id: body.shop_id ?? null,
        adjustment_type: body.adjustment_type,
        quantity: body.quantity,
        reason: body.reason ?? null,
        before: applied?.before ?? null,
        after: applied?.after ?? null,
        status: applied ? 'applied' : 'pending',
        created_at: now,
        applies_at: toTrackstarDate(appliesMs),
        applied_at: applied ? now : null
      }
      const seq = this.#ledger.insert(row)
      this.#sinceCheckpoint++
      this.#armIdleCheckpoint()
      if (applied) {
        changes.push({ connection, requestId, productJson: applied.productJson, previous: applied.previous })
        if (applied.parent) changes.push({ connection, requestId, ...applied.parent })
      } else if (this.#nextDueMs === null || appliesMs < this.#nextDueMs) {
        this.#nextDueMs = appliesMs
      }
      // The row as SELECT * returns it, built from what was just written instead of read back.
      const entry: LedgerEntry = { seq, ...row, error: null, source: 'api' }
      return { productJson: applied?.productJson ?? JSON.stringify(product), unusedFields: unusedFields(integration, given), entry }
    })
    // Listeners (webhooks) hear of an adjustment once it is committed, never of one that could still be lost.
    void durable.then(() => this.#emit(changes), () => {})
    return { ...result, durable }
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
    if (this.#sinceCheckpoint > 0 || this.#products.stagedCount > 0) this.#atomically(() => undefined)
  }

  /** Stops the idle checkpoint's timer (before the database closes). */
  stop (): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer)
    this.#idleTimer = null
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
      // automatic checkpoint, the copy of a large checkpoint (10,000 products at the 100,000-product scale) landed
      // in the first commit of the next load.
      this.#db.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // Nothing is lost: the ledger holds every committed adjustment, the rollback re-applied them in memory, and
      // the next checkpoint (any other request, the close) tries again; a timer must not crash the server.
    }
  }

  /** Applies every pending adjustment whose time has come on the sandbox clock; each exactly once. */
  applyDue (): number {
    if (this.#nextDueMs === null || this.#nextDueMs > this.#clock.nowMs()) return 0
    // Its own transaction, never a savepoint inside an open batch: a failure here must not undo that batch's writes.
    this.#batch.flush()
    const changes: AppliedChange[] = []
    const count = this.#atomically((): number => {
      const now = this.#clock.isoNow()
      const due = this.#ledger.due(now)
      for (const entry of due) {
        // Ledger rows cascade with their connection, and products are never deleted alone, so both exist.
        const connection = this.#tenants.findConnection(entry.connection_id) as Connection
        const product = this.#products.get(connection.id, entry.product_id) as CartProduct
        try {
          const applied = this.#apply(connection, product, entry.warehouse_id, entry.adjustment_type as AdjustmentType, entry.quantity, now)
          this.#ledger.settle(entry.seq, { status: 'applied', before: applied.before, after: applied.after, applied_at: now, error: null })
          changes.push({ connection, requestId: entry.request_id, productJson: applied.productJson, previous: applied.previous })
          if (applied.parent) changes.push({ connection, requestId: entry.request_id, ...applied.parent })
        } catch (err) {
          // A due adjustment that would break a rule is recorded as rejected, never half-applied.
          this.#ledger.settle(entry.seq, { status: 'rejected', before: null, after: null, applied_at: null, error: (err as Error).message })
        }
      }
      return due.length
    })
    this.refreshSchedule()
    this.#emit(changes)
    return count
  }

  /** One transaction of its own that ends with a checkpoint; a rollback also drops what it cached or staged. */
  #atomically<T> (fn: () => T): T {
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
      this.#setStock(row.connection_id, product, row.warehouse_id, row.before, row.after, row.applied_at as string)
    }
    this.#sinceCheckpoint = rows.length
  }

  /** After a rollback: the staged products and every cached copy may hold what was undone; the ledger has the rest. */
  #undone (): void {
    this.#products.discardStaged()
    this.#onRollback()
    this.#catchUp()
  }

  #apply (connection: Connection, product: CartProduct, warehouseId: string, type: AdjustmentType, quantity: number, now: string) {
    const before = product.inventory_by_warehouse_id[warehouseId] ?? 0
    const after = type === 'increase' ? before + quantity : type === 'decrease' ? before - quantity : quantity
    if (after < 0 && !connection.allowNegativeInventory) {
      throw new ApiError(422, {
        error: `Insufficient inventory: product ${product.id} has ${before} in warehouse ${warehouseId}; decreasing by ${quantity} would leave ${after}.`,
        origin: 'integration',
        detail: { json: { quantity: [`Must be at most ${before} for a decrease in warehouse ${warehouseId}.`] } }
      })
    }
    const previous: Record<string, unknown> = {
      inventory: product.inventory,
      [`inventory_by_warehouse_id.${warehouseId}`]: before,
      updated_date: product.updated_date,
      trackstar_updated_date: product.trackstar_updated_date
    }
    // The parent's event is built only when someone listens for it (see eventsWanted).
    const parentBefore = this.#eventsWanted ? this.#parentBefore(connection.id, product, warehouseId) : null
    this.#setStock(connection.id, product, warehouseId, before, after, now)
    const parent = parentBefore && { productJson: JSON.stringify(parentBefore.parent), previous: parentBefore.previous }
    return { productJson: JSON.stringify(product), before, after, previous, parent }
  }

  /** A variant's parent and the values of it that a change of `warehouseId` moves, before the change. */
  #parentBefore (connectionId: string, variant: CartProduct, warehouseId: string): { parent: CartProduct, previous: Record<string, unknown> } {
    // Products are never deleted alone, so a variant's parent exists.
    const parent = this.#products.get(connectionId, variant.parent_product_id) as CartProduct
    const previous = {
      inventory: parent.inventory,
      // A warehouse the parent has no key for yet held nothing.
      [`inventory_by_warehouse_id.${warehouseId}`]: parent.inventory_by_warehouse_id[warehouseId] ?? 0,
      updated_date: parent.updated_date,
      trackstar_updated_date: parent.trackstar_updated_date
    }
    return { parent, previous }
  }

  /** The one way stock changes, live and when re-applied from the ledger, so both leave the very same products. */
  #setStock (connectionId: string, product: CartProduct, warehouseId: string, before: number, after: number, now: string): void {
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

  #emit (changes: AppliedChange[]): void {
    for (const change of changes) for (const listener of this.#listeners) listener(change)
  }
}

/** The body keys the integration's own variant declares: any other key is an extra with no effect. */
const declaredBySlug = new Map<string, Set<string>>()
const declaredKeys = (integration: IntegrationRow): Set<string> => {
  let keys = declaredBySlug.get(integration.slug)
  if (keys === undefined) declaredBySlug.set(integration.slug, keys = new Set(Object.keys((ADJUST_SCHEMAS.get(integration.slug) as TObject).properties)))
  return keys
}

/** The body with only declared keys: only the Base Schema admits others, and they change nothing. */
function usedKeys (integration: IntegrationRow, body: AdjustBody): AdjustBody {
  if (!integration.additionalProperties) return body
  const declared = declaredKeys(integration)
  return Object.fromEntries(Object.entries(body).filter(([key]) => declared.has(key))) as unknown as AdjustBody
}

/** Body keys the integration accepted but does not use: only the Base Schema admits any. */
export function unusedFields (integration: IntegrationRow, body: AdjustBody): string[] {
  if (!integration.additionalProperties) return []
  const declared = declaredKeys(integration)
  return Object.keys(body).filter((key) => !declared.has(key))
}

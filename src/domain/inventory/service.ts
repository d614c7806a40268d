// The adjust semantics: which warehouse, what the stock becomes, the parent's sum, the ledger row, scheduled NuOrder adjustments.
import type { Db } from '../../db/database.js'
import type { Connection, TenantRepository } from '../../db/repositories/tenants.js'
import type { ProductRepository } from '../../db/repositories/products.js'
import type { AdjustmentRepository, LedgerEntry, NewLedgerEntry } from '../../db/repositories/adjustments.js'
import type { SandboxClock } from '../clock.js'
import { toTrackstarDate } from '../clock.js'
import type { CartProduct } from '../../schemas/product.js'
import type { AdjustmentType, IntegrationRow } from '../../schemas/integrations.js'
import { ApiError, fieldError, notFound } from '../errors.js'
import { isParent, stockAfter } from './stock.js'
import { StockStorage } from './storage.js'
import { unusedFields, usedKeys } from './used-keys.js'
import { PARENT_ERROR, type AdjustBody, type AdjustResult, type AppliedChange, type AppliedListener, type CHECKPOINT_LIMITS, type StockWrites } from './types.js'

export class InventoryService {
  readonly #tenants: TenantRepository
  readonly #products: ProductRepository
  readonly #ledger: AdjustmentRepository
  readonly #clock: SandboxClock
  readonly #listeners: AppliedListener[] = []
  readonly #storage: StockStorage
  // The earliest pending adjustment, cached so each request checks a number, not the database.
  #nextDueMs: number | null = null
  /** Whether anyone listens for the events beyond the adjusted product's own (a parent's): off, they cost nothing. */
  #eventsWanted = false

  /** `onRollback` drops what the repositories cached: after a rollback their copies may hold undone changes. */
  constructor (deps: { db: Db, tenants: TenantRepository, products: ProductRepository, ledger: AdjustmentRepository, clock: SandboxClock, onRollback: () => void, checkpointLimits?: typeof CHECKPOINT_LIMITS | undefined }) {
    this.#tenants = deps.tenants
    this.#products = deps.products
    this.#ledger = deps.ledger
    this.#clock = deps.clock
    this.#storage = new StockStorage(deps)
    this.refreshSchedule()
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
    const { value: result, durable } = this.#storage.inBatch(() => fn(this.#writes))
    void durable.then(() => this.#emit(result.changes), () => {})
    return { value: result.value, durable }
  }

  /** Runs `fn` in a transaction of its own that also writes the products table (a merchant edit); then tells listeners. */
  writeNow<T> (fn: (writes: StockWrites) => { value: T, changes: AppliedChange[] }): T {
    this.flushWrites()
    const result = this.#storage.atomically(() => fn(this.#writes))
    this.#emit(result.changes)
    return result.value
  }

  readonly #writes: StockWrites = {
    setStock: (connectionId, product, warehouseId, after, now) => {
      const before = product.inventory_by_warehouse_id[warehouseId] ?? 0
      this.#storage.setStock(connectionId, product, warehouseId, before, after, now)
      return before
    },
    record: (row) => {
      this.#storage.record(row)
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
    const { value: result, durable } = this.#storage.inBatch((): Omit<AdjustResult, 'durable'> => {
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
      const seq = this.#storage.record(row)
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

  /** Commits adjustments still waiting for their group commit (before a read from the repository's in-memory copies). */
  commitPending (): void {
    this.#storage.commitPending()
  }

  /** Commits what waits for the group commit, then writes the products it changed (before any other read of the database). */
  flushWrites (): void {
    this.#storage.flushWrites()
  }

  /** Stops the idle checkpoint's timer (before the database closes). */
  stop (): void {
    this.#storage.stop()
  }

  /** Applies every pending adjustment whose time has come on the sandbox clock; each exactly once. */
  applyDue (): number {
    if (this.#nextDueMs === null || this.#nextDueMs > this.#clock.nowMs()) return 0
    // Its own transaction, never a savepoint inside an open batch: a failure here must not undo that batch's writes.
    this.#storage.commitPending()
    const changes: AppliedChange[] = []
    const count = this.#storage.atomically((): number => {
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

  #apply (connection: Connection, product: CartProduct, warehouseId: string, type: AdjustmentType, quantity: number, now: string) {
    const before = product.inventory_by_warehouse_id[warehouseId] ?? 0
    const after = stockAfter(type, before, quantity)
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
    this.#storage.setStock(connection.id, product, warehouseId, before, after, now)
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

  #emit (changes: AppliedChange[]): void {
    for (const change of changes) for (const listener of this.#listeners) listener(change)
  }
}

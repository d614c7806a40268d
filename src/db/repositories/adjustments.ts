// The adjustment ledger: one row per accepted adjustment, what it changed, and whether it is applied yet.
import type { Db } from '../database.js'
import type { AdjustmentStatus, LedgerEntry, LedgerSource } from '../../schemas/control.js'

export type { AdjustmentStatus, LedgerEntry, LedgerSource }

/** A row to append; `source` defaults to `api` (the column's default, so the adjust path binds one value fewer). */
export type NewLedgerEntry = Omit<LedgerEntry, 'seq' | 'error' | 'applied_at' | 'source'> & { applied_at: string | null, source?: LedgerSource }

/** What re-applying an applied adjustment needs (see InventoryService's checkpoint). */
export type AppliedRow = Pick<LedgerEntry, 'connection_id' | 'product_id' | 'warehouse_id' | 'applied_at'> & { before: number, after: number }

export interface LedgerFilter {
  connectionId?: string
  productId?: string
  warehouseId?: string
  status?: AdjustmentStatus
  requestId?: string
  limit: number
}

export class AdjustmentRepository {
  readonly #db: Db
  readonly #insert
  readonly #insertFromCart
  readonly #due
  readonly #nextDue
  readonly #settle
  readonly #get
  readonly #watermark
  readonly #setWatermark
  readonly #appliedAfterWatermark

  constructor (db: Db) {
    this.#db = db
    this.#insert = db.prepare(`INSERT INTO adjustments
      (request_id, connection_id, product_id, warehouse_id, shop_id, adjustment_type, quantity, reason, before, after, status, created_at, applies_at, applied_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.#insertFromCart = db.prepare(`INSERT INTO adjustments
      (request_id, connection_id, product_id, warehouse_id, shop_id, adjustment_type, quantity, reason, before, after, status, created_at, applies_at, applied_at, source)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'cart')`)
    this.#due = db.prepare<[string], LedgerEntry>("SELECT * FROM adjustments WHERE status = 'pending' AND applies_at <= ? ORDER BY applies_at, seq")
    this.#nextDue = db.prepare<[], { applies_at: string | null }>("SELECT min(applies_at) AS applies_at FROM adjustments WHERE status = 'pending'")
    this.#get = db.prepare<[number], LedgerEntry>('SELECT * FROM adjustments WHERE seq = ?')
    this.#settle = db.prepare('UPDATE adjustments SET status = @status, before = @before, after = @after, applied_at = @applied_at, error = @error WHERE seq = @seq')
    this.#watermark = db.prepare<[], { seq: number }>('SELECT seq FROM ledger_watermark')
    this.#setWatermark = db.prepare("UPDATE ledger_watermark SET seq = coalesce((SELECT max(seq) FROM adjustments), 0)")
    this.#appliedAfterWatermark = db.prepare<[], AppliedRow>(`SELECT connection_id, product_id, warehouse_id, before, after, applied_at FROM adjustments
      WHERE seq > (SELECT seq FROM ledger_watermark) AND status = 'applied' ORDER BY seq`)
  }

  /** Records that the products table now holds every adjustment in the ledger (inside the transaction that wrote them). */
  markCaughtUp (): void {
    this.#setWatermark.run()
  }

  /** The ledger's last seq whose effect the products table holds (tests and diagnostics). */
  watermark (): number {
    return (this.#watermark.get() as { seq: number }).seq
  }

  /** Applied adjustments the products table does not hold yet, in the order they were applied. */
  appliedAfterWatermark (): AppliedRow[] {
    return this.#appliedAfterWatermark.all()
  }

  insert (entry: NewLedgerEntry): number {
    const statement = entry.source === 'cart' ? this.#insertFromCart : this.#insert
    // Positional parameters: binding by name costs a property lookup per column on every adjustment.
    return Number(statement.run(entry.request_id, entry.connection_id, entry.product_id, entry.warehouse_id, entry.shop_id, entry.adjustment_type,
      entry.quantity, entry.reason, entry.before, entry.after, entry.status, entry.created_at, entry.applies_at, entry.applied_at).lastInsertRowid)
  }

  get (seq: number): LedgerEntry | undefined {
    return this.#get.get(seq)
  }

  /** Pending rows whose time has come, oldest first. */
  due (nowIso: string): LedgerEntry[] {
    return this.#due.all(nowIso)
  }

  nextDueAt (): string | null {
    return this.#nextDue.get()?.applies_at ?? null
  }

  settle (seq: number, outcome: { status: AdjustmentStatus, before: number | null, after: number | null, applied_at: string | null, error: string | null }): void {
    this.#settle.run({ seq, ...outcome })
  }

  /** The newest ledger seq, 0 when the ledger is empty. */
  maxSeq (): number {
    return (this.#db.prepare<[], { seq: number }>('SELECT coalesce(max(seq), 0) AS seq FROM adjustments').get() as { seq: number }).seq
  }

  /** Up to `limit` rows after `afterSeq`, newest first. */
  newestAfter (afterSeq: number, limit: number): LedgerEntry[] {
    return this.#db.prepare<[number, number], LedgerEntry>('SELECT * FROM adjustments WHERE seq > ? ORDER BY seq DESC LIMIT ?').all(afterSeq, limit)
  }

  /** Newest first; every filter is a bound parameter. */
  list (filter: LedgerFilter): { data: LedgerEntry[], total: number } {
    const clauses: string[] = []
    const params: Record<string, string | number> = {}
    const add = (column: string, name: string, value: string | undefined): void => {
      if (value === undefined) return
      clauses.push(`${column} = @${name}`)
      params[name] = value
    }
    add('connection_id', 'connectionId', filter.connectionId)
    add('product_id', 'productId', filter.productId)
    add('warehouse_id', 'warehouseId', filter.warehouseId)
    add('status', 'status', filter.status)
    add('request_id', 'requestId', filter.requestId)
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : ''
    const data = this.#db.prepare<Record<string, string | number>, LedgerEntry>(`SELECT * FROM adjustments ${where} ORDER BY seq DESC LIMIT @limit`).all({ ...params, limit: filter.limit })
    const total = (this.#db.prepare<Record<string, string | number>, { n: number }>(`SELECT count(*) AS n FROM adjustments ${where}`).get(params) as { n: number }).n
    return { data, total }
  }
}

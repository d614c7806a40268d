// Cart products of one connection: the API shape stored as JSON, keyed and ordered for reads and the adjust path.
import type { Db } from '../database.js'
import type { CartProduct } from '../../schemas/product.js'

export interface ProductPage { bodies: string[], total: number, nextPosition: number | null }

/**
 * How many parsed products stay in memory: a test suite's working set and a large catalogue's hot part, bounded so
 * a whole 100,000-product store is not.
 */
export const PRODUCT_CACHE_SIZE = 20_000

// The NUL byte cannot occur in an id that came through a URL or a validated body, so keys never collide.
const cacheKey = (connectionId: string, id: string): string => `${connectionId}\u0000${id}`

/**
 * Parsing a stored product costs more than finding it, and the adjust path reads a variant and its parent on every
 * request: recently used products are kept parsed, in least-recently-used order. `get` hands out the cached object,
 * which callers change only to `stage` it; changes made in SQL (reset, restore, a deleted connection) and rollbacks
 * must call `clearCache`.
 *
 * Changes are staged, not written at once: the adjust path's ledger row is what its commit makes durable, and the
 * changed products are written together, each once in its latest state, by `writeStaged` at the inventory's next
 * checkpoint (src/domain/inventory/storage.ts). Until then `get` and `getJson` answer from the staged copies.
 */
export class ProductRepository {
  readonly #cache = new Map<string, CartProduct>()
  /**
   * Changed products not written yet. Only the objects: their JSON is made when they are written. Keeping each
   * answer's JSON until then kept it alive past the young generation whenever the product was not adjusted again
   * soon (at 100,000 products, most of them), and those strings were a visible share of the full GCs.
   */
  readonly #staged = new Map<string, { connectionId: string, product: CartProduct }>()
  readonly #cacheSize: number
  readonly #get
  readonly #insert
  readonly #update
  readonly #page
  readonly #count
  readonly #db: Db
  readonly #lastPosition

  constructor (db: Db, cacheSize = PRODUCT_CACHE_SIZE) {
    this.#db = db
    this.#cacheSize = cacheSize
    // Dates compared as instants in filtered lists (src/domain/list-query.ts): stored dates may carry offsets.
    db.function('iso_ms', { deterministic: true }, (value: unknown) => {
      const ms = typeof value === 'string' ? Date.parse(value) : NaN
      return Number.isNaN(ms) ? null : ms
    })
    this.#lastPosition = db.prepare<[string], { n: number | null }>('SELECT max(position) AS n FROM products WHERE connection_id = ?')
    this.#get = db.prepare<[string, string], { body: string }>('SELECT body FROM products WHERE connection_id = ? AND id = ?')
    this.#insert = db.prepare('INSERT INTO products (connection_id, id, position, parent_product_id, body) VALUES (?, ?, ?, ?, ?)')
    this.#update = db.prepare('UPDATE products SET body = ? WHERE connection_id = ? AND id = ?')
    this.#page = db.prepare<[string, number, number], { body: string, position: number }>(
      'SELECT body, position FROM products WHERE connection_id = ? AND position > ? ORDER BY position LIMIT ?')
    this.#count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM products WHERE connection_id = ?')
  }

  get (connectionId: string, id: string): CartProduct | undefined {
    const key = cacheKey(connectionId, id)
    const cached = this.#cache.get(key)
    if (cached !== undefined) {
      // Re-inserted to mark it most recently used (a Map iterates in insertion order).
      this.#cache.delete(key)
      this.#cache.set(key, cached)
      return cached
    }
    // Staged but since pushed out of the cache: the staged object is newer than the row.
    const staged = this.#staged.get(key)
    if (staged !== undefined) return staged.product
    const body = this.#get.get(connectionId, id)?.body
    if (body === undefined) return undefined
    const product = JSON.parse(body) as CartProduct
    this.#remember(key, product)
    return product
  }

  /** Forgets the parsed copies (staged products stay: they are newer than their rows). */
  clearCache (): void {
    this.#cache.clear()
  }

  /** Keeps `product` (the object `get` handed out, changed) as the current copy, to be written by `writeStaged`. */
  stage (connectionId: string, product: CartProduct): void {
    const key = cacheKey(connectionId, product.id)
    this.#remember(key, product)
    this.#staged.set(key, { connectionId, product })
  }

  /** How many changed products wait for `writeStaged`. */
  get stagedCount (): number {
    return this.#staged.size
  }

  /** Writes every staged product once, in its latest state; call it inside a transaction. */
  writeStaged (): void {
    for (const { connectionId, product } of this.#staged.values()) this.#update.run(JSON.stringify(product), connectionId, product.id)
    this.#staged.clear()
  }

  /** Drops every staged change (after a rollback; the cache must be cleared too: it holds the same objects). */
  discardStaged (): void {
    this.#staged.clear()
  }

  #remember (key: string, product: CartProduct): void {
    this.#cache.set(key, product)
    if (this.#cache.size > this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string)
  }

  /** The stored text, already the product's API shape (it was validated when written): for answers that send it as is. */
  getJson (connectionId: string, id: string): string | undefined {
    const staged = this.#staged.get(cacheKey(connectionId, id))
    if (staged !== undefined) return JSON.stringify(staged.product)
    return this.#get.get(connectionId, id)?.body
  }

  insert (connectionId: string, position: number, product: CartProduct): void {
    this.#insert.run(connectionId, product.id, position, product.parent_product_id, JSON.stringify(product))
    // Not cached on insert: stores are built inside transactions that may still roll back.
    this.#cache.delete(cacheKey(connectionId, product.id))
  }

  /** One page in catalogue order after `afterPosition`, each product as its stored JSON text. */
  pageJson (connectionId: string, afterPosition: number, limit: number): ProductPage {
    // One extra row tells whether another page exists without a second query.
    const rows = this.#page.all(connectionId, afterPosition, limit + 1)
    const more = rows.length > limit
    const kept = more ? rows.slice(0, limit) : rows
    return {
      bodies: kept.map((row) => row.body),
      total: this.count(connectionId),
      nextPosition: more ? (kept.at(-1) as { position: number }).position : null
    }
  }

  /**
   * One page of the products matching `where` (an SQL condition on `body`, see filtersToSql), in creation order,
   * with how many match in all.
   */
  pageJsonWhere (connectionId: string, afterPosition: number, limit: number, where: { sql: string, params: number[] }): ProductPage {
    const rows = this.#db.prepare<unknown[], { body: string, position: number }>(
      `SELECT body, position FROM products WHERE connection_id = ? AND position > ? AND (${where.sql}) ORDER BY position, id LIMIT ?`)
      .all(connectionId, afterPosition, ...where.params, limit + 1)
    const total = (this.#db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM products WHERE connection_id = ? AND (${where.sql})`)
      .get(connectionId, ...where.params) as { n: number }).n
    const more = rows.length > limit
    const kept = more ? rows.slice(0, limit) : rows
    return { bodies: kept.map((row) => row.body), total, nextPosition: more ? (kept.at(-1) as { position: number }).position : null }
  }

  /** The position a product added to the connection now takes (after every existing one). */
  nextPosition (connectionId: string): number {
    return (this.#lastPosition.get(connectionId)?.n ?? 0) + 1
  }

  count (connectionId: string): number {
    return (this.#count.get(connectionId) as { n: number }).n
  }

  /** How many variants `parentId` has in the stored rows. */
  countVariants (connectionId: string, parentId: string): number {
    return (this.#db.prepare<[string, string, string], { n: number }>('SELECT count(*) AS n FROM products WHERE connection_id = ? AND parent_product_id = ? AND id != ?')
      .get(connectionId, parentId, parentId) as { n: number }).n
  }
}

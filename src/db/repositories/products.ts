// Cart products of one connection: the API shape stored as JSON, keyed and ordered for reads and the adjust path.
import type { Db } from '../database.js'
import type { CartProduct } from '../../schemas/product.js'

export interface ProductPage { bodies: string[], total: number, nextPosition: number | null }

/** How many parsed products stay in memory: the working set of a test suite, bounded so a 100,000-product store is not. */
export const PRODUCT_CACHE_SIZE = 2000

/**
 * Parsing a stored product costs more than finding it, and the adjust path reads a variant and its parent on every
 * request: recently used products are kept parsed, in least-recently-used order. `get` hands out the cached object,
 * which callers change only to `update` it. Writes here keep the cache in step; a rolled-back write or a bulk
 * change made in SQL (reset, restore, a deleted connection) must call `clearCache`.
 */
export class ProductRepository {
  readonly #cache = new Map<string, CartProduct>()
  readonly #cacheSize: number
  readonly #get
  readonly #insert
  readonly #update
  readonly #page
  readonly #count

  constructor (db: Db, cacheSize = PRODUCT_CACHE_SIZE) {
    this.#cacheSize = cacheSize
    this.#get = db.prepare<[string, string], { body: string }>('SELECT body FROM products WHERE connection_id = ? AND id = ?')
    this.#insert = db.prepare('INSERT INTO products (connection_id, id, position, parent_product_id, body) VALUES (?, ?, ?, ?, ?)')
    this.#update = db.prepare('UPDATE products SET body = ? WHERE connection_id = ? AND id = ?')
    this.#page = db.prepare<[string, number, number], { body: string, position: number }>(
      'SELECT body, position FROM products WHERE connection_id = ? AND position > ? ORDER BY position LIMIT ?')
    this.#count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM products WHERE connection_id = ?')
  }

  get (connectionId: string, id: string): CartProduct | undefined {
    // The NUL byte cannot occur in an id that came through a URL or a validated body, so keys never collide.
    const key = `${connectionId}\u0000${id}`
    const cached = this.#cache.get(key)
    if (cached !== undefined) {
      // Re-inserted to mark it most recently used (a Map iterates in insertion order).
      this.#cache.delete(key)
      this.#cache.set(key, cached)
      return cached
    }
    const body = this.getJson(connectionId, id)
    if (body === undefined) return undefined
    const product = JSON.parse(body) as CartProduct
    this.#remember(key, product)
    return product
  }

  clearCache (): void {
    this.#cache.clear()
  }

  #remember (key: string, product: CartProduct): void {
    this.#cache.set(key, product)
    if (this.#cache.size > this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string)
  }

  /** The stored text, already the product's API shape (it was validated when written): for answers that send it as is. */
  getJson (connectionId: string, id: string): string | undefined {
    return this.#get.get(connectionId, id)?.body
  }

  insert (connectionId: string, position: number, product: CartProduct): void {
    this.#insert.run(connectionId, product.id, position, product.parent_product_id, JSON.stringify(product))
    // Not cached on insert: stores are built inside transactions that may still roll back.
    this.#cache.delete(`${connectionId}\u0000${product.id}`)
  }

  /** Writes `product` (usually the object `get` handed out, changed), keeps it as the cached copy, and returns the JSON written. */
  update (connectionId: string, product: CartProduct): string {
    const json = JSON.stringify(product)
    this.#update.run(json, connectionId, product.id)
    this.#remember(`${connectionId}\u0000${product.id}`, product)
    return json
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

  count (connectionId: string): number {
    return (this.#count.get(connectionId) as { n: number }).n
  }
}

// Cart products of one connection: the API shape stored as JSON, keyed and ordered for reads and the adjust path.
import type { Db } from '../database.js'
import type { CartProduct } from '../../schemas/product.js'

export interface ProductPage { bodies: string[], total: number, nextPosition: number | null }

export class ProductRepository {
  readonly #get
  readonly #insert
  readonly #update
  readonly #page
  readonly #count

  constructor (db: Db) {
    this.#get = db.prepare<[string, string], { body: string }>('SELECT body FROM products WHERE connection_id = ? AND id = ?')
    this.#insert = db.prepare('INSERT INTO products (connection_id, id, position, parent_product_id, body) VALUES (?, ?, ?, ?, ?)')
    this.#update = db.prepare('UPDATE products SET body = ? WHERE connection_id = ? AND id = ?')
    this.#page = db.prepare<[string, number, number], { body: string, position: number }>(
      'SELECT body, position FROM products WHERE connection_id = ? AND position > ? ORDER BY position LIMIT ?')
    this.#count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM products WHERE connection_id = ?')
  }

  get (connectionId: string, id: string): CartProduct | undefined {
    const body = this.getJson(connectionId, id)
    return body === undefined ? undefined : JSON.parse(body) as CartProduct
  }

  /** The stored text, already the product's API shape (it was validated when written): for answers that send it as is. */
  getJson (connectionId: string, id: string): string | undefined {
    return this.#get.get(connectionId, id)?.body
  }

  insert (connectionId: string, position: number, product: CartProduct): void {
    this.#insert.run(connectionId, product.id, position, product.parent_product_id, JSON.stringify(product))
  }

  update (connectionId: string, product: CartProduct): void {
    this.#update.run(JSON.stringify(product), connectionId, product.id)
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

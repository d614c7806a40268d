// Registered webhook endpoints: the user's setup, kept across restarts, resets and restores until deleted.
import type { Db } from '../database.js'

export interface WebhookEndpoint<Event extends string = string> { id: string, url: string, events: Event[], secret: string, created_at: string }
interface EndpointRow { id: string, url: string, events: string, secret: string, created_at: string }

export class WebhookEndpointRepository {
  readonly #db: Db
  readonly #insert
  readonly #delete

  constructor (db: Db) {
    this.#db = db
    this.#insert = db.prepare('INSERT INTO webhook_endpoints (id, url, events, secret, created_at) VALUES (@id, @url, @events, @secret, @created_at)')
    this.#delete = db.prepare('DELETE FROM webhook_endpoints WHERE id = ?')
  }

  /** Every endpoint, oldest first. */
  list<Event extends string> (): Array<WebhookEndpoint<Event>> {
    return this.#db.prepare<[], EndpointRow>('SELECT * FROM webhook_endpoints ORDER BY rowid').all()
      .map((row) => ({ ...row, events: JSON.parse(row.events) as Event[] }))
  }

  insert (endpoint: WebhookEndpoint): void {
    this.#insert.run({ ...endpoint, events: JSON.stringify(endpoint.events) })
  }

  delete (id: string): void {
    this.#delete.run(id)
  }
}

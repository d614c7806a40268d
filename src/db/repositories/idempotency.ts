// Stored first answers of Idempotency-Key requests, bounded in number and expiring by the sandbox clock.
import type { Db } from '../database.js'

/** How long a key is remembered, in sandbox time, and how many keys are kept at most. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
export const IDEMPOTENCY_CAPACITY = 10_000

export interface StoredAnswer {
  fingerprint: string
  request_id: string
  status: number
  body: string
  created_ms: number
}

export class IdempotencyRepository {
  readonly #find
  readonly #insert
  readonly #expire
  readonly #trim

  /** `capacity` keys at most (the oldest go first); each lives `ttlMs` of sandbox time. */
  constructor (db: Db, readonly capacity: number, readonly ttlMs: number) {
    this.#find = db.prepare<[string, string, number], StoredAnswer>(
      'SELECT fingerprint, request_id, status, body, created_ms FROM idempotency_keys WHERE connection_id = ? AND key = ? AND created_ms > ?')
    // REPLACE (delete + insert) gives a re-used expired key a new seq, so it is the newest again.
    this.#insert = db.prepare(`INSERT OR REPLACE INTO idempotency_keys (connection_id, key, fingerprint, request_id, status, body, created_ms)
      VALUES (@connection_id, @key, @fingerprint, @request_id, @status, @body, @created_ms)`)
    this.#expire = db.prepare<[number]>('DELETE FROM idempotency_keys WHERE created_ms <= ?')
    this.#trim = db.prepare<[number]>('DELETE FROM idempotency_keys WHERE seq <= (SELECT seq FROM idempotency_keys ORDER BY seq DESC LIMIT 1 OFFSET ?)')
  }

  /** The live answer stored for this key on this connection, if any. */
  find (connectionId: string, key: string, nowMs: number): StoredAnswer | undefined {
    return this.#find.get(connectionId, key, nowMs - this.ttlMs)
  }

  /** Stores a first answer (replacing an expired one), then drops expired keys and the oldest beyond capacity. */
  save (connectionId: string, key: string, answer: StoredAnswer): void {
    this.#insert.run({ connection_id: connectionId, key, ...answer })
    this.#expire.run(answer.created_ms - this.ttlMs)
    this.#trim.run(this.capacity)
  }
}

// Group commit: adjustments arriving in the same event-loop turn share one SQLite commit; none is answered before it.
import type { Db } from './database.js'

/**
 * A file commit (the WAL append) costs more than the whole read-modify-write of an adjustment. Requests whose
 * bodies arrive in the same turn of the event loop each run in their own savepoint (atomic, applied in arrival
 * order) inside one transaction, committed on setImmediate, before any of them is answered.
 */
export class GroupCommit {
  readonly #db: Db
  // One transaction function made once: db.transaction() builds a new wrapper on every call, a visible cost per request.
  readonly #atomic: (fn: () => unknown) => unknown
  #waiters: Array<{ resolve: () => void, reject: (err: unknown) => void }> | null = null
  readonly #onRollback: () => void
  readonly #isRefusal: (err: unknown) => boolean

  /**
   * `onRollback` runs whenever writes are undone (a request's savepoint, a failed commit), so in-memory copies of
   * rows can be dropped; `isRefusal` names errors thrown before any write (a 4xx), which undo nothing.
   */
  constructor (db: Db, onRollback: () => void = () => {}, isRefusal: (err: unknown) => boolean = () => false) {
    this.#db = db
    this.#atomic = db.transaction((fn: () => unknown) => fn())
    this.#onRollback = onRollback
    this.#isRefusal = isRefusal
  }

  #undoable<T> (fn: () => T): T {
    try {
      return this.#atomic(fn) as T
    } catch (err) {
      if (!this.#isRefusal(err)) this.#onRollback()
      throw err
    }
  }

  /** Runs `fn` atomically; `durable` settles when what it wrote is committed (at once if it runs in a caller's transaction). */
  run<T> (fn: () => T): { value: T, durable: Promise<void> } {
    if (this.#waiters === null && this.#db.inTransaction) return { value: this.#undoable(fn), durable: Promise.resolve() }
    if (this.#waiters === null) {
      this.#db.exec('BEGIN IMMEDIATE')
      this.#waiters = []
      setImmediate(() => this.flush())
    }
    // Inside the open transaction better-sqlite3 makes this a savepoint: a throw undoes this request only.
    const value = this.#undoable(fn)
    const durable = new Promise<void>((resolve, reject) => this.#waiters?.push({ resolve, reject }))
    // A caller that never awaits it must not crash the process with an unhandled rejection.
    durable.catch(() => {})
    return { value, durable }
  }

  /** Commits the open batch now, if any (before a reset, a close, or anything that must not run inside it). */
  flush (): void {
    const waiters = this.#waiters
    if (waiters === null) return
    this.#waiters = null
    try {
      if (this.#db.open && this.#db.inTransaction) this.#db.exec('COMMIT')
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
      this.#onRollback()
      for (const waiter of waiters) waiter.reject(err)
      return
    }
    for (const waiter of waiters) waiter.resolve()
  }
}

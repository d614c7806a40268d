// Group commit, the write path's unit of work: adjustments arriving in the same event-loop turn share one SQLite commit; none is answered before it.
import type { Db } from '../../db/database.js'

interface Waiter { resolve: () => void, reject: (err: unknown) => void }

export interface GroupCommitHooks {
  /** Runs whenever writes are undone, so in-memory copies of rows can be dropped. */
  onRollback?: () => void
  /** Names the errors thrown before any write (a 4xx), which leave the batch as it was. */
  isRefusal?: (err: unknown) => boolean
  /**
   * Runs inside the transaction just before it commits, to write what was kept in memory; `nested` when the
   * transaction is a caller's own, which expects everything written when it returns.
   */
  beforeCommit?: (nested: boolean) => void
}

/**
 * A file commit (the WAL append) costs more than the whole read-modify-write of an adjustment. Requests whose
 * bodies arrive in the same turn of the event loop run, in arrival order, inside one transaction committed on
 * setImmediate, before any of them is answered.
 *
 * No savepoint per request (two more statements each): a request refused with a client error must throw before
 * its first write (`isRefusal` recognises those throws), and any other throw is a defect that undoes the whole batch.
 */
export class GroupCommit {
  readonly #db: Db
  // One transaction function made once: db.transaction() builds a new wrapper on every call, a visible cost per request.
  readonly #atomic: (fn: () => unknown) => unknown
  readonly #hooks: GroupCommitHooks
  #waiters: Waiter[] | null = null

  constructor (db: Db, hooks: GroupCommitHooks = {}) {
    this.#db = db
    this.#atomic = db.transaction((fn: () => unknown) => fn())
    this.#hooks = hooks
  }

  #isRefusal (err: unknown): boolean {
    return this.#hooks.isRefusal?.(err) === true
  }

  /** Runs `fn` atomically; `durable` settles when what it wrote is committed (at once if it runs in a caller's transaction). */
  run<T> (fn: () => T): { value: T, durable: Promise<void> } {
    if (this.#waiters === null && this.#db.inTransaction) return { value: this.#nested(fn), durable: Promise.resolve() }
    if (this.#waiters === null) {
      this.#db.exec('BEGIN IMMEDIATE')
      this.#waiters = []
      setImmediate(() => this.flush())
    }
    let value: T
    try {
      value = fn()
    } catch (err) {
      if (!this.#isRefusal(err)) this.#abort(err)
      throw err
    }
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
      if (this.#db.open && this.#db.inTransaction) {
        this.#hooks.beforeCommit?.(false)
        this.#db.exec('COMMIT')
      }
    } catch (err) {
      this.#rollback(waiters, err)
      return
    }
    for (const waiter of waiters) waiter.resolve()
  }

  // In a caller's own transaction: a savepoint, so a throw undoes this call only; staged writes land in it at once.
  #nested<T> (fn: () => T): T {
    try {
      return this.#atomic(() => {
        const value = fn()
        this.#hooks.beforeCommit?.(true)
        return value
      }) as T
    } catch (err) {
      if (!this.#isRefusal(err)) this.#hooks.onRollback?.()
      throw err
    }
  }

  #abort (err: unknown): void {
    const waiters = this.#waiters as Waiter[]
    this.#waiters = null
    this.#rollback(waiters, err)
  }

  #rollback (waiters: Waiter[], err: unknown): void {
    if (this.#db.inTransaction) this.#db.exec('ROLLBACK')
    this.#hooks.onRollback?.()
    for (const waiter of waiters) waiter.reject(err)
  }
}

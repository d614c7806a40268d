// Named snapshots of the whole database: SQLite serializes the image, and restore swaps every table's rows in one transaction.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '../db/database.js'
import type { SandboxClock } from './clock.js'

export const MAX_SNAPSHOTS = 100

export interface SnapshotInfo { name: string, created_at: string, bytes: number }

interface Snapshot extends SnapshotInfo {
  file: string
  /** The sandbox clock when it was taken: frozen at this instant, or null for real time. */
  frozenAtMs: number | null
}

/**
 * Why not restore with the backup API: better-sqlite3 exposes `serialize()` and opening a new connection from an image,
 * but neither the backup API into an existing connection nor `sqlite3_deserialize` on one, and every repository holds
 * prepared statements on the live connection. So a snapshot is SQLite's own serialized image written to a temporary
 * file; restore ATTACHes that file and, in one transaction on the live connection, replaces each table's rows with
 * the image's (`DELETE` + `INSERT … SELECT *`, run inside SQLite, for every table the schema lists, so tables added by
 * later migrations are included without code). Statements stay valid and a `:memory:` database works the same.
 */
// The user's setup, not the store's state: webhook endpoints stay as they are when a snapshot is restored.
const KEPT_ON_RESTORE = "'webhook_endpoints'"

export class SnapshotStore {
  readonly #db: Db
  readonly #clock: SandboxClock
  readonly #snapshots = new Map<string, Snapshot>()
  #dir: string | null = null
  #files = 0

  constructor (db: Db, clock: SandboxClock) {
    this.#db = db
    this.#clock = clock
  }

  list (): SnapshotInfo[] {
    return [...this.#snapshots.values()].reverse().map(({ name, created_at: createdAt, bytes }) => ({ name, created_at: createdAt, bytes }))
  }

  has (name: string): boolean {
    return this.#snapshots.has(name)
  }

  get full (): boolean {
    return this.#snapshots.size >= MAX_SNAPSHOTS
  }

  /** Takes (or replaces) the snapshot `name`. */
  create (name: string): SnapshotInfo {
    this.#dir ??= mkdtempSync(join(tmpdir(), 'trackstar-sandbox-snapshots-'))
    const image = this.#db.serialize()
    const file = join(this.#dir, `${++this.#files}.sqlite`)
    writeFileSync(file, image)
    const previous = this.#snapshots.get(name)
    if (previous) this.#discard(previous)
    this.#snapshots.delete(name)
    const snapshot: Snapshot = { name, created_at: this.#clock.isoNow(), bytes: image.length, file, frozenAtMs: this.#clock.frozen ? this.#clock.nowMs() : null }
    this.#snapshots.set(name, snapshot)
    return { name, created_at: snapshot.created_at, bytes: snapshot.bytes }
  }

  /** Puts the database (and the clock setting) back as they were; false when there is no such snapshot. */
  restore (name: string): boolean {
    const snapshot = this.#snapshots.get(name)
    if (!snapshot) return false
    const db = this.#db
    db.prepare('ATTACH DATABASE ? AS snapshot').run(snapshot.file)
    // The image was consistent when taken, so its rows go back with the foreign keys off (no cascades, any order).
    db.pragma('foreign_keys = OFF')
    try {
      const tables = db.prepare<[], { name: string }>(`SELECT name FROM snapshot.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN (${KEPT_ON_RESTORE}) ORDER BY name`).all()
      db.transaction(() => {
        for (const { name: table } of tables) {
          const quoted = `"${table.replace(/"/g, '""')}"`
          db.exec(`DELETE FROM main.${quoted}; INSERT INTO main.${quoted} SELECT * FROM snapshot.${quoted};`)
        }
        // AUTOINCREMENT counters come back too, so ids issued after a restore match a run without it.
        db.exec('DELETE FROM main.sqlite_sequence; INSERT INTO main.sqlite_sequence SELECT * FROM snapshot.sqlite_sequence;')
      })()
    } finally {
      db.pragma('foreign_keys = ON')
      db.exec('DETACH DATABASE snapshot')
    }
    if (snapshot.frozenAtMs === null) this.#clock.unfreeze()
    else this.#clock.freeze(snapshot.frozenAtMs)
    return true
  }

  delete (name: string): boolean {
    const snapshot = this.#snapshots.get(name)
    if (!snapshot) return false
    this.#discard(snapshot)
    return this.#snapshots.delete(name)
  }

  close (): void {
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true })
    this.#dir = null
    this.#snapshots.clear()
  }

  #discard (snapshot: Snapshot): void {
    rmSync(snapshot.file, { force: true })
  }
}

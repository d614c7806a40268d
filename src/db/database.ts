// Opens the SQLite database, sets its pragmas and applies migrations/NNN_name.sql once each, in order.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { PACKAGE_ROOT } from '../package-root.js'

export type Db = Database.Database

export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations')

/** Opens (creating if needed) the database at `path` (`:memory:` allowed) and migrates it. */
export function openDatabase (path: string, migrationsDir = MIGRATIONS_DIR): Db {
  const db = new Database(path)
  // WAL lets reads proceed during a write and makes a commit one sequential append;
  // synchronous=NORMAL in WAL never corrupts, and an acknowledged commit survives a process crash.
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // A 1 MB page cache instead of SQLite's 2 MB: the sandbox's working set is small and the OS caches the file anyway.
  db.pragma('cache_size = -1024')
  // A WAL checkpoint stalls the commit that triggers it and every request waiting on it; at 4,000 pages instead of
  // SQLite's 1,000 these stalls are rare enough not to set the p99.
  db.pragma('wal_autocheckpoint = 4000')
  try {
    migrate(db, migrationsDir)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}

interface Migration { version: number, name: string, sql: string }

export function readMigrations (dir: string): Migration[] {
  return readdirSync(dir)
    .map((file) => /^(\d{3})_([\w-]+)\.sql$/.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ version: Number(match[1]), name: match[2] as string, sql: readFileSync(join(dir, match[0]), 'utf8') }))
    .sort((a, b) => a.version - b.version)
}

/** Applies each migration newer than PRAGMA user_version inside its own transaction. */
export function migrate (db: Db, dir: string): number {
  const current = db.pragma('user_version', { simple: true }) as number
  let applied = 0
  for (const migration of readMigrations(dir)) {
    if (migration.version <= current) continue
    try {
      db.transaction(() => {
        db.exec(migration.sql)
        db.pragma(`user_version = ${migration.version}`)
      })()
    } catch (err) {
      throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`)
    }
    applied++
  }
  return applied
}

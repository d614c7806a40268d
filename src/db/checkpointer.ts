// WAL checkpoints off the request path: a worker thread with its own connection copies the WAL into the database.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Db } from './database.js'

export interface CheckpointerOptions {
  /** How often the worker checkpoints (PASSIVE: never blocks the request thread). */
  intervalMs?: number
  /**
   * The writer's own checkpoint threshold, kept as a safety valve: when the WAL reaches it, the writer checkpoints
   * what the worker has not copied yet (usually nothing), which lets the WAL restart from its beginning.
   */
  writerCheckpointPages?: number
}

export interface Checkpointer { stop: () => Promise<void> }

// Plain CommonJS run with eval, so the same code works from dist/ and under tsx in tests.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
// Never waits for a lock: PASSIVE skips what it cannot copy now, and a stop must not wait behind a busy handler.
db.pragma('busy_timeout = 0')
const timer = setInterval(() => {
  try {
    // PASSIVE never takes the write lock and never invalidates a reader's snapshot: requests never wait for it.
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Busy (the writer's own checkpoint or close was running): the next tick tries again.
  }
}, workerData.intervalMs)
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close() })
`

/**
 * SQLite's automatic checkpoint runs inside the commit of whichever request crosses its threshold (1000 pages),
 * copying and fsyncing on the request path. Here a worker copies the WAL every `intervalMs` instead and the writer's
 * threshold is only a rarely reached safety valve. Durability is unchanged: a commit is durable once in the WAL.
 */
export function startCheckpointer (db: Db, options: CheckpointerOptions = {}): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path: db.name,
      intervalMs: options.intervalMs ?? 250
    }
  })
  worker.unref()
  db.pragma(`wal_autocheckpoint = ${Math.trunc(options.writerCheckpointPages ?? 4096)}`)
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    // Awaited before the writer closes: the writer is then the last connection, so its close checkpoints what is
    // left and removes the WAL (a worker still holding its connection open once kept the WAL, and the exit, waiting).
    stop: async () => {
      worker.ref()
      worker.postMessage('stop')
      await exited
    }
  }
}

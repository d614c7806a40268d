// The library: startSandbox() runs an isolated sandbox in-process for a test suite and drives its control plane.
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { DEFAULT_CONFIG, type SandboxConfig } from './config.js'
import type { ConnectionInput } from './domain/catalogue/store-builder.js'
import type { CartProduct, Warehouse } from './schemas/product.js'
import type { ErrorBody } from './domain/errors.js'
import type { JournalEntry } from './domain/journal/journal.js'
import type { Fault, FaultInput } from './domain/faults.js'
import type { SnapshotInfo } from './domain/snapshots.js'
import type { LedgerEntry } from './db/repositories/adjustments.js'

export type { SandboxConfig } from './config.js'
export type { ConnectionInput } from './domain/catalogue/store-builder.js'
export type { CartProduct, Warehouse } from './schemas/product.js'
export type { ErrorBody } from './domain/errors.js'
export type { JournalEntry } from './domain/journal/journal.js'
export type { Fault, FaultInput } from './domain/faults.js'
export type { SnapshotInfo } from './domain/snapshots.js'
export { buildApp } from './app.js'

export interface SandboxOptions {
  /** Default 0: any free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** SQLite file or `:memory:` (the default). */
  db?: string
  /** Fixtures JSON file or directory; default the bundled ones. */
  fixtures?: string
  /** When set, the control plane needs `authorization: Bearer <adminToken>`; the helpers below send it. */
  adminToken?: string
  /** Trackstar's per-token rate limits; default on, as in production. */
  rateLimit?: boolean
  /** Requests kept in the journal; default 1000. */
  journalSize?: number
  /** CORS for browser apps: '*' or a list of origins; default off. */
  corsOrigins?: string | string[]
  /** A pino level; default: no logging at all. */
  logLevel?: string
}

export interface CreatedConnection {
  api_key: string
  access_token: string
  connection_id: string
  organisation_id: string
  integration_name: string
  warehouses: Warehouse[]
  products: CartProduct[]
}

/** A ledger row as `GET /_sandbox/adjustments` answers it. */
export type LedgerRow = Omit<LedgerEntry, 'seq'>

export type Query = Record<string, string | number | undefined>

export interface RunningSandbox {
  /** Base URL, e.g. `http://127.0.0.1:54321`: point your Trackstar client here. */
  url: string
  port: number
  /** The Fastify instance, for `app.inject()` without a socket. */
  app: FastifyInstance
  close (): Promise<void>
  /** Back to the fixtures: stores, ledger, journal, faults, clock. */
  reset (): Promise<void>
  snapshot (name: string): Promise<SnapshotInfo>
  restore (name: string): Promise<void>
  /** A fresh isolated store (POST /_sandbox/connections). */
  createConnection (input: ConnectionInput & { api_key?: string }): Promise<CreatedConnection>
  /** The request journal, newest first (GET /_sandbox/requests). */
  requests (query?: Query): Promise<JournalEntry[]>
  /** The adjustment ledger, newest first (GET /_sandbox/adjustments). */
  adjustments (query?: Query): Promise<LedgerRow[]>
  addFault (fault: FaultInput): Promise<Fault>
  clearFaults (): Promise<void>
  /** Freezes the sandbox clock at `now` and applies what became due. */
  setClock (now: Date | string): Promise<void>
  /** Back to real time. */
  resetClock (): Promise<void>
}

/** A control-plane call that did not succeed; `body` is the sandbox's error body. */
export class SandboxRequestError extends Error {
  readonly statusCode: number
  readonly body: ErrorBody

  constructor (method: string, url: string, statusCode: number, body: ErrorBody) {
    super(`${method} ${url} answered ${statusCode}: ${body.error}`)
    this.name = 'SandboxRequestError'
    this.statusCode = statusCode
    this.body = body
  }
}

const toQueryString = (query: Query = {}): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

/** Starts an isolated sandbox: its own database, clock, journal and faults; as many per process as you like. */
export async function startSandbox (options: SandboxOptions = {}): Promise<RunningSandbox> {
  const config: SandboxConfig = {
    ...DEFAULT_CONFIG,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    dbPath: options.db ?? ':memory:',
    fixtures: options.fixtures ?? '',
    adminToken: options.adminToken ?? '',
    rateLimit: options.rateLimit ?? DEFAULT_CONFIG.rateLimit,
    journalSize: options.journalSize ?? DEFAULT_CONFIG.journalSize,
    corsOrigins: Array.isArray(options.corsOrigins) ? options.corsOrigins.join(',') : options.corsOrigins ?? '',
    logLevel: options.logLevel ?? 'silent'
  }
  const app = await buildApp(config, options.logLevel === undefined ? { logger: false } : {})
  const url = await app.listen({ port: config.port, host: config.host })
  const port = new URL(url).port
  const auth: Record<string, string> = config.adminToken === '' ? {} : { authorization: `Bearer ${config.adminToken}` }

  // The helpers go through the HTTP routes (without a socket), so they validate and answer exactly as curl would see.
  async function call<T> (method: 'GET' | 'POST' | 'DELETE', url: string, body?: object): Promise<T> {
    const res = await app.inject({ method, url, headers: auth, ...(body === undefined ? {} : { payload: body }) })
    if (res.statusCode >= 400) throw new SandboxRequestError(method, url, res.statusCode, res.json<ErrorBody>())
    return (res.statusCode === 204 ? undefined : res.json()) as T
  }

  return {
    url,
    port: Number(port),
    app,
    close: async () => { await app.close() },
    reset: async () => { await call('POST', '/_sandbox/reset') },
    snapshot: async (name) => call<SnapshotInfo>('POST', '/_sandbox/snapshots', { name }),
    restore: async (name) => { await call('POST', `/_sandbox/snapshots/${encodeURIComponent(name)}/restore`) },
    createConnection: async (input) => call<CreatedConnection>('POST', '/_sandbox/connections', input),
    requests: async (query) => (await call<{ data: JournalEntry[] }>('GET', `/_sandbox/requests${toQueryString(query)}`)).data,
    adjustments: async (query) => (await call<{ data: LedgerRow[] }>('GET', `/_sandbox/adjustments${toQueryString(query)}`)).data,
    addFault: async (fault) => call<Fault>('POST', '/_sandbox/faults', fault),
    clearFaults: async () => { await call('DELETE', '/_sandbox/faults') },
    setClock: async (now) => { await call('POST', '/_sandbox/clock', { now: typeof now === 'string' ? now : now.toISOString() }) },
    resetClock: async () => { await call('DELETE', '/_sandbox/clock') }
  }
}

// The library: startSandbox() runs an isolated sandbox in-process for a test suite and drives its control plane.
import type { FastifyInstance } from 'fastify'
import { buildApp as buildFastifyApp } from './app.js'
import { DEFAULT_CONFIG, type SandboxConfig } from './config.js'
import { SandboxClient } from './client/client.js'
import type { SandboxControl } from './client/types.js'

export type { SandboxConfig } from './config.js'
export * from './client/index.js'
export { SandboxClientError as SandboxRequestError, type TrackstarErrorBody as ErrorBody } from './client/errors.js'

/** The sandbox as a Fastify instance that does not listen yet (`app.inject()`, or your own `listen`). */
export const buildApp: (config?: Partial<SandboxConfig>, options?: { logger?: false | Record<string, unknown> }) => Promise<FastifyInstance> =
  async (config, options) => buildFastifyApp(config, options as never)

export interface SandboxOptions {
  /** Default 0: any free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
  /** SQLite file or `:memory:` (the default). */
  db?: string
  /** Fixtures JSON file or directory; default the bundled ones. */
  fixtures?: string
  /** When set, the control plane needs `authorization: Bearer <adminToken>`; the handle sends it. */
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

/** A sandbox running in this process: the whole SandboxClient interface on its URL, plus the app and close(). */
export interface RunningSandbox extends SandboxControl {
  /** Base URL, e.g. `http://127.0.0.1:54321`: point your Trackstar client here. */
  url: string
  port: number
  /** The Fastify instance, for `app.inject()` without a socket. */
  app: FastifyInstance
  /** A SandboxClient on this sandbox (the handle's own methods are the same ones). */
  client: SandboxClient
  close (): Promise<void>
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
  const app = await buildFastifyApp(config, options.logLevel === undefined ? { logger: false } : {})
  const address = await app.listen({ port: config.port, host: config.host })
  const url = address.replace('://[::1]', '://localhost')
  const client = new SandboxClient(url, { adminToken: config.adminToken })
  // The handle is the client itself (same methods, same errors) with the in-process extras; nothing is copied.
  return Object.assign(client, {
    port: Number(new URL(url).port),
    app,
    client,
    close: async () => { await app.close() }
  })
}

// Starts a listening sandbox from a resolved config, with a graceful close on SIGTERM/SIGINT; server.ts and the CLI share it.
import closeWithGrace from 'close-with-grace'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { ConfigError, type SandboxConfig } from './config.js'
import { ApiError } from './errors.js'

type SystemError = Error & { code?: string, path?: string }

const UNKNOWN_HOST = new Set(['EADDRNOTAVAIL', 'ENOTFOUND'])

/** Why a start failed, in one line naming the cause (port in use, fixtures, database), never a stack trace. */
export function describeStartFailure (err: unknown, config?: SandboxConfig): string {
  if (err instanceof ConfigError) return err.message
  const error = err as SystemError
  const code = error.code ?? ''
  let cause = error.message
  if (config !== undefined) {
    const where = `${config.host}:${config.port}`
    if (code === 'EADDRINUSE') cause = `port ${config.port} is already in use (${where}); stop the other process or pass --port / PORT`
    else if (code === 'EACCES' && error.message.startsWith('listen')) cause = `no permission to listen on ${where}`
    else if (UNKNOWN_HOST.has(code)) cause = `cannot listen on ${where}: the host is not an address of this machine`
    else if (code.startsWith('SQLITE_')) cause = `database ${config.dbPath} is not writable (${error.message})`
    else if (config.fixtures !== '' && error.path === config.fixtures) cause = `fixtures ${config.fixtures} cannot be read (${code})`
    else if (err instanceof ApiError) cause = `fixtures are invalid: ${err.body.error} ${JSON.stringify(err.body.detail ?? {})}`
  }
  return `Cannot start trackstar-sandbox: ${cause}`.replace(/\s*\n\s*/g, ' ')
}

export async function startServer (config: SandboxConfig): Promise<FastifyInstance> {
  try {
    // dirname(':memory:') is '.', which exists: one call covers both.
    mkdirSync(dirname(config.dbPath), { recursive: true })
  } catch (err) {
    throw Object.assign(new Error(`cannot create its directory: ${String((err as SystemError).code)}`), { code: 'SQLITE_CANTOPEN' })
  }
  const app = await buildApp(config)
  try {
    const address = await app.listen({ port: config.port, host: config.host })
    // 0.0.0.0 (the Docker image) is where it listens, not an address a browser opens.
    const consoleUrl = `${address.replace('//0.0.0.0', '//localhost')}/_sandbox/ui`
    app.log.info({ console: consoleUrl }, `Console at ${consoleUrl}`)
  } catch (err) {
    await app.close()
    throw err
  }
  // Registered once listening: a failed start exits with its own code, not through the graceful close.
  closeWithGrace({ delay: config.closeGraceDelay }, async ({ signal, err }) => {
    /* c8 ignore next -- only an uncaught exception in the process takes this path */
    if (err) app.log.error({ err }, 'server closing after an error')
    else app.log.info({ signal }, 'server closing')
    await app.close()
  })
  return app
}

/** Runs startServer; a failure prints one line on stderr and exits with status 1. */
export async function startOrExit (config: SandboxConfig): Promise<FastifyInstance> {
  try {
    return await startServer(config)
  } catch (err) {
    console.error(describeStartFailure(err, config))
    process.exit(1)
  }
}

// Starts a listening sandbox from a resolved config, with a graceful close on SIGTERM/SIGINT; server.ts and the CLI share it.
import closeWithGrace from 'close-with-grace'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { SandboxConfig } from './config.js'

export async function startServer (config: SandboxConfig): Promise<FastifyInstance> {
  // dirname(':memory:') is '.', which exists: one call covers both.
  mkdirSync(dirname(config.dbPath), { recursive: true })
  const app = await buildApp(config)
  closeWithGrace({ delay: config.closeGraceDelay }, async ({ signal, err }) => {
    /* c8 ignore next -- only an uncaught exception in the process takes this path */
    if (err) app.log.error({ err }, 'server closing after an error')
    else app.log.info({ signal }, 'server closing')
    await app.close()
  })
  const address = await app.listen({ port: config.port, host: config.host })
  // 0.0.0.0 (the Docker image) is where it listens, not an address a browser opens.
  app.log.info({ console: `${address.replace('//0.0.0.0', '//localhost')}/_sandbox/ui` }, `Console at ${address.replace('//0.0.0.0', '//localhost')}/_sandbox/ui`)
  return app
}

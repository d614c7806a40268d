// The server entrypoint: configuration from the environment, listen, and a graceful close on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, type SandboxConfig } from './config.js'

let config: SandboxConfig
try {
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(err.message)
  process.exit(1)
}
if (config.dbPath !== ':memory:') mkdirSync(dirname(config.dbPath), { recursive: true })

const app = await buildApp(config)
closeWithGrace({ delay: config.closeGraceDelay }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'server closing after an error')
  else app.log.info({ signal }, 'server closing')
  await app.close()
})
await app.listen({ port: config.port, host: config.host })

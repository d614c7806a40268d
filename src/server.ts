// The server entrypoint: configuration from the environment, then the shared start (listen, graceful close).
import { ConfigError, loadConfig, type SandboxConfig } from './config.js'
import { startServer } from './start.js'

let config: SandboxConfig
try {
  config = loadConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(err.message)
  process.exit(1)
}
await startServer(config)

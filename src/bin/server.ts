// The server entrypoint: configuration from the environment, then the shared start (listen, graceful close).
import { loadConfig, type SandboxConfig } from '../config.js'
import { describeStartFailure, startOrExit } from './start.js'

let config: SandboxConfig
try {
  config = loadConfig()
} catch (err) {
  console.error(describeStartFailure(err))
  process.exit(1)
}
await startOrExit(config)

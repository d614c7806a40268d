// The server entrypoint: configuration from the environment, then the shared start (listen, graceful close).
import { applyMemoryFlags, runServer } from './run.js'

applyMemoryFlags()
await runServer()

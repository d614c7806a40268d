// The server entrypoint under tsx (`npm run dev`); the built dist/bin/server.js calls the same runServer from the bundle.
import { runServer } from './run.js'

await runServer()

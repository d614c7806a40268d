#!/usr/bin/env node
// The trackstar-sandbox command: flags (or the same environment variables) to a listening sandbox.
import { applyMemoryFlags, runCli } from './run.js'

applyMemoryFlags()
await runCli(process.argv.slice(2))

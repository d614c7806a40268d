#!/usr/bin/env -S node --max-semi-space-size=1 --heap-growing-percent=10
// The trackstar-sandbox command under tsx; the built dist/bin/cli.js calls the same runCli from the bundle.
import { runCli } from './run.js'

await runCli(process.argv.slice(2))

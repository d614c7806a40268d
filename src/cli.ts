#!/usr/bin/env -S node --semi-space-growth-factor=1 --heap-growing-percent=10
// The trackstar-sandbox command: flags (or the same environment variables) to a listening sandbox.
import { ConfigError } from './config.js'
import { HELP, parseCli } from './cli-args.js'
import { startServer } from './start.js'

try {
  const command = parseCli(process.argv.slice(2))
  if (command.help) console.log(HELP)
  else await startServer(command.config)
} catch (err) {
  // A bad flag, unreadable fixtures or a port in use: one line, not a stack trace.
  console.error(err instanceof ConfigError ? err.message : `Cannot start trackstar-sandbox: ${(err as Error).message}`)
  process.exitCode = 1
}

#!/usr/bin/env -S node --semi-space-growth-factor=1 --heap-growing-percent=10
// The trackstar-sandbox command: flags (or the same environment variables) to a listening sandbox.
import { HELP, parseCli } from './cli-args.js'
import { VERSION } from '../version.js'
import { describeStartFailure, startOrExit } from './start.js'

let command: ReturnType<typeof parseCli> | undefined
try {
  command = parseCli(process.argv.slice(2))
} catch (err) {
  // A bad flag: one line, not a stack trace.
  console.error(describeStartFailure(err))
  process.exit(1)
}
if (command.help) console.log(HELP)
else if (command.version) console.log(VERSION)
else await startOrExit(command.config)

// The server's and the command line's main functions, in the package's runtime bundle beside the library.
import { loadConfig, type SandboxConfig } from '../config.js'
import { HELP, parseCli } from './cli-args.js'
import { VERSION } from '../version.js'
import { describeStartFailure, startOrExit } from './start.js'

/** `npm start`: configuration from the environment, then a listening server; a failure exits 1 with one line. */
export async function runServer (): Promise<void> {
  let config: SandboxConfig
  try {
    config = loadConfig()
  } catch (err) {
    console.error(describeStartFailure(err))
    process.exit(1)
  }
  await startOrExit(config)
}

/** The trackstar-sandbox command: flags (or the same environment variables) to a listening sandbox. */
export async function runCli (argv: string[]): Promise<void> {
  let command: ReturnType<typeof parseCli>
  try {
    command = parseCli(argv)
  } catch (err) {
    // A bad flag: one line, not a stack trace.
    console.error(describeStartFailure(err))
    process.exit(1)
  }
  if (command.help) console.log(HELP)
  else if (command.version) console.log(VERSION)
  else await startOrExit(command.config)
}

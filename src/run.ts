// The server's and the command line's main functions, in the package's runtime bundle beside the library.
import { ConfigError, loadConfig, type SandboxConfig } from './config.js'
import { HELP, parseCli } from './cli-args.js'
import { startServer } from './start.js'

export { applyMemoryFlags } from './memory-flags.js'

/** `npm start`: configuration from the environment, then a listening server; a bad value exits 1 with one line. */
export async function runServer (): Promise<void> {
  let config: SandboxConfig
  try {
    config = loadConfig()
  } catch (err) {
    /* c8 ignore next -- loadConfig throws only ConfigErrors; anything else is a bug to surface as is */
    if (!(err instanceof ConfigError)) throw err
    console.error(err.message)
    process.exit(1)
  }
  await startServer(config)
}

/** The trackstar-sandbox command: flags (or the same environment variables) to a listening sandbox. */
export async function runCli (argv: string[]): Promise<void> {
  try {
    const command = parseCli(argv)
    if (command.help) console.log(HELP)
    else await startServer(command.config)
  } catch (err) {
    // A bad flag, unreadable fixtures or a port in use: one line, not a stack trace.
    console.error(err instanceof ConfigError ? err.message : `Cannot start trackstar-sandbox: ${(err as Error).message}`)
    process.exitCode = 1
  }
}

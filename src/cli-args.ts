// The trackstar-sandbox command line: flags that mirror the environment variables, validated by the same schema.
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type SandboxConfig } from './config.js'

/** Each flag and the environment variable it sets; a flag wins over the variable. */
export const FLAGS = {
  port: 'PORT',
  host: 'HOST',
  db: 'SANDBOX_DB',
  fixtures: 'SANDBOX_FIXTURES',
  'admin-token': 'SANDBOX_ADMIN_TOKEN',
  'rate-limit': 'SANDBOX_RATE_LIMIT',
  'journal-size': 'SANDBOX_JOURNAL_SIZE',
  'cors-origins': 'SANDBOX_CORS_ORIGINS',
  'log-level': 'LOG_LEVEL'
} as const

export const HELP = `Usage: trackstar-sandbox [options]

A local, stateful stand-in for Trackstar's adjust-inventory API, with a control plane for tests under /_sandbox.

Options (each also read from the environment variable in brackets; a flag wins):
  --port <n>             port to listen on, 0 for any free one [PORT] (3000)
  --host <address>       address to bind [HOST] (127.0.0.1; 0.0.0.0 for every interface)
  --db <path>            SQLite file, or :memory: [SANDBOX_DB] (data/sandbox.sqlite)
  --fixtures <path>      fixtures JSON file or directory [SANDBOX_FIXTURES] (the bundled ones)
  --admin-token <token>  require authorization: Bearer <token> on /_sandbox/* [SANDBOX_ADMIN_TOKEN] (none)
  --rate-limit on|off    Trackstar's per-token rate limits [SANDBOX_RATE_LIMIT] (on)
  --journal-size <n>     requests kept in the journal [SANDBOX_JOURNAL_SIZE] (1000)
  --cors-origins <list>  let browser apps on these origins call the sandbox: * or a comma list [SANDBOX_CORS_ORIGINS] (off)
  --log-level <level>    fatal, error, warn, info, debug, trace or silent [LOG_LEVEL] (info)
  -v, --version          print the version
  -h, --help             show this help

Example: npx trackstar-sandbox --port 4000 --db :memory:`

export type CliCommand = { help: true } | { help: false, version: true } | { help: false, version?: false, config: SandboxConfig }

/** Parses argv (without node and the script) over `env`; throws ConfigError with one line for any mistake. */
export function parseCli (argv: string[], env: Record<string, string | undefined> = process.env): CliCommand {
  let values: Record<string, string | boolean | undefined>
  try {
    const options = Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' as const }]))
    values = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } }, strict: true, allowPositionals: false }).values
  } catch (err) {
    throw new ConfigError(`${(err as Error).message.split('\n')[0] as string} (see --help)`)
  }
  if (values.help === true) return { help: true }
  if (values.version === true) return { help: false, version: true }
  const merged = { ...env }
  const given = new Map<string, string>()
  for (const [flag, variable] of Object.entries(FLAGS)) {
    const value = values[flag]
    if (typeof value !== 'string') continue
    merged[variable] = value
    given.set(variable, flag)
  }
  try {
    return { help: false, config: loadConfig(merged) }
  } catch (err) {
    // Name the flag the user typed rather than the variable it maps to.
    const message = (err as Error).message.replace(/^Invalid configuration: (\w+)/, (whole, variable: string) => {
      const flag = given.get(variable)
      return flag === undefined ? whole : `Invalid configuration: --${flag}`
    })
    throw new ConfigError(message)
  }
}

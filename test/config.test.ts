// Configuration from the environment: defaults, conversions, and one clear line naming a bad variable.
import t from 'tap'
import { ConfigError, DEFAULT_CONFIG, loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  t.match(loadConfig({}), { port: 3000, host: '127.0.0.1', dbPath: 'data/sandbox.sqlite', rateLimit: true, journalSize: 1000, logLevel: 'info', adminToken: '' })
})

t.test('values from the environment; unrelated variables are ignored', async (t) => {
  const config = loadConfig({ PORT: '4000', SANDBOX_DB: ':memory:', SANDBOX_RATE_LIMIT: 'off', SANDBOX_JOURNAL_SIZE: '50', LOG_LEVEL: 'warn', SANDBOX_ADMIN_TOKEN: 's3cret', SOMETHING_ELSE: '???' })
  t.match(config, { port: 4000, dbPath: ':memory:', rateLimit: false, journalSize: 50, logLevel: 'warn', adminToken: 's3cret' })
})

t.test('a bad value stops the start with one line naming the variable', async (t) => {
  for (const [env, name] of [[{ PORT: 'abc' }, 'PORT'], [{ PORT: '70000' }, 'PORT'], [{ SANDBOX_RATE_LIMIT: 'maybe' }, 'SANDBOX_RATE_LIMIT'], [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'], [{ SANDBOX_JOURNAL_SIZE: '0' }, 'SANDBOX_JOURNAL_SIZE']] as const) {
    const error = t.throws(() => loadConfig(env)) as Error
    t.type(error, ConfigError)
    t.match(error.message, new RegExp(`^Invalid configuration: ${name} `), error.message)
    t.notMatch(error.message, /\n/, 'one line')
  }
})

t.test('DEFAULT_CONFIG, built from the schema defaults without validating, is what an empty environment loads', async (t) => {
  t.strictSame(DEFAULT_CONFIG, loadConfig({}))
})

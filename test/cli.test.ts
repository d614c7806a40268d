// The trackstar-sandbox command: flags over environment variables, one clear line for a mistake, and a real start.
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { FLAGS, HELP, parseCli } from '../src/cli-args.js'
import { ConfigError, DEFAULT_CONFIG } from '../src/config.js'
import { describeStartFailure } from '../src/start.js'
import { ApiError } from '../src/errors.js'
import { VERSION } from '../src/version.js'
import { tempDir } from './helper.js'

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts')
// The child loads TypeScript the way this test does (tap's loader under tap, tsx otherwise), so its coverage maps back to src.
const loader = process.execArgv.filter((arg) => arg.includes('typescript') || arg === '--enable-source-maps')
const nodeArgs = (...args: string[]) => [...(loader.length > 0 ? loader : ['--import', 'tsx']), CLI, ...args]

t.test('flags mirror the environment and win over it', async (t) => {
  const command = parseCli(['--port', '4000', '--db', ':memory:', '--host', '0.0.0.0', '--fixtures', 'fx', '--admin-token', 'adm', '--rate-limit', 'off', '--journal-size', '5', '--log-level', 'warn', '--cors-origins', '*'], { PORT: '5000', SANDBOX_JOURNAL_SIZE: '9' })
  t.same('config' in command ? command.config : null, {
    port: 4000, host: '0.0.0.0', dbPath: ':memory:', fixtures: 'fx', adminToken: 'adm', rateLimit: false, journalSize: 5, logLevel: 'warn', closeGraceDelay: 5000, corsOrigins: '*'
  })
  const fromEnv = parseCli([], { PORT: '5000', UNRELATED: 'x' })
  t.equal('config' in fromEnv ? fromEnv.config.port : null, 5000)
  t.same(parseCli(['-h']), { help: true })
  t.same(parseCli(['--version']), { help: false, version: true })
  t.same(parseCli(['--help', '--port', 'x']), { help: true })
  t.match(HELP, /--journal-size/)
  t.equal(Object.keys(FLAGS).length, 9)
})

t.test('a mistake is one line naming the flag (or the variable it came from)', async (t) => {
  t.throws(() => parseCli(['--port', 'abc']), new ConfigError('Invalid configuration: --port must be integer'))
  t.throws(() => parseCli(['--rate-limit', 'maybe']), { message: /^Invalid configuration: --rate-limit must be equal to one of the allowed values/ })
  t.throws(() => parseCli([], { SANDBOX_JOURNAL_SIZE: '0' }), { message: 'Invalid configuration: SANDBOX_JOURNAL_SIZE must be >= 1' })
  t.throws(() => parseCli(['--bogus']), { message: "Unknown option '--bogus' (see --help)" })
  t.throws(() => parseCli(['stray']), { message: /^Unexpected argument 'stray'/ })
})

t.test('a start that fails exits 1 with one line naming the cause', async (t) => {
  const busy = createServer()
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => busy.close())
  const port = (busy.address() as AddressInfo).port
  const inUse = spawnSync(process.execPath, nodeArgs('--port', String(port), '--db', ':memory:', '--log-level', 'silent'), { encoding: 'utf8' })
  t.equal(inUse.status, 1)
  t.match(inUse.stderr, new RegExp(`^Cannot start trackstar-sandbox: port ${port} is already in use[^\n]*\n$`))

  const file = join(tempDir(t), 'file')
  writeFileSync(file, '')
  const notWritable = spawnSync(process.execPath, nodeArgs('--port', '0', '--db', join(file, 'sandbox.sqlite')), { encoding: 'utf8' })
  t.equal(notWritable.status, 1)
  t.match(notWritable.stderr, /^Cannot start trackstar-sandbox: database .*sandbox\.sqlite is not writable[^\n]*\n$/)

  const badJson = join(tempDir(t), 'bad.json')
  writeFileSync(badJson, '{')
  const unreadable = spawnSync(process.execPath, nodeArgs('--port', '0', '--db', ':memory:', '--fixtures', badJson), { encoding: 'utf8' })
  t.equal(unreadable.status, 1)
  t.match(unreadable.stderr, /^Cannot start trackstar-sandbox: Fixtures .*bad\.json are not valid JSON[^\n]*\n$/)
  t.equal(describeStartFailure(Object.assign(new Error('listen EACCES'), { code: 'EACCES' }), { ...DEFAULT_CONFIG, port: 80 }), 'Cannot start trackstar-sandbox: no permission to listen on 127.0.0.1:80')
  t.match(describeStartFailure(Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' }), { ...DEFAULT_CONFIG, host: '10.9.9.9' }), /cannot listen on 10\.9\.9\.9:3000/)
  t.match(describeStartFailure(new ApiError(422, { error: 'The connection payload is invalid.', origin: 'trackstar', detail: { json: { 'products.0.inventory': ['Must equal'] } } }), DEFAULT_CONFIG), /^Cannot start trackstar-sandbox: fixtures are invalid: The connection payload is invalid\. .*products\.0\.inventory/)
  t.equal(describeStartFailure(new ApiError(422, { error: 'Bad.', origin: 'trackstar' }), DEFAULT_CONFIG), 'Cannot start trackstar-sandbox: fixtures are invalid: Bad. {}')
  t.equal(describeStartFailure(new Error('two\nlines')), 'Cannot start trackstar-sandbox: two lines')
})

t.test('the bin prints help, refuses a bad flag with exit 1, and serves until SIGTERM', async (t) => {
  const help = spawnSync(process.execPath, nodeArgs('--help'), { encoding: 'utf8' })
  t.equal(help.status, 0)
  t.match(help.stdout, /^Usage: trackstar-sandbox/)

  const bad = spawnSync(process.execPath, nodeArgs('--port', 'abc'), { encoding: 'utf8' })
  t.equal(bad.status, 1)
  t.equal(bad.stderr, 'Invalid configuration: --port must be integer\n')

  const missing = spawnSync(process.execPath, nodeArgs('--fixtures', '/nonexistent/fixtures', '--db', ':memory:'), { encoding: 'utf8' })
  t.equal(missing.status, 1)
  t.match(missing.stderr, /^Cannot start trackstar-sandbox: fixtures \/nonexistent\/fixtures cannot be read \(ENOENT\)\n$/)

  const version = spawnSync(process.execPath, nodeArgs('--version'), { encoding: 'utf8' })
  t.equal(version.status, 0)
  t.equal(version.stdout, `${VERSION}\n`)

  const server = spawn(process.execPath, nodeArgs('--port', '0', '--db', join(tempDir(t), 'data', 'sandbox.sqlite'), '--log-level', 'info'), { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) resolve(match[1] as string)
    })
    server.on('exit', () => reject(new Error(`exited early: ${output}`)))
  })
  const health = await fetch(`${url}/_sandbox/health`)
  t.equal(health.status, 200)
  server.kill('SIGTERM')
  const [code] = await once(server, 'exit')
  t.equal(code, 0, 'a clean close')
})

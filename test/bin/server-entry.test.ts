// The server entry point (npm start runs its build): configuration from the environment, one line for a bad value.
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'

const SERVER = join(import.meta.dirname, '..', '..', 'src', 'bin', 'server.ts')
// The child loads TypeScript the way this test does (tap's loader under tap, tsx otherwise), so its coverage maps back to src.
const loader = process.execArgv.filter((arg) => arg.includes('typescript') || arg === '--enable-source-maps')
const nodeArgs = [...(loader.length > 0 ? loader : ['--import', 'tsx']), SERVER]

t.test('a bad environment value stops the start with exit 1 and one line naming it', async (t) => {
  const run = spawnSync(process.execPath, nodeArgs, { encoding: 'utf8', env: { ...process.env, PORT: 'abc' } })
  t.equal(run.status, 1)
  t.equal(run.stderr.trim(), 'Invalid configuration: PORT must be integer')
})

t.test('a good environment listens until SIGTERM, then exits 0', async (t) => {
  const child = spawn(process.execPath, nodeArgs, { env: { ...process.env, PORT: '0', SANDBOX_DB: ':memory:', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      if (output.includes('Server listening at')) resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', () => reject(new Error(output)))
  })
  const url = /Server listening at (http:\/\/[^"]+)/.exec(output)?.[1] as string
  t.equal((await fetch(`${url}/_sandbox/health`)).status, 200)
  child.kill('SIGTERM')
  const [code] = await once(child, 'exit') as [number | null]
  t.equal(code, 0)
})

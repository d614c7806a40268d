// The npm package as a user installs it: `npm pack`, unpacked into a fresh project, used with import, require, Jest and tsc.
import t from 'tap'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isStale } from '../../scripts/build-state.js'

const ROOT = join(import.meta.dirname, '..', '..')
// Packing, Jest's start and a type check of the package's declarations take a while on a busy machine.
t.setTimeout(600_000)
// tap traces child processes for coverage; these run the built package, which is not what the gate measures.
const ENV = { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0', NODE_OPTIONS: '' }
const run = (cwd: string, args: string[]): string => execFileSync(process.execPath, args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

const USE = `
const sandbox = await startSandbox({ rateLimit: false })
const health = await sandbox.health()
const viaClient = await new SandboxClient(sandbox.url).integrations()
const err = await sandbox.restore('missing').catch((e) => e)
await sandbox.close()
console.log(JSON.stringify({ status: health.status, integrations: viaClient.length, isClientError: err instanceof SandboxClientError, errStatus: err.status, container: typeof TrackstarSandboxContainer }))
`
const ESM = `import { startSandbox } from 'trackstar-sandbox'
import { SandboxClient, SandboxClientError } from 'trackstar-sandbox/client'
import { TrackstarSandboxContainer } from 'trackstar-sandbox/testcontainers'
${USE}`
const CJS = `const { startSandbox } = require('trackstar-sandbox')
const { SandboxClient, SandboxClientError } = require('trackstar-sandbox/client')
const { TrackstarSandboxContainer } = require('trackstar-sandbox/testcontainers')
;(async () => {${USE}})()`
const JEST = `const { startSandbox } = require('trackstar-sandbox')
let sandbox
beforeAll(async () => { sandbox = await startSandbox({ rateLimit: false }) })
afterAll(async () => { await sandbox.close() })
test('a fixture product through the emulated API, and the journal', async () => {
  const res = await fetch(sandbox.url + '/cart/products/shp_tee_001_m', { headers: { 'x-trackstar-api-key': 'sandbox_api_key', 'x-trackstar-access-token': 'acme_shopify_token' } })
  expect(res.status).toBe(200)
  expect((await sandbox.requests({ product_id: 'shp_tee_001_m' })).length).toBe(1)
})
`
const TYPED = (from: 'import' | 'require'): string => `${from === 'import'
  ? "import { startSandbox, type RunningSandbox } from 'trackstar-sandbox'\nimport { SandboxClient, type JournalFilter } from 'trackstar-sandbox/client'\nimport { TrackstarSandboxContainer } from 'trackstar-sandbox/testcontainers'"
  : "import sandboxLib = require('trackstar-sandbox')\nimport clientLib = require('trackstar-sandbox/client')\nimport containers = require('trackstar-sandbox/testcontainers')\nconst { startSandbox } = sandboxLib\nconst { SandboxClient } = clientLib\nconst { TrackstarSandboxContainer } = containers\ntype RunningSandbox = sandboxLib.RunningSandbox\ntype JournalFilter = clientLib.JournalFilter"}
export async function typed (): Promise<number> {
  const sandbox: RunningSandbox = await startSandbox({ rateLimit: false })
  const filter: JournalFilter = { product_id: 'p', limit: '5' }
  const rows = await new SandboxClient(sandbox.url).requests(filter)
  // @ts-expect-error an unknown filter key does not type-check
  await sandbox.requests({ produkt_id: 'p' })
  const url: string = (await new TrackstarSandboxContainer().withAdminToken('x').start()).getUrl()
  return rows.length + url.length
}
`

t.test('a project installing the packed tarball: ESM import, CommonJS require, Jest without flags, types for both', async (t) => {
  if (isStale(ROOT, join(ROOT, 'dist', 'runtime.cjs'))) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' })
  const project = mkdtempSync(join(tmpdir(), 'sandbox-consumer-'))
  t.teardown(() => rmSync(project, { recursive: true, force: true }))
  const tarball = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', project], { cwd: ROOT, encoding: 'utf8', env: ENV }).trim().split('\n').at(-1) as string
  // Offline install: the tarball unpacked as node_modules/trackstar-sandbox, its dependencies linked from this repo's.
  const modules = join(project, 'node_modules')
  mkdirSync(modules)
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== 'trackstar-sandbox' && !name.startsWith('.')) symlinkSync(join(ROOT, 'node_modules', name), join(modules, name))
  }
  execFileSync('tar', ['-xzf', join(project, tarball), '-C', modules])
  execFileSync('mv', [join(modules, 'package'), join(modules, 'trackstar-sandbox')])
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'commonjs' }))
  writeFileSync(join(project, 'use.mjs'), ESM)
  writeFileSync(join(project, 'use.cjs'), CJS)
  writeFileSync(join(project, 'sandbox.test.js'), JEST)

  const expected = { status: 'ok', integrations: 17, isClientError: true, errStatus: 404, container: 'function' }
  t.same(JSON.parse(run(project, ['use.mjs'])), expected, 'import')
  t.same(JSON.parse(run(project, ['use.cjs'])), expected, 'require')

  const jest = spawnSync(process.execPath, [join(modules, 'jest', 'bin', 'jest.js')], { cwd: project, env: ENV, encoding: 'utf8' })
  t.equal(jest.status, 0, 'jest passes a plain CommonJS test with no flags and no config')
  t.match(jest.stderr, /Tests:\s+1 passed, 1 total/)

  writeFileSync(join(project, 'typed-esm.mts'), TYPED('import'))
  writeFileSync(join(project, 'typed-cjs.cts'), TYPED('require'))
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'] }, files: ['typed-esm.mts', 'typed-cjs.cts'] }))
  t.doesNotThrow(() => run(project, [join(modules, 'typescript', 'bin', 'tsc'), '-p', '.']), 'tsc type-checks both forms against the package types')
})

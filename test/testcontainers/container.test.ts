// trackstar-sandbox/testcontainers: the module's wiring always; a real container when an engine and the image are there.
import t, { type Test } from 'tap'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers'
import { DEFAULT_IMAGE, StartedTrackstarSandboxContainer, TrackstarSandboxContainer } from '../../src/testcontainers/index.js'
import { SandboxClient } from '../../src/client/index.js'

const ROOT = join(import.meta.dirname, '..', '..')
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
// `npm run test:container` sets this: then a missing engine or image is a failure, not a skip.
const REQUIRED = process.env.CONTAINER_TEST === '1'

interface Inside { waitStrategy: unknown, environment: Record<string, string>, imageName: { string: string } }
const inside = (container: TrackstarSandboxContainer): Inside => container as unknown as Inside

/** Runs start() up to the engine call and returns the wait strategy it would have used. */
async function waitStrategyAtStart (t: Test, container: TrackstarSandboxContainer): Promise<unknown> {
  const original = GenericContainer.prototype.start
  let seen: unknown
  GenericContainer.prototype.start = async function (this: GenericContainer) {
    seen = (this as unknown as Inside).waitStrategy
    throw new Error('no engine in this subtest')
  }
  t.teardown(() => { GenericContainer.prototype.start = original })
  await container.start().catch(() => undefined)
  GenericContainer.prototype.start = original
  return seen
}

t.test('the image tag is pinned to the package version, and the Dockerfile labels that version', async (t) => {
  t.equal(DEFAULT_IMAGE, `trackstar-sandbox:${VERSION}`)
  t.equal(inside(new TrackstarSandboxContainer()).imageName.string, `trackstar-sandbox:${VERSION}`)
  t.equal(inside(new TrackstarSandboxContainer('registry.example/trackstar-sandbox:dev')).imageName.string, 'registry.example/trackstar-sandbox:dev', 'overridable')
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  t.match(dockerfile, `org.opencontainers.image.version="${VERSION}"`)
  t.match(dockerfile, 'org.opencontainers.image.licenses="MIT"')
  t.match(dockerfile, /org\.opencontainers\.image\.source="https:\/\//)
})

t.test('fixtures, admin token and rate limit become the container environment', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-fixtures-'))
  const file = join(dir, 'fixtures.json')
  writeFileSync(file, '{"organisations":[]}')
  const container = new TrackstarSandboxContainer().withAdminToken('tok').withFixturesFile(file).withRateLimit(false)
  t.match(inside(container).environment, { SANDBOX_ADMIN_TOKEN: 'tok', SANDBOX_FIXTURES: '/fixtures/fixtures.json', SANDBOX_RATE_LIMIT: 'off', SANDBOX_DB: ':memory:' })
  t.match(inside(new TrackstarSandboxContainer().withFixturesPath('/mnt/f.json')).environment, { SANDBOX_FIXTURES: '/mnt/f.json' })
  t.match(inside(new TrackstarSandboxContainer().withRateLimit(true)).environment, { SANDBOX_RATE_LIMIT: 'on' })
})

t.test('the health wait is used unless the user chose a wait strategy, which is kept', async (t) => {
  const health = await waitStrategyAtStart(t, new TrackstarSandboxContainer())
  t.match(health, { path: '/_sandbox/health', port: 3000 }, 'default: GET /_sandbox/health')
  const withToken = await waitStrategyAtStart(t, new TrackstarSandboxContainer().withAdminToken('tok'))
  t.match(withToken, { headers: { authorization: 'Bearer tok' } }, 'the health wait sends the admin token')
  const own = Wait.forLogMessage(/Server listening/)
  t.equal(await waitStrategyAtStart(t, new TrackstarSandboxContainer().withWaitStrategy(own)), own, "the user's own strategy is kept")
})

t.test('a started container gives its URL and a SandboxClient carrying the admin token', async (t) => {
  const fake = { getHost: () => 'localhost', getMappedPort: (port: number) => port + 30000 } as unknown as StartedTestContainer
  const started = new StartedTrackstarSandboxContainer(fake, 'tok')
  t.equal(started.getUrl(), 'http://localhost:33000')
  const client = started.client()
  t.ok(client instanceof SandboxClient)
  t.equal(client.url, 'http://localhost:33000')
})

/** Why a real container cannot run here, or undefined when it can. */
async function engineMissing (): Promise<string | undefined> {
  try {
    const runtime = await getContainerRuntimeClient()
    if (!(await runtime.image.exists({ string: DEFAULT_IMAGE } as never))) return `image ${DEFAULT_IMAGE} not found: build it with \`docker build -t ${DEFAULT_IMAGE} .\``
    return undefined
  } catch (err) {
    return `no container engine reachable (${(err as Error).message.split('\n')[0]}); set DOCKER_HOST or start Docker/podman`
  }
}

const missing = await engineMissing()
if (missing !== undefined && REQUIRED) t.fail(missing)

t.test('a real container: health wait, fixtures file, admin token, a client driving it', { skip: missing ?? false }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-fixtures-'))
  const fixtures = join(dir, 'fixtures.json')
  writeFileSync(fixtures, JSON.stringify({
    organisations: [{
      id: 'org_ci',
      name: 'CI',
      api_keys: [{ key: 'ci_key', access: 'full' }],
      connections: [{ integration: 'shopify', id: 'conn_ci', access_token: 'ci_token_shopify', warehouses: [{ id: 'wh_ci' }], products: [{ id: 'p1', inventory_by_warehouse_id: { wh_ci: 4 } }] }]
    }]
  }))
  const container = await new TrackstarSandboxContainer().withAdminToken('ci-admin').withFixturesFile(fixtures).start()
  t.teardown(() => container.stop())
  const client = container.client()
  t.equal((await client.health()).connections, 1, 'the copied fixtures are loaded')
  const res = await fetch(`${container.getUrl()}/cart/products/p1`, { headers: { 'x-trackstar-api-key': 'ci_key', 'x-trackstar-access-token': 'ci_token_shopify' } })
  t.equal(res.status, 200)
  t.equal((await client.requests({ product_id: 'p1' })).length, 1, 'the journal saw the read')
  await t.rejects(new SandboxClient(container.getUrl()).reset(), { name: 'SandboxClientError', status: 401 }, 'the control plane needs the token')
})

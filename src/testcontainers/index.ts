// trackstar-sandbox/testcontainers: the sandbox's image as a Testcontainers module, driven by a SandboxClient.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer, type WaitStrategy } from 'testcontainers'
import { SandboxClient } from '../client/client.js'
import { PACKAGE_ROOT } from '../package-root.js'

const PORT = 3000
const FIXTURES_IN_CONTAINER = '/fixtures/fixtures.json'

const packageVersion = (): string => (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version

/** The image this package version pins: `trackstar-sandbox:<version>`. */
export const DEFAULT_IMAGE = `trackstar-sandbox:${packageVersion()}`

export class TrackstarSandboxContainer extends GenericContainer {
  #adminToken = ''
  #ownWaitStrategy = false

  constructor (image: string = DEFAULT_IMAGE) {
    super(image)
    this.withExposedPorts(PORT).withEnvironment({ SANDBOX_DB: ':memory:' })
  }

  /** The control plane then needs this bearer token; getUrl()'s client and the health wait send it. */
  withAdminToken (token: string): this {
    this.#adminToken = token
    return this.withEnvironment({ SANDBOX_ADMIN_TOKEN: token })
  }

  /** Fixtures already inside the container (a mounted path), as SANDBOX_FIXTURES. */
  withFixturesPath (pathInContainer: string): this {
    return this.withEnvironment({ SANDBOX_FIXTURES: pathInContainer })
  }

  /** A fixtures JSON file on this machine, copied into the container before it starts. */
  withFixturesFile (localPath: string): this {
    return this.withCopyFilesToContainer([{ source: localPath, target: FIXTURES_IN_CONTAINER }]).withFixturesPath(FIXTURES_IN_CONTAINER)
  }

  /** Rate limits as in production (default) or off. */
  withRateLimit (enabled: boolean): this {
    return this.withEnvironment({ SANDBOX_RATE_LIMIT: enabled ? 'on' : 'off' })
  }

  override withWaitStrategy (waitStrategy: WaitStrategy): this {
    this.#ownWaitStrategy = true
    return super.withWaitStrategy(waitStrategy)
  }

  override async start (): Promise<StartedTrackstarSandboxContainer> {
    // A wait strategy the user chose is kept; otherwise the sandbox is ready when its health answers 200.
    if (!this.#ownWaitStrategy) {
      const health = Wait.forHttp('/_sandbox/health', PORT).forStatusCode(200)
      super.withWaitStrategy(this.#adminToken === '' ? health : health.withHeaders({ authorization: `Bearer ${this.#adminToken}` }))
    }
    /* c8 ignore start -- needs a container engine: test/testcontainers runs it then (npm run test:container) */
    return new StartedTrackstarSandboxContainer(await super.start(), this.#adminToken)
  }
  /* c8 ignore stop */
}

export class StartedTrackstarSandboxContainer extends AbstractStartedContainer {
  readonly #adminToken: string

  constructor (started: StartedTestContainer, adminToken: string) {
    super(started)
    this.#adminToken = adminToken
  }

  /** The sandbox's base URL on this machine, e.g. `http://localhost:32768`. */
  getUrl (): string {
    return `http://${this.getHost()}:${this.getMappedPort(PORT)}`
  }

  /** A SandboxClient on this container, with the admin token when one was set. */
  client (): SandboxClient {
    return new SandboxClient(this.getUrl(), { adminToken: this.#adminToken })
  }
}

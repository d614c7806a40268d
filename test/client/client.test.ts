// SandboxClient against real servers: the same test body on startSandbox()'s handle and on a command-line server.
import t from 'tap'
import { startSandbox } from '../../src/index.js'
import { SandboxClient, SandboxClientError } from '../../src/client/index.js'
import { exerciseControlPlane } from './control-plane.js'
import { startCli } from './cli-server.js'

t.test('every control-plane method through the startSandbox() handle', async (t) => {
  const sandbox = await startSandbox({ rateLimit: false })
  t.teardown(() => sandbox.close())
  t.ok(sandbox.client instanceof SandboxClient, 'the handle carries a SandboxClient')
  await exerciseControlPlane(t, sandbox)
})

t.test('the same body through a SandboxClient on a server started by the command line', async (t) => {
  const url = await startCli(t)
  await exerciseControlPlane(t, new SandboxClient(url + '/'))
})

t.test('with an admin token: the handle and a client given the token work, a client without it gets 401', async (t) => {
  const sandbox = await startSandbox({ adminToken: 'let-me-in' })
  t.teardown(() => sandbox.close())
  t.equal((await sandbox.health()).status, 'ok')
  t.equal((await new SandboxClient(sandbox.url, { adminToken: 'let-me-in' }).snapshots()).length, 0)
  const err = await new SandboxClient(sandbox.url).snapshots().catch((e: unknown) => e)
  t.ok(err instanceof SandboxClientError)
  t.match(err, { status: 401, statusCode: 401, method: 'GET', path: '/_sandbox/snapshots', body: { origin: 'trackstar' } })
  t.match((err as Error).message, /^GET \/_sandbox\/snapshots answered 401: /)
})

t.test('an answer that is not JSON is still a SandboxClientError carrying the text', async (t) => {
  const client = new SandboxClient('http://sandbox.invalid', { fetch: async () => new Response('bad gateway', { status: 502 }) })
  await t.rejects(client.health(), { name: 'SandboxClientError', status: 502, body: { error: 'bad gateway', origin: 'trackstar' } })
})

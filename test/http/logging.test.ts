// Logging: below info a request's child logger is only made when something is logged, and it still carries the reqId.
import t from 'tap'
import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { buildApp } from '../../src/app.js'
import { childLoggers } from '../../src/http/logging.js'
import { headersFor } from '../helper.js'

const capture = () => {
  const lines: Array<Record<string, unknown>> = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(JSON.parse(String(chunk))); done() } })
  return { lines, stream }
}

t.test('at warn, a defect is still logged with the request id over real HTTP, and a normal request logs nothing', async (t) => {
  const { lines, stream } = capture()
  const app = await buildApp({ dbPath: ':memory:', rateLimit: false }, { logger: { level: 'warn', stream } })
  t.teardown(() => app.close())
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const put = async (id: string) => await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, {
    method: 'PUT',
    headers: { ...headersFor('shopify'), 'content-type': 'application/json', 'x-request-id': id },
    body: JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' })
  })
  t.equal((await put('fine-1')).status, 200)
  t.same(lines, [], 'nothing logged for a request that went well')
  const { ledger } = app.sandbox
  const insert = ledger.insert.bind(ledger)
  ledger.insert = () => { throw new Error('disk I/O error') }
  t.equal((await put('broken-1')).status, 500)
  ledger.insert = insert
  t.match(lines, [{ level: 50, reqId: 'broken-1', msg: 'unexpected error', err: { message: 'disk I/O error' } }])
})

t.test('the lazy child forwards every level, its level and its own children to a real child made once', async (t) => {
  const { lines, stream } = capture()
  const parent = Fastify({ logger: { level: 'warn', stream } }).log
  const made: unknown[] = []
  const makeChild = parent.child
  // pino's children inherit from their parent, so this also counts children made from the real child.
  parent.child = function (this: typeof parent, bindings, options) { made.push(bindings); return makeChild.call(this, bindings, options) }
  const child = childLoggers(parent, { reqId: 'r1' }, {})
  t.equal(child.level, 'warn')
  child.info('hidden')
  child.debug('hidden')
  child.trace('hidden')
  child.silent('hidden')
  t.same(lines, [], 'below the level nothing is written')
  t.same(made, [], 'and no pino child is made for it')
  child.warn('w')
  child.error('e')
  child.fatal('f')
  child.child({ step: 2 }).error('nested')
  child.level = 'trace'
  t.equal(child.level, 'trace', "its level is now the real child's")
  child.info('i')
  child.debug('d')
  child.trace('t')
  t.same(lines.map((l) => [l.msg, l.reqId]), [['w', 'r1'], ['e', 'r1'], ['f', 'r1'], ['nested', 'r1'], ['i', 'r1'], ['d', 'r1'], ['t', 'r1']])
  t.same(made, [{ reqId: 'r1' }, { step: 2 }], 'the real child is made once, on the first line written')
  t.equal(lines[3]?.step, 2)
  t.equal(parent.level, 'warn', "the parent's level is untouched")

  const verbose = Fastify({ logger: { level: 'info', stream } }).log
  const real = childLoggers(verbose, { reqId: 'r2' }, {})
  real.info('now')
  t.match(lines.at(-1), { msg: 'now', reqId: 'r2' }, 'at info a real child is made at once')
})

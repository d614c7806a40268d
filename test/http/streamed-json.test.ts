// The control plane's JSON parser: the same bodies and the same errors as Fastify's own, read chunk by chunk.
import t, { type Test } from 'tap'
import { Readable } from 'node:stream'
import Fastify from 'fastify'
import { decodeJsonAsItArrives } from '../../src/http/streamed-json.js'
import { registerErrorHandlers } from '../../src/http/errors.js'

/** An app echoing the parsed body, with a body limit of 100 bytes; `preParsing` may replace the body stream. */
async function echo (t: Test, preParsing?: () => Readable) {
  const app = Fastify()
  registerErrorHandlers(app)
  decodeJsonAsItArrives(app)
  if (preParsing) app.addHook('preParsing', async () => preParsing())
  app.post('/echo', { bodyLimit: 100 }, async (request) => ({ received: request.body }))
  t.teardown(() => app.close())
  await app.ready()
  return app
}

/** A body sent as these chunks, one at a time, without a Content-Length (chunked). */
const chunked = (chunks: Buffer[]): Readable => Readable.from(chunks, { objectMode: false })

t.test('a body sent in many chunks parses whole, a multi-byte character split between two chunks included', async (t) => {
  const app = await echo(t)
  const text = JSON.stringify({ name: 'Café — ☕', n: [1, 2, 3] })
  const bytes = Buffer.from(text)
  const split = bytes.indexOf(Buffer.from('☕')) + 1
  const chunks = [bytes.subarray(0, 3), bytes.subarray(3, split), bytes.subarray(split)]
  const res = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: chunked(chunks) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { received: { name: 'Café — ☕', n: [1, 2, 3] } })
})

t.test("bodies Fastify's parser refuses are refused the same way, in Trackstar's shape", async (t) => {
  const app = await echo(t)
  const post = async (payload: string | Readable, headers: Record<string, string> = {}) =>
    await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json', ...headers }, payload })
  const cases: Array<[string, Awaited<ReturnType<typeof post>>, number, string]> = [
    ['declared over the limit', await post(JSON.stringify({ x: 'y'.repeat(200) })), 413, 'The request body is too large.'],
    ['chunked past the limit', await post(chunked([Buffer.from('{"x":"'), Buffer.alloc(200, 'y'), Buffer.from('"}')])), 413, 'The request body is too large.'],
    ['shorter than its Content-Length', await post('{}', { 'content-length': '50' }), 400, 'Request body size did not match Content-Length.'],
    ['not JSON', await post('{"a":'), 400, 'The request body is not valid JSON.'],
    ['a __proto__ key', await post('{"__proto__":{"admin":true}}'), 400, 'The request body is not valid JSON.'],
    ['empty', await post(''), 400, 'The request body is empty; send a JSON object.']
  ]
  for (const [what, res, status, error] of cases) {
    t.equal(res.statusCode, status, what)
    t.same(res.json(), { error, origin: 'trackstar' }, what)
  }
})

t.test('a body stream that fails answers a 4xx, never a 500', async (t) => {
  const failing = (statusCode?: number) => () => new Readable({
    read () {
      this.destroy(Object.assign(new Error('the client went away'), statusCode === undefined ? {} : { statusCode }))
    }
  })
  for (const [statusCode, expected] of [[undefined, 400], [408, 408]] as const) {
    const app = await echo(t, failing(statusCode))
    const res = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{}' })
    t.equal(res.statusCode, expected, `stream error with statusCode ${String(statusCode)}`)
    t.equal(res.json().origin, 'trackstar')
  }
})

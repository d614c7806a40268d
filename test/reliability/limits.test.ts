// Resource limits: body size, header and request timeouts on the listening server, slow clients, and memory under a long load.
import t from 'tap'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { buildApp, HTTP_LIMITS } from '../../src/app.js'
import { API_KEY, listen, tempDir, token } from '../helper.js'
import { openSocket, rawExchange, readUntilClosed } from './raw-http.js'
import { STRESS } from './server-process.js'

const AUTH = `x-trackstar-api-key: ${API_KEY}\r\nx-trackstar-access-token: ${token('shopify')}\r\n`
const HEADERS = { 'x-trackstar-api-key': API_KEY, 'x-trackstar-access-token': token('shopify'), 'content-type': 'application/json' }
// The documented limit, written out: the test must not follow the constant if someone changes it.
const ONE_MIB = 1024 * 1024
const sleep = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms))

t.test('the emulated API refuses a body over 1 MiB with a 413 in Trackstar shape, with or without content-length', async (t) => {
  const { url } = await listen(t)
  const big = JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'x'.repeat(ONE_MIB) })
  const sized = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: HEADERS, body: big })
  t.equal(sized.status, 413)
  t.same(await sized.json(), { error: 'The request body is too large.', origin: 'trackstar' })
  t.match(sized.headers.get('x-request-id'), /.+/)

  // Chunked: the server cannot know the size up front and must stop reading at the limit.
  const chunk = 'y'.repeat(64 * 1024)
  const chunks = Math.ceil((ONE_MIB * 2) / chunk.length)
  const framed = Array.from({ length: chunks }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('') + '0\r\n\r\n'
  const { responses } = await rawExchange(url, `PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n${framed}`)
  t.equal(responses[0]?.status, 413, 'a chunked body over the limit: 413')
  t.same(JSON.parse(responses[0]?.body ?? '{}'), { error: 'The request body is too large.', origin: 'trackstar' })

  const justUnder = JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received', note: 'z'.repeat(ONE_MIB - 200) })
  const ok = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: HEADERS, body: justUnder })
  t.equal(ok.status, 422, 'a body just under the limit is read and validated (Shopify allows no extra key)')
})

t.test('the listening server carries the configured timeouts', async (t) => {
  const { app } = await listen(t)
  // The documented values, written out.
  t.equal(app.server.headersTimeout, 10_000, 'headers within 10 s')
  t.equal(app.server.requestTimeout, 30_000, 'the whole request within 30 s')
  t.equal(app.server.keepAliveTimeout, 72_000, 'idle keep-alive 72 s')
  t.equal(app.server.timeout, 60_000, 'idle socket 60 s')
  t.same(HTTP_LIMITS, { headersTimeout: 10_000, requestTimeout: 30_000, connectionTimeout: 60_000, keepAliveTimeout: 72_000, connectionsCheckingInterval: 1_000, bodyLimit: ONE_MIB }, 'HTTP_LIMITS are the documented ones')
})

t.test('timeouts take effect: slow headers and a slow body get a 408 in Trackstar shape and the socket is closed', async (t) => {
  const limits = { headersTimeout: 400, requestTimeout: 800, connectionsCheckingInterval: 50 }
  const app = await buildApp({ dbPath: ':memory:', rateLimit: false }, { logger: false, limits })
  t.teardown(() => app.close())
  const url = await app.listen({ port: 0, host: '127.0.0.1' })

  const slowHeaders = await openSocket(url)
  const headersReading = readUntilClosed(slowHeaders, 5000)
  slowHeaders.write('GET /cart/products HTTP/1.1\r\nhost: x\r\n')
  const slowBody = await openSocket(url)
  const bodyReading = readUntilClosed(slowBody, 5000)
  slowBody.write(`PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\n${AUTH}content-type: application/json\r\ncontent-length: 100\r\n\r\n{"quantity"`)
  // Keep both trickling: a byte at a time never completes the headers or the body.
  const trickle = setInterval(() => {
    if (!slowHeaders.destroyed) slowHeaders.write('x')
    if (!slowBody.destroyed) slowBody.write(' ')
  }, 100)
  t.teardown(() => clearInterval(trickle))

  for (const [name, reading] of [['slow headers', headersReading], ['slow body', bodyReading]] as const) {
    const { responses, closed } = await reading
    t.equal(responses[0]?.status, 408, `${name}: 408`)
    t.same(JSON.parse(responses[0]?.body ?? '{}'), { error: 'The request took too long to arrive; send headers and body promptly.', origin: 'trackstar' }, `${name}: Trackstar shape`)
    t.match(responses[0]?.headers['x-request-id'], /^[0-9a-f-]{36}$/, `${name}: x-request-id`)
    t.ok(closed, `${name}: socket closed by the server`)
  }
  const stock = app.sandbox.products.get('conn_acme_shopify', 'shp_tee_001_m')
  t.equal(app.sandbox.ledger.list({ limit: 1 }).total, 0, 'the timed-out adjustment changed nothing')
  t.ok(stock, 'the product is still there')
})

t.test('many slow clients do not stop normal requests being served', async (t) => {
  const { url } = await listen(t)
  const slow = await Promise.all(Array.from({ length: STRESS ? 500 : 50 }, async () => await openSocket(url)))
  for (const socket of slow) {
    socket.on('error', () => { /* closed when the test ends */ })
    socket.write('PUT /cart/products/shp_tee_001_m/adjust-inventory HTTP/1.1\r\nhost: x\r\n')
  }
  const trickle = setInterval(() => { for (const socket of slow) socket.write('x') }, 50)
  t.teardown(() => { clearInterval(trickle); for (const socket of slow) socket.destroy() })
  await sleep(200)
  for (let i = 0; i < 5; i++) {
    const put = await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: HEADERS, body: JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }) })
    t.equal(put.status, 200, `adjustment ${i} answered while ${slow.length} slow sockets are open`)
    const get = await fetch(`${url}/cart/products/shp_tee_001_m`, { headers: HEADERS })
    t.equal(get.status, 200, `read ${i} answered`)
  }
  t.ok(slow.every((socket) => !socket.destroyed), 'the slow sockets were still open (within the headers timeout)')
})

t.test('memory stays flat under a long load', { skip: STRESS ? false : 'stress only: npm run test:stress' }, async (t) => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const { url } = await listen(t, { dbPath: join(tempDir(t), 'sandbox.sqlite') })
  const round = async (n: number): Promise<void> => {
    let next = 0
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < n) {
        const i = next++
        const res = i % 2 === 0
          ? await fetch(`${url}/cart/products/shp_tee_001_m/adjust-inventory`, { method: 'PUT', headers: { ...HEADERS, 'x-request-id': `mem-${i}` }, body: JSON.stringify({ quantity: 1, adjustment_type: 'increase', warehouse_id: 'wh_nyc', reason: 'received' }) })
          : await fetch(`${url}/cart/products?limit=5`, { headers: HEADERS })
        await res.arrayBuffer()
        if (res.status !== 200) throw new Error(`unexpected ${res.status}`)
      }
    }))
  }
  const heap = (): number => { gc(); gc(); return process.memoryUsage().heapUsed }
  await round(2000)
  const before = heap()
  const rssBefore = process.memoryUsage().rss
  const requests = 40_000
  await round(requests)
  const after = heap()
  const rssAfter = process.memoryUsage().rss
  t.comment(`memory figures: ${JSON.stringify({ requests, heapBeforeMB: +(before / 2 ** 20).toFixed(1), heapAfterMB: +(after / 2 ** 20).toFixed(1), rssBeforeMB: +(rssBefore / 2 ** 20).toFixed(1), rssAfterMB: +(rssAfter / 2 ** 20).toFixed(1) })}`)
  t.ok(after - before < 16 * 2 ** 20, `the heap grew by less than 16 MiB over ${requests} requests (${((after - before) / 2 ** 20).toFixed(1)} MiB)`)
})

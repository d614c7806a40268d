// Test helper: a real HTTP webhook receiver on port 0 that records each POST and answers with scripted statuses.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'

export interface Received { headers: IncomingHttpHeaders, body: string }

export interface Receiver {
  url: string
  received: Received[]
  /** Resolves when the receiver has got `count` requests in all. */
  next: (count: number) => Promise<Received[]>
}

/**
 * `statuses` are answered in order (then 200); a status of 0 means "never answer" (a hung receiver).
 */
export async function startReceiver (t: Test, statuses: number[] = []): Promise<Receiver> {
  const received: Received[] = []
  const waiters: Array<{ count: number, resolve: (r: Received[]) => void }> = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => { body += chunk })
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve(received.slice())
      const status = statuses.shift() ?? 200
      if (status === 0) return
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    next: (count) => received.length >= count ? Promise.resolve(received.slice()) : new Promise((resolve) => waiters.push({ count, resolve }))
  }
}

/** Polls `check` until it returns a value (not undefined), for state written just after an exchange ends. */
export async function eventually<T> (check: () => Promise<T | undefined> | T | undefined, tries = 500): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check()
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('condition not met')
}

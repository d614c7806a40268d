// Every answer carries its request id; while the app closes, requests still arriving are refused and sockets let go.
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { shuttingDown } from '../domain/errors.js'

/** A client's own x-request-id is echoed when it is 1..200 visible ASCII characters. */
export function requestIdFrom (header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[\x21-\x7e]{1,200}$/.test(header) ? header : randomUUID()
}

/**
 * While closing, requests still arriving on open keep-alive sockets are refused (503, connection closed), so
 * in-flight ones finish and the database closes only after the last answer.
 */
export function requestIdAndClosing (app: FastifyInstance): void {
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  // Set here rather than when sending: Fastify keeps reply headers through its error handling, and one hook fewer
  // runs per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done(closing ? shuttingDown() : undefined)
  })
  // A keep-alive socket whose last answer went out during the close would otherwise hold the server open until its
  // keep-alive timeout (forceCloseConnections only closes the sockets idle when the close starts).
  app.addHook('onResponse', (_request, _reply, done) => {
    if (closing) setImmediate(() => app.server.closeIdleConnections())
    done()
  })
}

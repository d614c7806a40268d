// The console's event streams: one live feed per app, and every open stream ended when the server closes.
import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { LiveFeed } from '../domain/live-feed.js'
import type { Sandbox } from '../domain/sandbox.js'
import type { ConsoleStreams } from '../routes/console.js'

export function consoleStreams (app: FastifyInstance, sandbox: Sandbox): ConsoleStreams {
  const feed = new LiveFeed(sandbox)
  const streams = new Set<ServerResponse>()
  // Open streams would hold the close until their sockets time out.
  app.addHook('preClose', async () => {
    feed.stop()
    for (const stream of streams) stream.end()
  })
  return { feed, streams }
}

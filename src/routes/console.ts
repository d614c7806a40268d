// The console at /_sandbox/ui: its page and assets (open), and the data and event stream it reads (admin token).
import { readdirSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { ServerResponse } from 'node:http'
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notFound } from '../domain/errors.js'
import { PACKAGE_ROOT } from '../package-root.js'
import { ADJUST_SCHEMAS, findIntegration } from '../schemas/integrations.js'
import { catalogue, overview } from '../domain/console-data.js'
import type { LiveFeed } from '../domain/live-feed.js'
import type { Sandbox } from '../domain/sandbox.js'

export const CONSOLE_PATH = '/_sandbox/ui'
/** The console's event stream; with an admin token it may also authenticate by cookie (EventSource sends no headers). */
export const EVENTS_PATH = '/_sandbox/ui/api/events'
export const CONSOLE_DIR = join(PACKAGE_ROOT, 'console')
/** A comment line now and then keeps an idle stream inside the server's connection timeout. */
const KEEPALIVE_MS = 15_000

/** The live feed the event streams read, and the streams open now (src/http/console-streams.ts ends them on close). */
export interface ConsoleStreams { feed: LiveFeed, streams: Set<ServerResponse> }

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml'
}

// Nothing on the page may come from another host, nor run inline.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

/** The console's files, read once on first use: a sandbox nobody looks at never reads them. */
let assets: Map<string, { body: Buffer, type: string }> | undefined
function consoleAssets (): Map<string, { body: Buffer, type: string }> {
  assets ??= new Map(readdirSync(CONSOLE_DIR)
    .filter((name) => TYPES[extname(name)] !== undefined)
    .map((name) => [name, { body: readFileSync(join(CONSOLE_DIR, name)), type: TYPES[extname(name)] as string }]))
  return assets
}

export const consoleRoutes: FastifyPluginAsyncTypebox<{ sandbox: Sandbox } & ConsoleStreams> = async (app, { sandbox, feed, streams }) => {
  const hide = { hide: true }

  const page = async (_request: unknown, reply: import('fastify').FastifyReply) => {
    const index = consoleAssets().get('index.html') as { body: Buffer, type: string }
    return reply.type(index.type).header('content-security-policy', CSP).header('cache-control', 'no-cache').send(index.body)
  }
  app.get(CONSOLE_PATH, { schema: hide }, page)
  app.get(`${CONSOLE_PATH}/`, { schema: hide }, page)

  app.get(`${CONSOLE_PATH}/assets/:file`, {
    schema: { ...hide, params: Type.Object({ file: Type.String({ maxLength: 100 }) }) }
  }, async (request, reply) => {
    const asset = consoleAssets().get(request.params.file)
    if (asset === undefined) throw notFound(`No console asset ${request.params.file}.`, request.params.file)
    return reply.type(asset.type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(asset.body)
  })

  app.get(`${CONSOLE_PATH}/api/overview`, {
    schema: { tags: ['sandbox control'], summary: 'For the console: organisations with their API keys and connections (tokens, warehouses, settings)' }
  }, async () => {
    const data = overview(sandbox)
    return { data, total_count: data.length }
  })

  app.get(`${CONSOLE_PATH}/api/connections/:connection_id/products`, {
    schema: {
      tags: ['sandbox control'],
      summary: "For the console: a connection's whole catalogue, parents and variants in catalogue order",
      params: Type.Object({ connection_id: Type.String({ minLength: 1 }) })
    }
  }, async (request) => {
    const found = catalogue(sandbox, request.params.connection_id)
    if (!found) throw notFound(`Connection ${request.params.connection_id} not found.`, request.params.connection_id)
    return { data: found.products, total_count: found.total }
  })

  app.get(`${CONSOLE_PATH}/api/integrations/:slug/schema`, {
    schema: {
      tags: ['sandbox control'],
      summary: "For the console: the JSON Schema of an integration's adjust-inventory body (its request variant)",
      params: Type.Object({ slug: Type.String({ minLength: 1 }) })
    }
  }, async (request) => {
    const schema = ADJUST_SCHEMAS.get(request.params.slug)
    if (schema === undefined) throw notFound(`Integration ${request.params.slug} not found.`, request.params.slug)
    return { slug: request.params.slug, display_name: findIntegration(request.params.slug)?.displayName, schema }
  })

  app.get(EVENTS_PATH, {
    // A HEAD would hold a stream open that can carry nothing.
    exposeHeadRoute: false,
    schema: {
      tags: ['sandbox control'],
      summary: 'For the console: server-sent events with new journal entries and ledger rows',
      description: 'An `init` event with the newest entries, then an `activity` event at most every 200 ms while there is news. With SANDBOX_ADMIN_TOKEN set, the token may also come as the cookie sandbox_admin_token (EventSource sends no headers).'
    }
  }, (request, reply) => {
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-request-id': request.id
    })
    streams.add(raw)
    const unsubscribe = feed.subscribe((event, data) => { raw.write(`event: ${event}\ndata: ${data}\n\n`) })
    const keepalive = setInterval(() => raw.write(': keepalive\n\n'), KEEPALIVE_MS)
    keepalive.unref()
    raw.on('close', () => {
      clearInterval(keepalive)
      unsubscribe()
      streams.delete(raw)
    })
  })
}

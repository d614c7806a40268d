// /docs, the Swagger UI: built on its first request, in a Fastify instance of its own, rather than at every start.
import type { IncomingMessage } from 'node:http'
import Fastify, { LogController, type FastifyInstance, type RouteHandlerMethod } from 'fastify'
import swagger, { type StaticDocumentSpec } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { registerErrorHandlers } from './errors.js'
import type { OpenApi } from './openapi/register.js'

const DOCS_PREFIX = '/docs'

/**
 * Serves the UI under /docs from an inner instance made on the first request there. Registering the UI plugin with the
 * app loaded its static-file server, some 150 modules: 26 ms of the server's cold start and of each `startSandbox()`
 * (medians of 9 alternated starts), for pages few people open. The inner instance shows the app's own document
 * (@fastify/swagger's static mode), answers errors in Trackstar's shape, and logs with the app's logger.
 */
/** Swagger UI settings: authorization kept across reloads and pre-filled with the fixture key and token. */
export function uiConfig (openapi: Pick<OpenApi, 'credentials'>): Record<string, unknown> {
  const credentials = openapi.credentials
  const config: Record<string, unknown> = { persistAuthorization: true, tryItOutEnabled: true, displayOperationId: true }
  if (credentials !== undefined) {
    // Serialized into the page's script as source text, where `ui` is the Swagger UI instance being completed.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval, no-new-func
    config.onComplete = new Function(`ui.preauthorizeApiKey('apiKey', ${JSON.stringify(credentials.apiKey)}); ui.preauthorizeApiKey('accessToken', ${JSON.stringify(credentials.accessToken)})`)
  }
  return config
}

export function registerLazyDocs (app: FastifyInstance, openapi: OpenApi): void {
  const requestIds = new WeakMap<IncomingMessage, string>()
  let docs: Promise<FastifyInstance> | undefined

  const build = async (): Promise<FastifyInstance> => {
    const ui = Fastify({
      loggerInstance: app.log,
      // The app already logs each request; the inner instance logs only what goes wrong in it, under the same id.
      logController: new LogController({ disableRequestLogging: true }),
      // Every request it routes comes through `serve`, which noted the app's id for it.
      genReqId: (raw) => requestIds.get(raw) as string
    })
    registerErrorHandlers(ui)
    // Complete: the app is ready, since it is answering this request. Passed through as is; the plugin's types for
    // a static document predate OpenAPI 3.1.
    const document = openapi.document() as unknown as StaticDocumentSpec['document']
    await ui.register(swagger, { mode: 'static', specification: { document } })
    await ui.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: uiConfig(openapi) })
    await ui.ready()
    return ui
  }

  const serve: RouteHandlerMethod = async (request, reply) => {
    // Concurrent first requests share one build; a failed build is tried again by the next request.
    docs ??= build().catch((err: unknown) => {
      docs = undefined
      throw err
    })
    const ui = await docs
    requestIds.set(request.raw, request.id)
    // Headers set on the reply stay in Fastify's reply object, which is not used once hijacked.
    reply.raw.setHeader('x-request-id', request.id)
    reply.hijack()
    ui.routing(request.raw, reply.raw)
  }
  app.get(DOCS_PREFIX, { schema: { hide: true } }, serve)
  app.get(`${DOCS_PREFIX}/*`, { schema: { hide: true } }, serve)
  app.addHook('onClose', async () => {
    if (docs !== undefined) await (await docs).close()
  })
}

// Registers @fastify/swagger with the document rules and serves GET /openapi.json (optionally ?integration=<slug>).
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import { Type } from '@sinclair/typebox'
import { INTEGRATIONS } from '../../schemas/integrations.js'
import { StringEnum } from '../../schemas/common.js'
import type { FixtureFile } from '../../domain/catalogue/store-builder.js'
import { decorateDocument, documentForIntegration } from './document.js'
import { credentialsHint, docsCredentials, integrationExamples, type DocsCredentials } from './examples.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const OpenApiQuery = Type.Object({
  integration: Type.Optional(StringEnum(INTEGRATIONS.map((row) => row.slug), { description: "Serve this integration's adjust variant as the body." }))
})

/** The URL the server listens on, from its bound address (never port 0); '/' before it listens. */
export function listeningUrl (app: Pick<FastifyInstance, 'server'>): string {
  const address = app.server.address() as AddressInfo | string | null
  if (address === null || typeof address === 'string') return '/'
  const wildcard = address.address === '0.0.0.0' || address.address === '::'
  const host = wildcard ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}

export interface OpenApi {
  /** The document as served, servers included; `slug` narrows the adjust body to one integration. */
  document (slug?: string): Json
  credentials: DocsCredentials | undefined
}

export async function registerOpenApi (app: FastifyInstance, version: string, fixtures: FixtureFile): Promise<OpenApi> {
  const examples = integrationExamples(fixtures)
  const credentials = docsCredentials(examples)
  const authHint = credentialsHint(credentials)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'trackstar-sandbox',
        description: "A local, stateful emulator of Trackstar's PUT /cart/products/{product_id}/adjust-inventory, its read-backs and a test control plane (/_sandbox)." + authHint,
        version
      }
    },
    // Shared schemas keep their $id as their component name, so the document names them as the seed does.
    refResolver: { buildLocalReference: (json) => json.$id as string },
    transformObject: (({ openapiObject }: { openapiObject: Json }) => decorateDocument(openapiObject, examples)) as never
  })
  const perIntegration = new Map<string, Json>()
  const document = (slug?: string): Json => {
    const base = app.swagger() as unknown as Json
    let chosen = base
    if (slug !== undefined) {
      chosen = perIntegration.get(slug) ?? documentForIntegration(base, examples, slug)
      perIntegration.set(slug, chosen)
    }
    // Computed per request: the port is only known once listening (port 0 picks one).
    return { ...chosen, servers: [{ url: listeningUrl(app), description: 'This sandbox' }] }
  }
  app.get('/openapi.json', { schema: { hide: true, querystring: OpenApiQuery } }, async (request) => document((request.query as { integration?: string }).integration))
  return { document, credentials }
}

// /docs, the Swagger UI, showing the app's own document (the one /openapi.json serves) and answering errors as the app does.
import type { FastifyInstance } from 'fastify'
import swaggerUi from '@fastify/swagger-ui'
import type { OpenApi } from './openapi/register.js'

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

export async function registerDocs (app: FastifyInstance, openapi: OpenApi): Promise<void> {
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: uiConfig(openapi),
    // The served document, servers included, rather than the plugin's copy of the bare one.
    transformSpecificationClone: false,
    transformSpecification: () => openapi.document()
  })
}

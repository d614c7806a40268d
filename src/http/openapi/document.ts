// The served OpenAPI document: what every emulated operation gets (security, error answers, headers, ids, one tag),
// the adjust body as an anyOf of the 17 variants, and one document per integration with its own variant.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger'
import { INTEGRATIONS } from '../../schemas/integrations.js'
import { ACCESS_TOKEN_HEADER, API_KEY_HEADER } from '../../domain/auth.js'
import { IDEMPOTENCY_HEADER } from '../idempotency.js'
import { openapiExamples, type IntegrationExample } from './examples.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

export const ADJUST_PATH = '/cart/products/{product_id}/adjust-inventory'
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options']
const WRITES = new Set(['put', 'post', 'patch', 'delete'])
const BODY_STATUSES = new Set(['409', '413', '415'])
const ERROR_REF = { $ref: '#/components/schemas/TrackstarError' }

/** Every error status an emulated operation can answer, with when. */
export const ERROR_STATUSES: Record<string, string> = {
  400: 'The body is not valid JSON or not valid UTF-8, or an Idempotency-Key was reused with another body or path.',
  401: 'Missing or unknown x-trackstar-api-key or x-trackstar-access-token, or a token of another organisation.',
  403: 'A read-only key on a write, or the action is disabled for this connection.',
  404: 'Unknown product or warehouse (the body names it in `id`), or no such route.',
  405: 'The path exists under other methods (listed in `allow`).',
  409: 'A request with the same Idempotency-Key is still being processed.',
  413: 'The request body is larger than 1 MiB.',
  415: 'The body is not application/json, or its charset is not UTF-8, or it is compressed.',
  422: 'Validation failed: `detail.<location>.<field>` lists every message (locations json, path, query, headers).',
  429: "The access token's rate limit is spent: retry after `retry-after` seconds.",
  501: "The connection's integration does not implement this action.",
  503: 'The sandbox is shutting down.'
}

const header = (description: string, schema: Json): Json => ({ description, schema })
const COMPONENT_HEADERS: Json = {
  'x-request-id': header('The request id: the client\'s own x-request-id when 1..200 visible ASCII characters, else a fresh UUID.', { type: 'string' }),
  'x-ratelimit-limit': header('Requests allowed per second for this token and kind (reads or writes).', { type: 'integer' }),
  'x-ratelimit-remaining': header('Requests left in the current one-second window.', { type: 'integer' }),
  'x-ratelimit-reset': header('The epoch second the current window ends.', { type: 'integer' }),
  'retry-after': header('Whole seconds to wait before retrying.', { type: 'integer', minimum: 1 }),
  'idempotent-replayed': header('`true` when this answer is the replay of an earlier request with the same Idempotency-Key.', { type: 'string', enum: ['true'] }),
  allow: header('The methods the path accepts.', { type: 'string' })
}
const headerRefs = (names: string[]): Json => Object.fromEntries(names.map((name) => [name, { $ref: `#/components/headers/${name}` }]))
const RATE_HEADERS = ['x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']

const SECURITY_SCHEMES: Json = {
  apiKey: { type: 'apiKey', in: 'header', name: API_KEY_HEADER, description: 'Your organisation-level Trackstar API key.' },
  accessToken: { type: 'apiKey', in: 'header', name: ACCESS_TOKEN_HEADER, description: 'The access token of one connection (one store of one integration).' },
  adminToken: { type: 'http', scheme: 'bearer', description: 'SANDBOX_ADMIN_TOKEN, when the sandbox is started with one; else the control plane is open.' }
}

const IDEMPOTENCY_PARAMETER: Json = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A retry with the same key and body on the same connection within 24 h answers the first successful response again, with `idempotent-replayed: true`, and changes nothing.',
  schema: { type: 'string', minLength: 1, maxLength: 255 }
}

const isEmulated = (path: string): boolean => path.startsWith('/cart/') || path.startsWith('/sandbox/')

function tagOf (path: string, given: unknown): string {
  if (path.startsWith('/cart/products')) return 'Products'
  if (path.startsWith('/cart/warehouses')) return 'Warehouses'
  if (path.startsWith('/cart/')) return 'cart'
  if (path.startsWith('/sandbox/')) return 'sandbox'
  const first = Array.isArray(given) ? given[0] as unknown : undefined
  return typeof first === 'string' ? first : 'sandbox control'
}

/** `get_cart_products_product_id`, `post_control_connections`: from the method and path, for operations without one. */
export function operationIdOf (method: string, path: string): string {
  const words = path.replace(/^\/_sandbox/, '/control').split('/').filter((part) => part !== '').map((part) => part.replace(/[{}]/g, ''))
  return [method, ...words].join('_').replace(/[^A-Za-z0-9_]+/g, '_')
}

function errorResponse (status: string, path: string, given: Json | undefined): Json {
  const names = status === '429' ? [...RATE_HEADERS, 'retry-after'] : status === '405' ? ['x-request-id', 'allow'] : isEmulated(path) ? RATE_HEADERS : ['x-request-id']
  const schema = (given?.content?.['application/json']?.schema as Json | undefined)?.title === 'TrackstarError' ? ERROR_REF : given?.content?.['application/json']?.schema ?? ERROR_REF
  return { description: ERROR_STATUSES[status], headers: headerRefs(names), content: { 'application/json': { schema } } }
}

/** Applies the rules every operation shares; new routes get them without declaring anything. */
function decorateOperation (method: string, path: string, operation: Json, usedIds: Set<string>): void {
  operation.tags = [tagOf(path, operation.tags)]
  let id = typeof operation.operationId === 'string' ? operation.operationId : operationIdOf(method, path)
  for (let n = 2; usedIds.has(id); n++) id = `${operationIdOf(method, path)}_${n}`
  usedIds.add(id)
  operation.operationId = id
  const emulated = isEmulated(path)
  const write = WRITES.has(method)
  // The auth headers are security schemes, not parameters: /docs authorizes once for every operation.
  const parameters = ((operation.parameters ?? []) as Json[]).filter((p) => !(p.in === 'header' && [API_KEY_HEADER, ACCESS_TOKEN_HEADER].includes(String(p.name).toLowerCase())))
  if (emulated && write && !parameters.some((p) => String(p.name).toLowerCase() === IDEMPOTENCY_HEADER)) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' })
  if (parameters.length > 0) operation.parameters = parameters
  else delete operation.parameters
  const responses: Json = operation.responses ?? {}
  for (const [status, response] of Object.entries<Json>(responses)) {
    if (status.startsWith('2')) {
      response.headers = { ...headerRefs(emulated ? RATE_HEADERS : ['x-request-id']), ...(emulated && write ? headerRefs(['idempotent-replayed']) : {}), ...response.headers }
      if (response.description === 'Default Response') response.description = 'Success'
    }
  }
  // Only a write has a body to refuse (413, 415) or an Idempotency-Key in flight (409).
  const statuses = emulated
    ? Object.keys(ERROR_STATUSES).filter((s) => write || !BODY_STATUSES.has(s))
    : Object.keys(responses).filter((s) => ERROR_STATUSES[s] !== undefined)
  for (const status of statuses) responses[status] = errorResponse(status, path, responses[status])
  operation.responses = responses
  if (path === '/sandbox/generate-sandbox/cart') operation.security = [{ apiKey: [] }]
  else if (emulated) operation.security = [{ apiKey: [], accessToken: [] }]
  else operation.security = [{}, { adminToken: [] }]
}

/** The adjust body: an anyOf of every variant (valid bodies match several, so never a oneOf), or one integration's variant. */
export function adjustRequestBody (examples: IntegrationExample[], slug?: string): Json {
  const rows = slug === undefined ? INTEGRATIONS : INTEGRATIONS.filter((row) => row.slug === slug)
  const refs = rows.map((row) => ({ $ref: `#/components/schemas/${row.schemaName}` }))
  const chosen = examples.filter((example) => slug === undefined || example.row.slug === slug)
  return {
    required: true,
    description: slug === undefined
      ? "The body of the connection's integration: any one of the 17 variants. Fetch /openapi.json?integration=<slug> for a document with one integration's variant only."
      : `The ${rows.map((row) => row.displayName).join('')} variant.`,
    content: { 'application/json': { schema: refs.length === 1 ? refs[0] : { anyOf: refs }, examples: openapiExamples(chosen) } }
  }
}

/** @fastify/swagger's transformObject: the shared rules on every operation, the components they name, the anyOf body. */
export function decorateDocument (document: Json, examples: IntegrationExample[]): Json {
  const usedIds = new Set<string>()
  const tags = new Set<string>()
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined
      if (operation === undefined) continue
      decorateOperation(method, path, operation, usedIds)
      tags.add(operation.tags[0] as string)
    }
  }
  const adjust = document.paths?.[ADJUST_PATH]?.put as Json | undefined
  if (adjust !== undefined) adjust.requestBody = adjustRequestBody(examples)
  const components = document.components ?? {}
  components.securitySchemes = { ...SECURITY_SCHEMES, ...components.securitySchemes }
  components.headers = { ...COMPONENT_HEADERS, ...components.headers }
  components.parameters = { IdempotencyKey: IDEMPOTENCY_PARAMETER, ...components.parameters }
  document.components = components
  document.tags = [...tags].map((name) => ({ name }))
  return document
}

/** The same document with one integration's variant as the adjust body (one typed client per integration). */
export function documentForIntegration (document: Json, examples: IntegrationExample[], slug: string): Json {
  const copy = structuredClone(document)
  const adjust = copy.paths?.[ADJUST_PATH]?.put as Json | undefined
  if (adjust !== undefined) adjust.requestBody = adjustRequestBody(examples, slug)
  return copy
}

export type SwaggerTransformObject = NonNullable<FastifyDynamicSwaggerOptions['transformObject']>

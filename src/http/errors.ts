// The error and not-found handlers: anything thrown, and Fastify's and Node's own client errors, answered in Trackstar's shape.
import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ajvErrorsToDetail } from '../domain/validation.js'
import { ApiError, methodNotAllowed, notFound, validationFailed, type ErrorBody } from '../domain/errors.js'

const LOCATIONS = { body: 'json', querystring: 'query', params: 'path', headers: 'headers' } as const

// Fastify's own client errors, by code, with the status and words the sandbox answers.
const FASTIFY_CLIENT_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Unsupported media type: send the body as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'Request body size did not match Content-Length.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The request body is empty; send a JSON object.'],
  // Malformed text and __proto__/constructor keys (prototype poisoning) alike.
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'The request body is not valid JSON.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large.'],
  FST_ERR_CTP_INVALID_TYPE: [415, 'Unsupported media type: send the body as application/json.'],
  FST_ERR_BAD_URL: [400, 'The URL is not valid: it has a malformed percent-encoding.'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'A path parameter is too long.']
}

/** Turns anything thrown in a request into Trackstar's error shape; only a real defect becomes a 500. */
export function toApiError (error: FastifyError | Error): ApiError {
  if (error instanceof ApiError) return error
  const fastifyError = error as FastifyError
  if (fastifyError.validation) {
    const location = LOCATIONS[fastifyError.validationContext as keyof typeof LOCATIONS]
    return validationFailed(ajvErrorsToDetail(fastifyError.validation as never, location))
  }
  const known = fastifyError.code ? FASTIFY_CLIENT_ERRORS[fastifyError.code] : undefined
  if (known) return new ApiError(known[0], { error: known[1], origin: 'trackstar' })
  const status = fastifyError.statusCode
  if (status !== undefined && status >= 400 && status < 500) return new ApiError(status, { error: error.message, origin: 'trackstar' })
  return new ApiError(500, { error: 'Internal sandbox error. This is a bug in trackstar-sandbox; the request id is in x-request-id.', origin: 'trackstar' })
}

export function sendError (reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.statusCode).headers(error.headers).type('application/json; charset=utf-8').send(error.body)
}

/** Fastify's `frameworkErrors`: errors raised by the router before any hook runs (bad URL encoding, too-long ids). */
export function frameworkErrorHandler (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id)
  sendError(reply, toApiError(error))
}

// HTTP-level client errors (unparseable request, headers too large, timeouts) arrive before there is a request.
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request took too long to arrive; send headers and body promptly.'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are too large.']
}

/** Node's `clientError`: answers a malformed or too-slow request in Trackstar's shape, then closes the socket. */
export function clientErrorHandler (error: Error & { code?: string }, socket: Socket): void {
  // A reset or already closed socket has nobody left to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const [status, reason, message] = CLIENT_ERRORS[String(error.code)] ?? [400, 'Bad Request', 'The request is not valid HTTP.']
  const body = JSON.stringify({ error: message, origin: 'trackstar' } satisfies ErrorBody)
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`)
  socket.destroySoon()
}

interface KnownRoute { method: string, pattern: RegExp }

/** Registers the error and not-found handlers; a path served under another method answers 405. */
export function registerErrorHandlers (app: FastifyInstance): void {
  const routes: KnownRoute[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const pattern = new RegExp('^' + route.url.split('/').map((part) => part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/') + '$')
    for (const method of methods) routes.push({ method, pattern })
  })

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // The router matches `/cart/products/` to `/cart/products/:product_id` with an empty id: no route, as any unknown path.
    const apiError = emptyPathParameter(error, request) ? noRoute(request) : toApiError(error)
    // Only a defect is an error in the log; a 501 or a 503 while closing is an answer like any other.
    if (apiError.statusCode === 500) request.log.error({ err: error }, 'unexpected error')
    return sendError(reply, apiError)
  })

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request)
    // A browser opening the root lands on the console; every other client keeps the JSON 404.
    if (path === '/' && request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')) return reply.redirect('/_sandbox/ui', 302)
    const allowed = [...new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method))]
    if (allowed.length > 0) {
      return sendError(reply, methodNotAllowed(request.method, path, allowed))
    }
    return sendError(reply, noRoute(request))
  })
}

const pathOf = (request: FastifyRequest): string => request.url.replace(/\?.*$/s, '')
const noRoute = (request: FastifyRequest): ApiError => notFound(`No route for ${request.method} ${pathOf(request)}.`)
const emptyPathParameter = (error: FastifyError, request: FastifyRequest): boolean =>
  error.validationContext === 'params' && Object.values(request.params as Record<string, unknown>).includes('')

// Every error the sandbox answers with, in Trackstar's shape ({error, origin, id?, detail?}); src/http/errors.ts sends them.

export type Origin = 'trackstar' | 'integration'
/** `{location: {field: [messages]}}`; locations are json, path, query, headers. */
export type Detail = Record<string, Record<string, string[]>>

export interface ErrorBody {
  error: string
  origin: Origin
  id?: string
  detail?: Detail
}

export class ApiError extends Error {
  readonly statusCode: number
  readonly body: ErrorBody
  readonly headers: Record<string, string>

  constructor (statusCode: number, body: ErrorBody, headers: Record<string, string> = {}) {
    // An answer, not a defect: capturing a stack trace through Fastify's hook chain cost more than the rest of a 422.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(body.error)
    Error.stackTraceLimit = limit
    this.statusCode = statusCode
    this.body = body
    this.headers = headers
  }
}

export const unauthorized = (message: string): ApiError => new ApiError(401, { error: message, origin: 'trackstar' })
export const forbidden = (message: string): ApiError => new ApiError(403, { error: message, origin: 'trackstar' })
export const notImplemented = (action: string, integration: string): ApiError =>
  new ApiError(501, { error: `Endpoint ${action} is not implemented for ${integration}`, origin: 'trackstar' })
export const notFound = (message: string, id?: string): ApiError =>
  new ApiError(404, { error: message, origin: 'trackstar', ...(id === undefined ? {} : { id }) })
export const badRequest = (message: string): ApiError => new ApiError(400, { error: message, origin: 'trackstar' })
/** A known path under a method it does not have: 405 naming the methods it has, also in `allow`. */
export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]): ApiError =>
  new ApiError(405, { error: `Method ${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`, origin: 'trackstar' }, { allow: allowed.join(', ') })
export const shuttingDown = (): ApiError =>
  new ApiError(503, { error: 'The sandbox is shutting down; retry once it is back.', origin: 'trackstar' }, { connection: 'close' })
export const validationFailed = (detail: Detail, message = 'The request was invalid.', origin: Origin = 'trackstar'): ApiError =>
  new ApiError(422, { error: message, origin, detail })
/** A 422 on one field, e.g. `fieldError('json', 'warehouse_id', 'Unknown warehouse.')`. */
export const fieldError = (location: string, field: string, message: string, origin: Origin = 'trackstar', summary?: string): ApiError =>
  validationFailed({ [location]: { [field]: [message] } }, summary ?? message, origin)

// The client's errors: an answer that was not a success, input refused before sending, a wait that ran out.

/** Trackstar's error body, as every 4xx/5xx of the sandbox carries it. */
export interface TrackstarErrorBody {
  error: string
  origin: 'trackstar' | 'integration'
  id?: string
  detail?: Record<string, Record<string, string[]>>
}

// Matched by a registered symbol, so an error thrown by the CommonJS copy is still an instance for an ES module importer.
const CLIENT_ERROR = Symbol.for('trackstar-sandbox.SandboxClientError')
const INPUT_ERROR = Symbol.for('trackstar-sandbox.SandboxInputError')

const branded = (value: unknown, brand: symbol): boolean => typeof value === 'object' && value !== null && brand in value

/** A control-plane call the sandbox answered with a status ≥ 400; `body` is Trackstar's error body. */
export class SandboxClientError extends Error {
  readonly status: number
  readonly body: TrackstarErrorBody
  readonly method: string
  readonly path: string
  readonly [CLIENT_ERROR] = true

  constructor (method: string, path: string, status: number, body: TrackstarErrorBody) {
    super(`${method} ${path} answered ${status}: ${body.error}`)
    this.name = 'SandboxClientError'
    this.method = method
    this.path = path
    this.status = status
    this.body = body
  }

  /** The same as `status`. */
  get statusCode (): number { return this.status }

  static [Symbol.hasInstance] (value: unknown): boolean { return branded(value, CLIENT_ERROR) }
}

/** Input the client refused before sending anything: `field` is its dotted path, e.g. `match.product_id`. */
export class SandboxInputError extends Error {
  readonly field: string
  readonly reason: string
  readonly [INPUT_ERROR] = true

  constructor (operation: string, field: string, reason: string) {
    super(`${operation}: ${field === '' ? 'the input' : field}: ${reason}`)
    this.name = 'SandboxInputError'
    this.field = field
    this.reason = reason
  }

  static [Symbol.hasInstance] (value: unknown): boolean { return branded(value, INPUT_ERROR) }
}

/** waitForDelivery() saw no matching delivery in time. */
export class SandboxTimeoutError extends Error {
  readonly timeoutMs: number

  constructor (what: string, timeoutMs: number) {
    super(`No ${what} within ${timeoutMs} ms.`)
    this.name = 'SandboxTimeoutError'
    this.timeoutMs = timeoutMs
  }
}

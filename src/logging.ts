// Logger options: credentials redacted everywhere, and per-request child loggers made only when something is logged.
import type { FastifyBaseLogger, FastifyLogFn } from 'fastify'
import { SECRET_HEADERS } from './services/journal.js'

// The request as Fastify logs it, and any headers object logged on its own or one level down.
export const REDACT = {
  // The same credential headers the journal redacts.
  paths: [...SECRET_HEADERS].flatMap((h) => [`req.headers["${h}"]`, `headers["${h}"]`, `*.headers["${h}"]`]),
  censor: '[redacted]'
}

/**
 * Stands in for a request's child logger until something is logged through it. Making a pino child serializes its
 * bindings and sets up redaction: about 2% of an emulated request's CPU, spent even when the level (warn, the usual
 * setting under load) logs nothing per request.
 */
type Bindings = Parameters<FastifyBaseLogger['child']>[0]
type ChildLoggerOptions = Parameters<FastifyBaseLogger['child']>[1]

class LazyChildLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #child: FastifyBaseLogger | undefined

  constructor (parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get level (): string { return this.#parent.level }
  set level (level: string) { this.#real().level = level }

  #real (): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options)
    return this.#child
  }

  fatal: FastifyLogFn = (...args: Parameters<FastifyLogFn>) => this.#real().fatal(...args)
  error: FastifyLogFn = (...args: Parameters<FastifyLogFn>) => this.#real().error(...args)
  warn: FastifyLogFn = (...args: Parameters<FastifyLogFn>) => this.#real().warn(...args)
  info: FastifyLogFn = (...args: Parameters<FastifyLogFn>) => this.#real().info(...args)
  debug: FastifyLogFn = (...args: Parameters<FastifyLogFn>) => this.#real().debug(...args)
  trace: FastifyLogFn = (...args: Parameters<FastifyLogFn>) => this.#real().trace(...args)
  silent: FastifyLogFn = () => {}

  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options)
  }
}

/** Fastify's childLoggerFactory: a real child when each request logs (info and below), a lazy one otherwise. */
export function childLoggers (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  const { isLevelEnabled } = logger as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean }
  if (isLevelEnabled?.call(logger, 'info') !== false) return logger.child(bindings, options)
  return new LazyChildLogger(logger, bindings, options)
}

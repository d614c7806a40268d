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
 * Stands in for a request's child logger until something is logged through it: making a pino child serializes its
 * bindings and sets up redaction, work wasted when the level logs nothing per request.
 */
type Bindings = Parameters<FastifyBaseLogger['child']>[0]
type ChildLoggerOptions = Parameters<FastifyBaseLogger['child']>[1]

class LazyChildLogger implements FastifyBaseLogger {
  readonly #parent: LevelAwareLogger
  readonly #bindings: Bindings
  readonly #options: ChildLoggerOptions
  #child: FastifyBaseLogger | undefined

  constructor (parent: LevelAwareLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent
    this.#bindings = bindings
    this.#options = options
  }

  get level (): string { return this.#child?.level ?? this.#parent.level }
  set level (level: string) { this.#real().level = level }

  #real (): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options)
    return this.#child
  }

  // Fastify logs every request at info ("incoming request", "request completed"): below that level such a call
  // must not make the child it would be written through. Prototype methods, not one closure per method per request.
  #log (level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', args: Parameters<FastifyLogFn>): void {
    if (this.#child === undefined && !this.#parent.isLevelEnabled(level)) return
    ;(this.#real()[level] as (...a: unknown[]) => void)(...args)
  }

  fatal (...args: Parameters<FastifyLogFn>): void { this.#log('fatal', args) }
  error (...args: Parameters<FastifyLogFn>): void { this.#log('error', args) }
  warn (...args: Parameters<FastifyLogFn>): void { this.#log('warn', args) }
  info (...args: Parameters<FastifyLogFn>): void { this.#log('info', args) }
  debug (...args: Parameters<FastifyLogFn>): void { this.#log('debug', args) }
  trace (...args: Parameters<FastifyLogFn>): void { this.#log('trace', args) }
  silent (): void {}

  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options)
  }
}

type LevelAwareLogger = FastifyBaseLogger & { isLevelEnabled: (level: string) => boolean }

/** Fastify's childLoggerFactory: a real child when each request logs (info and below), a lazy one otherwise. */
export function childLoggers (logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  const { isLevelEnabled } = logger as Partial<LevelAwareLogger>
  if (isLevelEnabled?.call(logger, 'info') !== false) return logger.child(bindings, options)
  return new LazyChildLogger(logger as LevelAwareLogger, bindings, options)
}

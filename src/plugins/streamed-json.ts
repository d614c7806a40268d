// The control plane's JSON parser: large bodies (catalogues of 100,000 products) decoded to text as they arrive.
import { errorCodes, type FastifyInstance } from 'fastify'
import { invalidUtf8, readsEmptyAsObject, unreadableBody } from '../http-edges.js'

/**
 * Fastify's own parser keeps every raw chunk of a body until its end, then copies them into one Buffer: for a large
 * catalogue the C heap grows by the body's size and never shrinks (glibc cannot give back memory below allocations
 * made later). Decoded chunk by chunk, each raw chunk is garbage as soon as it is read, the young generation frees
 * it, and the next chunk reuses its memory. The text is then parsed by Fastify's own JSON parser,
 * with the same prototype-poisoning rules and errors. A custom parser does not get Fastify's body-limit and
 * Content-Length checks, so they are restated here, with Fastify's own errors.
 */
export function decodeJsonAsItArrives (app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', (request, payload, done) => {
    const refused = unreadableBody(request.headers)
    if (refused !== undefined) return done(refused, undefined)
    const limit = request.routeOptions.bodyLimit
    const declared = Number(request.headers['content-length'])
    if (declared > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined)

    // Fatal: a body that is not valid UTF-8 is refused, never read with replacement characters.
    const decoder = new TextDecoder('utf-8', { fatal: true })
    const parts: string[] = []
    let received = 0
    const stop = (): void => {
      payload.removeListener('data', onData)
      payload.removeListener('end', onEnd)
      payload.removeListener('error', onEnd)
    }
    function onData (chunk: Buffer): void {
      received += chunk.length
      if (received > limit) {
        stop()
        done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), undefined)
        return
      }
      try {
        parts.push(decoder.decode(chunk, { stream: true }))
      } catch {
        stop()
        done(invalidUtf8(), undefined)
      }
    }
    function onEnd (err?: Error & { statusCode?: number }): void {
      stop()
      if (err !== undefined && err !== null) {
        if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400
        done(err, undefined)
        return
      }
      if (!Number.isNaN(declared) && received !== declared) {
        done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), undefined)
        return
      }
      try {
        parts.push(decoder.decode())
      } catch {
        return done(invalidUtf8(), undefined)
      }
      const text = parts.join('')
      if (text === '' && readsEmptyAsObject(request)) return done(null, {})
      parseJson(request, text, done)
    }
    payload.on('data', onData)
    payload.on('end', onEnd)
    payload.on('error', onEnd)
    payload.resume()
  })
}

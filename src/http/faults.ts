// Fault hooks: the first matching fault answers, delays or drops the request, before or after the real handling.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ACCESS_TOKEN_HEADER } from '../domain/auth.js'
import { faultAnswer, type Fault, type FaultStore } from '../domain/faults.js'
import type { Journal } from '../domain/journal/journal.js'
import { markFault, recordDropped } from './journal.js'

const chosen = new WeakMap<FastifyRequest, Fault>()

/**
 * Registers fault injection on the emulated API's plugin; call it before the admission hook so a fault answers
 * before auth, rate limits or any state is touched.
 */
export function injectFaults (app: FastifyInstance, faults: FaultStore, journal: Journal): void {
  // Callback-style: a request no fault matches (nearly all of them) does not wait.
  app.addHook('onRequest', (request, reply, done) => {
    const token = request.headers[ACCESS_TOKEN_HEADER]
    const fault = faults.take({
      method: request.method,
      path: request.url.split('?')[0] as string,
      accessToken: typeof token === 'string' ? token : undefined,
      productId: (request.params as { product_id?: string }).product_id
    })
    if (!fault) return done()
    markFault(request, fault.id)
    if (fault.action.after === true) {
      chosen.set(request, fault)
      return done()
    }
    return answerBefore(request, reply, fault)
  })

  const answerBefore = async (request: FastifyRequest, reply: FastifyReply, fault: Fault): Promise<FastifyReply | undefined> => {
    if (fault.action.delay_ms !== undefined) await sleep(fault.action.delay_ms)
    if (fault.action.drop === true) return drop(request, reply, journal, null)
    if (fault.action.status !== undefined) {
      const answer = faultAnswer(fault)
      return reply.code(answer.status).headers(answer.headers).type('application/json; charset=utf-8').send(answer.payload)
    }
    return undefined
  }

  app.addHook('onSend', (request, reply, payload, done) => {
    const fault = chosen.get(request)
    if (!fault) return done(null, payload)
    return answerAfter(request, reply, payload, fault)
  })

  const answerAfter = async (request: FastifyRequest, reply: FastifyReply, payload: unknown, fault: Fault): Promise<unknown> => {
    if (fault.action.delay_ms !== undefined) await sleep(fault.action.delay_ms)
    if (fault.action.drop === true) {
      drop(request, reply, journal, reply.statusCode)
      return payload
    }
    if (fault.action.status === undefined) return payload
    const answer = faultAnswer(fault)
    markFault(request, fault.id, answer.payload)
    reply.code(answer.status).headers(answer.headers).type('application/json; charset=utf-8')
    return answer.payload
  }
}

/** Closes the socket; `status` is what the handler answered when dropping after the handling, null before it. */
function drop (request: FastifyRequest, reply: FastifyReply, journal: Journal, status: number | null): FastifyReply {
  recordDropped(journal, request, reply, status)
  if (status === null) reply.hijack()
  request.raw.socket.destroy()
  return reply
}

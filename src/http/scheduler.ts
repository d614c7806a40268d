// Applies scheduled (NuOrder future_date) adjustments when they fall due, even if no request arrives to trigger it.
import type { FastifyInstance } from 'fastify'
import type { Sandbox } from '../domain/sandbox.js'

// A timer further out is re-armed instead: the sandbox clock may be moved meanwhile, and setTimeout caps at ~24.8 days.
export const MAX_TIMER_MS = 60_000

/**
 * Keeps one unref'd timer aimed at `inventory.nextDueMs`, re-armed after every answer (an adjustment may have
 * scheduled something, a clock change or reset may have moved everything) and after each firing.
 * A frozen clock makes nothing due by itself, so then the timer is only set when something is due already.
 */
export function registerDueScheduler (app: FastifyInstance, sandbox: Sandbox): { arm: () => void } {
  let timer: NodeJS.Timeout | undefined
  let closing = false

  const arm = (): void => {
    clearTimeout(timer)
    timer = undefined
    const next = sandbox.inventory.nextDueMs
    if (next === null || closing) return
    const wait = next - sandbox.clock.nowMs()
    if (sandbox.clock.frozen && wait > 0) return
    timer = setTimeout(fire, Math.min(Math.max(wait, 0), MAX_TIMER_MS)).unref()
  }
  const fire = (): void => {
    sandbox.inventory.applyDue()
    arm()
  }

  app.addHook('onResponse', (_request, _reply, done) => {
    arm()
    done()
  })
  app.addHook('preClose', async () => {
    closing = true
    clearTimeout(timer)
  })
  arm()
  return { arm }
}

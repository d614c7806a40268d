// Test helpers: an in-memory app per test, a real listening server on port 0, and the fixtures' well-known credentials.
import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../src/app.js'
import type { SandboxConfig } from '../src/config.js'

export const API_KEY = 'sandbox_api_key'
export const token = (slug: string): string => `acme_${slug === '_base' ? 'base' : slug}_token`

/** An app on an in-memory database with the bundled fixtures, closed when the test ends. */
export async function build (t: Test, config: Partial<SandboxConfig> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ dbPath: ':memory:', rateLimit: false, ...config }, { logger: false })
  t.teardown(() => app.close())
  return app
}

/** A temporary directory removed when the test ends. */
export function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'trackstar-sandbox-test-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A real server on 127.0.0.1 and a free port; returns its base URL. */
export async function listen (t: Test, config: Partial<SandboxConfig> = {}): Promise<{ app: FastifyInstance, url: string }> {
  const app = await build(t, config)
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url: address }
}

export const headersFor = (slug: string, apiKey = API_KEY): Record<string, string> => ({
  'x-trackstar-api-key': apiKey,
  'x-trackstar-access-token': token(slug)
})

/** PUT an adjustment through inject with the fixtures' credentials for `slug`. */
export function adjust (app: FastifyInstance, slug: string, productId: string, body: unknown, headers: Record<string, string> = headersFor(slug)) {
  return app.inject({ method: 'PUT', url: `/cart/products/${encodeURIComponent(productId)}/adjust-inventory`, headers, payload: body as object })
}

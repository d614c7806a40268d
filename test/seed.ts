// The repo's copy of Trackstar's seed spec, and an Ajv validator for the seed's own CartProductApiItemSchema.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { createAjv } from '../src/domain/validation.js'

type Schema = Record<string, unknown>
export const SEED_PATH = join(import.meta.dirname, '..', 'spec', 'trackstar-adjust-inventory.openapi.yaml')
export const seed = parse(readFileSync(SEED_PATH, 'utf8')) as { components: { schemas: Record<string, Schema> }, paths: Record<string, unknown> }
export const seedSchemas = seed.components.schemas

/** Rewrites the seed's `#/components/schemas/X` refs to bare ids so Ajv can resolve them. */
function localRefs (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(localRefs)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '') : localRefs(v)]))
  }
  return value
}

const ajv = createAjv()
for (const name of ['ProductMeasurements', 'CartProductApiItemSchema']) ajv.addSchema({ ...(localRefs(seedSchemas[name]) as Schema), $id: name })

/** Validates a product against the seed's schema (not ours): returns Ajv's errors or null. */
export function seedProductErrors (product: unknown): unknown[] | null {
  const validate = ajv.getSchema('CartProductApiItemSchema')
  return validate?.(product) ? null : (validate?.errors ?? ['no validator'])
}

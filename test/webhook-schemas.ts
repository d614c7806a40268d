// Checks webhook payloads against Trackstar's cart-product.* webhook schemas (test/spec/trackstar-cart-reads.openapi.json, an excerpt of Trackstar's October 2025 OpenAPI).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'

type Schema = Record<string, unknown>
const doc = JSON.parse(readFileSync(join(import.meta.dirname, 'spec', 'trackstar-cart-reads.openapi.json'), 'utf8')) as { components: { schemas: Record<string, Schema> } }
const schemas = doc.components.schemas
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }
// OpenAPI 3.0 schemas: Ajv knows `nullable`; `example` is only documentation.
const ajv = addFormats.default(new Ajv({ allErrors: true, strict: false }))
// OpenAPI's `{nullable: true}` without a type (any value, null included) is JSON Schema's `{}`.
const anyValue = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(anyValue)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value).map(([k, v]) => [k, anyValue(v)])
  const object = Object.fromEntries(entries) as Schema
  return object.nullable === true && object.type === undefined && Object.keys(object).length === 1 ? {} : object
}
ajv.addSchema({ $id: 'cart-reads', components: anyValue(doc.components) })

const compile = (schema: Schema) => ajv.compile(schema)
const productSchema = ajv.getSchema('cart-reads#/components/schemas/CartProductSchema')
const productProperties = (schemas.CartProductSchema as { properties: Record<string, Schema> }).properties

// The envelope exactly as Trackstar's document has it, with `data` and `previous_attributes` checked below.
const envelopes = Object.fromEntries(['cart-product.created', 'cart-product.updated'].map((event) => {
  const name = event === 'cart-product.created' ? 'CartProductsCreatedWebhookSchema' : 'CartProductsUpdatedWebhookSchema'
  const schema = schemas[name] as { properties: Record<string, Schema> }
  const properties = { ...schema.properties, data: { type: 'object' }, ...(schema.properties.previous_attributes ? { previous_attributes: { type: 'object' } } : {}) }
  return [event, compile({ ...schema, properties })]
}))

/**
 * The errors of a cart-product.* payload, or [] when it is valid: the envelope against Trackstar's webhook schema;
 * `data` against the October 2025 CartProductSchema as it is (no other field); each `previous_attributes` key is a
 * field of that schema (or `<object field>.<key>`, Trackstar's notation for nested changes) with a valid value.
 */
export function webhookPayloadErrors (payload: Record<string, unknown>): unknown[] {
  const errors: unknown[] = []
  const envelope = envelopes[String(payload.event_type)]
  if (!envelope) return [`unknown event_type ${String(payload.event_type)}`]
  if (!envelope(payload)) errors.push(...(envelope.errors ?? []))
  if (!productSchema?.(payload.data)) errors.push(...(productSchema?.errors ?? []))
  for (const [key, value] of Object.entries((payload.previous_attributes ?? {}) as Record<string, unknown>)) {
    const [field, inner] = key.split(/\.(.*)/s) as [string, string | undefined]
    const probe = inner === undefined ? { [field]: value } : { [field]: { [inner]: value } }
    if (!(field in productProperties)) errors.push(`previous_attributes.${key} is not a field of Trackstar's webhook product`)
    else if (!productSchema?.(probe)) errors.push(...(productSchema?.errors ?? []).map((e) => ({ key, ...e })))
  }
  return errors
}

/** A product as the API answers it, cut to the fields of Trackstar's webhook product (what a payload's `data` holds). */
export const asWebhookProduct = (product: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(product).filter(([key]) => key in productProperties))

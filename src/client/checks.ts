// Input checks before sending: the control plane's own schemas, so a typo in a filter or a fault fails fast and by name.
import { FormatRegistry, TypeRegistry, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { SandboxInputError } from './errors.js'

// TypeBox knows no formats by default; these two are the ones the control-plane schemas use (the server checks them fully).
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value))
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (value) => URL.canParse(value))

const JSON_TYPES: Record<string, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  integer: (value) => Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
  array: Array.isArray,
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  null: (value) => value === null
}

// The schemas write a few shapes as plain JSON Schema (Type.Unsafe, to match Trackstar's document): a string enum,
// a nullable type, and a map. TypeBox checks Unsafe kinds only through the registry, so those shapes are checked here.
function checkPlainJsonSchema (schema: Record<string, unknown>, value: unknown): boolean {
  const types = schema.type === undefined ? [] : [schema.type].flat() as string[]
  if (types.length > 0 && !types.some((type) => JSON_TYPES[type]?.(value) === true)) return false
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false
  const items = schema.additionalProperties
  if (typeof items === 'object' && items !== null && JSON_TYPES.object?.(value) === true) {
    return Object.values(value as object).every((item) => Value.Check(items as TSchema, item))
  }
  return true
}
if (!TypeRegistry.Has('Unsafe')) TypeRegistry.Set('Unsafe', checkPlainJsonSchema)

const fieldOf = (pointer: string): string => pointer.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')

/** Throws a SandboxInputError naming the first field that does not match `schema`. */
export function check (operation: string, schema: TSchema, value: unknown): void {
  const first = Value.Errors(schema, value).First()
  if (first === undefined) return
  const allowed = (first.schema as { enum?: unknown[] }).enum
  const reason = first.message === 'Unexpected property'
    ? 'unknown field'
    : Array.isArray(allowed) ? `must be one of ${allowed.join(', ')}` : first.message
  throw new SandboxInputError(operation, fieldOf(first.path), reason)
}

/** A filter object as query-string values: numbers become strings, undefined is left out. */
export function toQuery (filter: Record<string, unknown> = {}): Record<string, string> {
  const query: Record<string, string> = {}
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue
    query[key] = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value as string
  }
  return query
}

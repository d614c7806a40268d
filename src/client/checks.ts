// Input checks before sending: the control plane's own schemas, so a typo in a filter or a fault fails fast and by name.
import { FormatRegistry, TypeRegistry, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { SandboxInputError } from './errors.js'

// TypeBox knows no formats by default; these two are the ones the control-plane schemas use (the server checks them fully).
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value))
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (value) => URL.canParse(value))

interface PlainShape { type: string | string[], enum?: unknown[], additionalProperties?: TSchema & { type?: string } }

const jsonTypeOf = (value: unknown): string => value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value

// The schemas write a few shapes as plain JSON Schema (Type.Unsafe, to match Trackstar's document): a string enum,
// a nullable type, and a map. TypeBox checks Unsafe kinds only through the registry, so those shapes are checked here.
function checkPlainJsonSchema (schema: PlainShape, value: unknown): boolean {
  const types = [schema.type].flat()
  if (!types.includes(jsonTypeOf(value)) && !(types.includes('integer') && Number.isInteger(value))) return false
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false
  const values = schema.additionalProperties
  return values === undefined || Object.values(value as object).every((item) => Value.Check(values, item))
}

function describe (shape: PlainShape): string {
  if (Array.isArray(shape.enum)) return `must be one of ${shape.enum.join(', ')}`
  const ofValues = shape.additionalProperties?.type === undefined ? '' : ` of ${shape.additionalProperties.type}`
  return `must be ${[shape.type].flat().join(' or ')}${ofValues}`
}
if (!TypeRegistry.Has('Unsafe')) TypeRegistry.Set('Unsafe', (schema, value) => checkPlainJsonSchema(schema as unknown as PlainShape, value))

const fieldOf = (pointer: string): string => pointer.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')

/** Throws a SandboxInputError naming the first field that does not match `schema`. */
export function check (operation: string, schema: TSchema, value: unknown): void {
  const first = Value.Errors(schema, value).First()
  if (first === undefined) return
  const reason = first.message === 'Unexpected property'
    ? 'unknown field'
    : first.message.startsWith('Expected kind') ? describe(first.schema as unknown as PlainShape) : first.message
  throw new SandboxInputError(operation, fieldOf(first.path), reason)
}

/** A filter object as query-string values: numbers become strings, undefined is left out (anything else is checked as given). */
export function toQuery (filter: Record<string, unknown> = {}): Record<string, string> {
  const query: Record<string, string> = {}
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue
    query[key] = typeof value === 'number' ? String(value) : value as string
  }
  return query
}

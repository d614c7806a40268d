// One Ajv configuration for the whole sandbox, and the per-integration body validator of the adjust endpoint.
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { TObject } from '@sinclair/typebox'
import type { Detail } from './errors.js'

// An emulator must not repair input: no stripping of unknown keys, no "5" → 5, every violation reported.
export const AJV_OPTIONS: Options = {
  removeAdditional: false,
  coerceTypes: false,
  allErrors: true,
  useDefaults: false,
  // The schemas are the sandbox's own (TypeBox-built, compiled by the tests): no meta-schema check at every start.
  validateSchema: false,
  // The seed's schemas carry OpenAPI's `example`, which JSON Schema does not define.
  keywords: ['example']
}

// ajv-formats is CommonJS with a default export; under NodeNext the callable is on .default.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv }

export function createAjv (): Ajv {
  const ajv = new Ajv(AJV_OPTIONS)
  addFormats.default(ajv)
  return ajv
}

/** Renders Ajv errors as Trackstar's `detail` (`{location: {field: [message]}}`), marshmallow's wording. */
export function ajvErrorsToDetail (errors: readonly ErrorObject[], location: string, detail: Detail = {}): Detail {
  for (const error of errors) {
    const field = fieldOf(error)
    addMessage(detail, location, field, messageOf(error))
  }
  return detail
}

export function addMessage (detail: Detail, location: string, field: string, message: string): void {
  const messages = ownEntry(ownEntry(detail, location, () => ({})), field, (): string[] => [])
  if (!messages.includes(message)) messages.push(message)
}

// Field names come from the client ("constructor", "__proto__", "toString"): read and write own properties only,
// never what an object inherits.
function ownEntry<T> (record: Record<string, T>, key: string, create: () => T): T {
  if (!Object.hasOwn(record, key)) Object.defineProperty(record, key, { value: create(), enumerable: true, writable: true, configurable: true })
  return record[key] as T
}

function fieldOf (error: ErrorObject): string {
  const path = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (error.keyword === 'required') path.push(String(error.params.missingProperty))
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty))
  return path.length > 0 ? path.join('.') : '_schema'
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'Not a valid integer.',
  number: 'Not a valid number.',
  string: 'Not a valid string.',
  boolean: 'Not a valid boolean.',
  array: 'Not a valid list.',
  object: 'Invalid input type: expected a JSON object.'
}

function messageOf (error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required': return 'Missing data for required field.'
    case 'additionalProperties': return 'Unknown field.'
    case 'enum': return `Must be one of: ${(params.allowedValues as unknown[]).join(', ')}.`
    case 'type': {
      const type = String(params.type)
      return TYPE_NAMES[type] ?? `Must be of type ${type}.`
    }
    case 'format': return params.format === 'date-time' ? 'Not a valid datetime.' : `Not a valid ${String(params.format)}.`
    case 'minimum': return `Must be greater than or equal to ${String(params.limit)}.`
    case 'maximum': return `Must be less than or equal to ${String(params.limit)}.`
    case 'minLength': return `Shorter than minimum length ${String(params.limit)}.`
    case 'maxLength': return `Longer than maximum length ${String(params.limit)}.`
    case 'pattern': return 'String does not match expected pattern.'
    default: return `${error.message as string}.`
  }
}

export const MAX_QUANTITY = 2_147_483_647
// Trackstar's documented rule: write fields are non-nullable; these literals count as null.
const NULL_LIKE = new Set(['', 'none', 'null'])

/** Validates an adjust body against one integration's variant plus Trackstar's and the sandbox's extra rules. */
export function createAdjustValidator (ajv: Ajv, schema: TObject): (body: unknown) => Detail | null {
  // Compiled on the integration's first adjustment: a test run uses one or two of them, so the start skips the rest.
  let validate: ValidateFunction | undefined
  return (body) => {
    validate ??= ajv.compile(schema)
    const detail: Detail = {}
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      for (const [field, value] of Object.entries(body)) {
        if (value === null || (typeof value === 'string' && NULL_LIKE.has(value.trim().toLowerCase()))) {
          addMessage(detail, 'json', field, 'Field may not be null or empty.')
        }
      }
      const quantity = (body as { quantity?: unknown }).quantity
      if (typeof quantity === 'number' && Number.isInteger(quantity) && (quantity < 0 || quantity > MAX_QUANTITY)) {
        addMessage(detail, 'json', 'quantity', `Must be greater than or equal to 0 and less than or equal to ${MAX_QUANTITY}.`)
      }
    }
    if (!validate(body)) ajvErrorsToDetail(validate.errors as ErrorObject[], 'json', detail)
    return Object.keys(detail).length > 0 ? detail : null
  }
}

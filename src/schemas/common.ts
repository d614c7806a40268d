// Schema helpers shared by the catalogue, the product schema and the control plane.
import { Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox'

/** A string enum rendered as `{type: 'string', enum: [...]}`, the way the seed spec writes it. */
export function StringEnum<T extends string[]> (values: [...T], options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options })
}

/** A JSON Schema 2020 nullable type (`type: [X, 'null']`), as the seed spec writes it, not TypeBox's anyOf. */
export function Nullable<T> (type: 'string' | 'number' | 'integer' | 'array', options: SchemaOptions = {}): TUnsafe<T | null> {
  return Type.Unsafe<T | null>({ type: [type, 'null'], ...options })
}

/** Trackstar's error body: every error carries `error` and `origin`. */
export const ErrorSchema = Type.Object({
  error: Type.String(),
  origin: StringEnum(['trackstar', 'integration']),
  id: Type.Optional(Type.String({ description: "The ID of the item that wasn't found." })),
  detail: Type.Optional(Type.Record(Type.String(), Type.Record(Type.String(), Type.Array(Type.String()))))
}, { $id: 'TrackstarError', title: 'TrackstarError' })

/** Sorts `required` in place: the seed lists required keys alphabetically, and the served document follows it. */
export function withSortedRequired<T extends { required?: string[] | undefined }> (schema: T): T {
  schema.required?.sort()
  return schema
}

/** A string-keyed map written `{type: 'object', additionalProperties: V}` as the seed does (TypeBox's Record uses patternProperties). */
export function MapOf<V extends TSchema> (value: V, options: SchemaOptions = {}): TUnsafe<Record<string, Static<V>>> {
  return Type.Unsafe<Record<string, Static<V>>>({ type: 'object', ...options, additionalProperties: value })
}

// The list parameters of GET /cart/products and GET /cart/warehouses: date filters, ids[in], limit and page tokens.
import { createHash } from 'node:crypto'
import { Type, type TSchema } from '@sinclair/typebox'
import { validationFailed, type Detail } from '../errors.js'
import { addMessage } from '../validation.js'

export const MAX_PAGE = 1000
export const MAX_IDS = 100
export const DATE_FIELDS = ['created_date', 'updated_date'] as const
export type DateField = typeof DATE_FIELDS[number]
const SINGLE_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const
const LIST_OPERATORS = ['in', 'nin'] as const
type Operator = typeof SINGLE_OPERATORS[number] | typeof LIST_OPERATORS[number]

/** One condition: the field's instant (ms) compared with `values` (one for the single operators). */
export interface DateFilter { field: DateField, operator: Operator, values: number[] }

export interface ListQuery {
  /** Set when `ids[in]` was given: every other parameter is then ignored. */
  ids: string[] | null
  filters: DateFilter[]
  limit: number
  /** The position the page starts after (0: the first page). */
  after: number
}

const examples: Record<DateField, string> = { created_date: '2022-03-10T13:00:00Z', updated_date: '2022-03-11T13:00:00Z' }
const DATE_DESCRIPTION = 'Use this parameter to retrieve items filtered to a specific date range. For example, to get all items between 2023-03-10 and 2023-03-22, you would send `created_date[gt]=2023-03-10T00:00:00Z&created_date[lt]=2023-03-22T00:00:00Z.` See the [filtering docs](/how-to-guides/about-the-api#filtering) for more. The date format must always be YYYY-MM-DDTHH:MM:SSZ.'

/** Trackstar's query parameters of the two list operations, named and typed as in its OpenAPI document. */
function trackstarListQuery (): Record<string, TSchema> {
  const properties: Record<string, TSchema> = {
    page_token: Type.String({ description: 'The page token to use to retrieve the next page of results. If this field is omitted, there are no subsequent pages.', example: 'page_token' })
  }
  for (const field of DATE_FIELDS) {
    const date = (description: string) => Type.String({ format: 'date-time', description, example: examples[field] })
    properties[field] = date(field === 'created_date' ? DATE_DESCRIPTION : 'Same syntax as `created_date`.')
    for (const operator of SINGLE_OPERATORS) properties[`${field}[${operator}]`] = date('')
    for (const operator of LIST_OPERATORS) {
      properties[`${field}[${operator}]`] = Type.Array(Type.String({ format: 'date-time', description: '', example: examples[field] }), { description: 'Comma-separated.' })
    }
  }
  properties.limit = Type.Integer({ description: 'The maximum number of items to return. The default is 1000.', example: 1000 })
  properties['ids[in]'] = Type.Array(Type.String({ description: '', example: 'resource_id_1,resource_id_2' }), { description: 'A comma-separated list of resource IDs. If provided, all other query params are ignored.' })
  return properties
}

export const ListQuerySchema = Type.Partial(Type.Object(trackstarListQuery()), { additionalProperties: false })

const ARRAY_PARAMS = new Set(['ids[in]', ...DATE_FIELDS.flatMap((field) => LIST_OPERATORS.map((operator) => `${field}[${operator}]`))])
const KNOWN_PARAMS = new Set(Object.keys(ListQuerySchema.properties))
// RFC 3339 date-time: a date, a time with optional fractions, and Z or an offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

const instant = (raw: string): number => RFC3339.test(raw) ? Date.parse(raw) : NaN

/**
 * Reads the raw query (strings, or arrays for repeated keys) into a ListQuery, or throws one 422 naming every bad
 * parameter under `detail.query`. The page token must have been issued for these same filters.
 */
export function parseListQuery (query: Record<string, unknown>): ListQuery {
  const detail: Detail = {}
  for (const name of Object.keys(query)) if (!KNOWN_PARAMS.has(name)) addMessage(detail, 'query', name, 'Unknown field.')
  const list = (name: string): string[] => [query[name]].flat().flatMap((value) => String(value).split(',')).map((v) => v.trim()).filter((v) => v.length > 0)
  const single = (name: string): string | undefined => {
    const value = query[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string') {
      addMessage(detail, 'query', name, 'Give this parameter once.')
      return undefined
    }
    return value
  }

  if (query['ids[in]'] !== undefined) {
    const ids = [...new Set(list('ids[in]'))]
    if (ids.length > MAX_IDS) addMessage(detail, 'query', 'ids[in]', `At most ${MAX_IDS} ids.`)
    throwIfAny(detail)
    return { ids, filters: [], limit: MAX_PAGE, after: 0 }
  }

  const filters: DateFilter[] = []
  for (const field of DATE_FIELDS) {
    for (const operator of [undefined, ...SINGLE_OPERATORS, ...LIST_OPERATORS]) {
      const name = operator === undefined ? field : `${field}[${operator}]`
      if (query[name] === undefined) continue
      const raw = ARRAY_PARAMS.has(name) ? list(name) : [single(name)].filter((v) => v !== undefined)
      const values = raw.map(instant)
      if (raw.length === 0 || values.some(Number.isNaN)) {
        addMessage(detail, 'query', name, ARRAY_PARAMS.has(name) ? 'Not a valid list of datetimes: give RFC 3339 date-times (e.g. 2022-03-10T13:00:00Z), comma-separated.' : 'Not a valid datetime: give an RFC 3339 date-time, e.g. 2022-03-10T13:00:00Z.')
        continue
      }
      filters.push({ field, operator: operator ?? 'eq', values })
    }
  }
  const limit = parseLimit(single('limit'), detail)
  const after = parsePageToken(single('page_token'), filters, detail)
  throwIfAny(detail)
  return { ids: null, filters, limit, after }
}

function throwIfAny (detail: Detail): void {
  if (Object.keys(detail).length > 0) throw validationFailed(detail)
}

function parseLimit (raw: string | undefined, detail: Detail): number {
  if (raw === undefined) return MAX_PAGE
  const limit = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN
  if (!(limit >= 1 && limit <= MAX_PAGE)) addMessage(detail, 'query', 'limit', `Must be an integer between 1 and ${MAX_PAGE}.`)
  return limit
}

/** Which filters a page token belongs to: the same conditions, in any order, give the same print. */
function filterPrint (filters: DateFilter[]): string {
  const canonical = filters.map((f) => `${f.field}:${f.operator}:${f.values.join(',')}`).sort().join('&')
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16)
}

// Page tokens are opaque to clients; inside they are the position the next page starts after and the filters' print.
export const encodePageToken = (position: number, filters: DateFilter[]): string =>
  Buffer.from(filters.length === 0 ? `p:${position}` : `p:${position}:${filterPrint(filters)}`).toString('base64url')

function parsePageToken (raw: string | undefined, filters: DateFilter[], detail: Detail): number {
  if (raw === undefined) return 0
  const match = /^p:(\d{1,12})(?::([A-Za-z0-9_-]{16}))?$/.exec(Buffer.from(raw, 'base64url').toString('utf8'))
  if (!match) {
    addMessage(detail, 'query', 'page_token', 'Invalid page token: pass back the next_token of a previous page.')
    return 0
  }
  const print = filters.length === 0 ? undefined : filterPrint(filters)
  if (match[2] !== print) addMessage(detail, 'query', 'page_token', 'This page token was issued for other filters: send the same created_date and updated_date filters as the request that returned it.')
  return Number(match[1])
}

/** Whether an item with these dates passes every filter (AND). */
export function matchesFilters (item: Record<DateField, string>, filters: DateFilter[]): boolean {
  for (const filter of filters) {
    const value = Date.parse(item[filter.field])
    const [first] = filter.values as [number]
    switch (filter.operator) {
      case 'eq': if (value !== first) return false; break
      case 'neq': if (value === first) return false; break
      case 'gt': if (!(value > first)) return false; break
      case 'gte': if (!(value >= first)) return false; break
      case 'lt': if (!(value < first)) return false; break
      case 'lte': if (!(value <= first)) return false; break
      case 'in': if (!filter.values.includes(value)) return false; break
      case 'nin': if (filter.values.includes(value)) return false; break
    }
  }
  return true
}

const SQL_OPERATORS: Record<typeof SINGLE_OPERATORS[number], string> = { eq: '=', neq: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' }

/**
 * The filters (at least one) as one SQL condition on a stored JSON `body` (AND), with its parameters; `iso_ms` is the function
 * ProductRepository registers, so dates written with other offsets or fractions compare as instants.
 */
export function filtersToSql (filters: DateFilter[]): { sql: string, params: number[] } {
  const clauses: string[] = []
  const params: number[] = []
  for (const filter of filters) {
    const column = `iso_ms(json_extract(body, '$.${filter.field}'))`
    if (filter.operator === 'in' || filter.operator === 'nin') {
      clauses.push(`${column} ${filter.operator === 'in' ? 'IN' : 'NOT IN'} (${filter.values.map(() => '?').join(', ')})`)
    } else {
      clauses.push(`${column} ${SQL_OPERATORS[filter.operator]} ?`)
    }
    params.push(...filter.values)
  }
  return { sql: clauses.join(' AND '), params }
}

/** The query as the route schema types it (lists as arrays, limit as a number), once parseListQuery has accepted it. */
export function typedQuery (query: Record<string, unknown>): Record<string, unknown> {
  const split = (value: unknown): string[] => [value].flat().flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v.length > 0)
  if (query['ids[in]'] !== undefined) return { 'ids[in]': split(query['ids[in]']) }
  return Object.fromEntries(Object.entries(query).map(([name, value]) => [name, ARRAY_PARAMS.has(name) ? split(value) : name === 'limit' ? Number(value) : value]))
}

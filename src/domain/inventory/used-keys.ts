// Which body keys an adjustment uses: only the Base Schema admits keys beyond its own, and they change nothing.
import type { TObject } from '@sinclair/typebox'
import { ADJUST_SCHEMAS, type IntegrationRow } from '../../schemas/integrations.js'
import type { AdjustBody } from './types.js'

/** The body keys the integration's own variant declares: any other key is an extra with no effect. */
const declaredBySlug = new Map<string, Set<string>>()
const declaredKeys = (integration: IntegrationRow): Set<string> => {
  let keys = declaredBySlug.get(integration.slug)
  if (keys === undefined) declaredBySlug.set(integration.slug, keys = new Set(Object.keys((ADJUST_SCHEMAS.get(integration.slug) as TObject).properties)))
  return keys
}

/** The body with only declared keys: only the Base Schema admits others, and they change nothing. */
export function usedKeys (integration: IntegrationRow, body: AdjustBody): AdjustBody {
  if (!integration.additionalProperties) return body
  const declared = declaredKeys(integration)
  return Object.fromEntries(Object.entries(body).filter(([key]) => declared.has(key))) as unknown as AdjustBody
}

/** Body keys the integration accepted but does not use: only the Base Schema admits any. */
export function unusedFields (integration: IntegrationRow, body: AdjustBody): string[] {
  if (!integration.additionalProperties) return []
  const declared = declaredKeys(integration)
  return Object.keys(body).filter((key) => !declared.has(key))
}

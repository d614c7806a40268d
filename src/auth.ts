// Step 1 of every emulated request: API key → organisation, access token → connection, then the action's permissions.
import type { ApiKeyRecord, Connection, TenantRepository } from './db/repositories/tenants.js'
import { findIntegration, type IntegrationRow } from './integrations/catalog.js'
import { forbidden, notImplemented, unauthorized } from './errors.js'
import type { Action } from './services/stores.js'

export const API_KEY_HEADER = 'x-trackstar-api-key'
export const ACCESS_TOKEN_HEADER = 'x-trackstar-access-token'

export interface Caller {
  organisationId: string
  connection: Connection
  integration: IntegrationRow
}

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const value = headers[name]
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/** Key then token, each checked in the contract's order; throws the first 401 that applies. */
function identify (tenants: TenantRepository, key: string | undefined, token: string | undefined): { apiKey: ApiKeyRecord, connection: Connection } {
  if (key === undefined) throw unauthorized(`Missing ${API_KEY_HEADER} header.`)
  const apiKey = tenants.findApiKey(key)
  if (!apiKey) throw unauthorized(`Invalid ${API_KEY_HEADER}.`)
  if (token === undefined) throw unauthorized(`Missing ${ACCESS_TOKEN_HEADER} header.`)
  const connection = tenants.findConnectionByToken(token)
  // A token of another organisation reads exactly like an unknown one: nothing leaks about other tenants.
  if (!connection || connection.organisationId !== apiKey.organisationId) throw unauthorized(`Invalid ${ACCESS_TOKEN_HEADER} for this API key.`)
  return { apiKey, connection }
}

/** Resolves the caller or throws the contract's 401/403/501, in the contract's order. */
export function authenticate (tenants: TenantRepository, headers: Record<string, string | string[] | undefined>, action: Action, write: boolean): Caller {
  const key = header(headers, API_KEY_HEADER)
  const token = header(headers, ACCESS_TOKEN_HEADER)
  // The usual case in one lookup; only a failed one goes through identify(), which tells the mistakes apart.
  const { apiKey, connection } = (key !== undefined && token !== undefined && tenants.findCaller(key, token)) || identify(tenants, key, token)
  if (write && apiKey.access === 'read_only') throw forbidden('This API key is read-only; writes need a full-access key.')
  const integration = findIntegration(connection.integration) as IntegrationRow
  if (connection.disabledActions.includes(action)) throw forbidden(`${action} is disabled for this connection`)
  if (!connection.availableActions.includes(action)) throw notImplemented(action, integration.displayName)
  return { organisationId: apiKey.organisationId, connection, integration }
}

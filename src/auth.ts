// Step 1 of every emulated request: API key → organisation, access token → connection, then the action's permissions.
import type { Connection, TenantRepository } from './db/repositories/tenants.js'
import { findIntegration, type IntegrationRow } from './integrations/catalog.js'
import { forbidden, notImplemented, unauthorized, type ApiError } from './errors.js'
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

/** Why a key and token make no caller: the contract's first applicable 401. */
function credentialsError (tenants: TenantRepository, key: string | undefined, token: string | undefined): ApiError {
  if (key === undefined) return unauthorized(`Missing ${API_KEY_HEADER} header.`)
  if (!tenants.findApiKey(key)) return unauthorized(`Invalid ${API_KEY_HEADER}.`)
  if (token === undefined) return unauthorized(`Missing ${ACCESS_TOKEN_HEADER} header.`)
  // A token of another organisation reads exactly like an unknown one: nothing leaks about other tenants.
  return unauthorized(`Invalid ${ACCESS_TOKEN_HEADER} for this API key.`)
}

/** Resolves the caller or throws the contract's 401/403/501, in the contract's order. */
export function authenticate (tenants: TenantRepository, headers: Record<string, string | string[] | undefined>, action: Action, write: boolean): Caller {
  const key = header(headers, API_KEY_HEADER)
  const token = header(headers, ACCESS_TOKEN_HEADER)
  // Key and token in one lookup; only when it fails are they looked at one by one, to say what is wrong.
  const found = key !== undefined && token !== undefined ? tenants.findCaller(key, token) : undefined
  if (!found) throw credentialsError(tenants, key, token)
  const { apiKey, connection } = found
  if (write && apiKey.access === 'read_only') throw forbidden('This API key is read-only; writes need a full-access key.')
  const integration = findIntegration(connection.integration) as IntegrationRow
  if (connection.disabledActions.includes(action)) throw forbidden(`${action} is disabled for this connection`)
  if (!connection.availableActions.includes(action)) throw notImplemented(action, integration.displayName)
  return { organisationId: apiKey.organisationId, connection, integration }
}

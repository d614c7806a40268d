// Step 1 of every emulated request: API key → organisation, access token → connection, then the action's permissions.
import type { Connection, KeyAccess, TenantRepository } from '../db/repositories/tenants.js'
import { findIntegration, type IntegrationRow } from '../schemas/integrations.js'
import { forbidden, notImplemented, unauthorized, type ApiError } from './errors.js'

import type { Action } from '../schemas/connection.js'

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

/** Who is calling: a known API key and a token of its organisation, or Trackstar's 401. */
export interface Identity {
  organisationId: string
  access: KeyAccess
  connection: Connection
}

/** Why a key and token make no caller: the first applicable 401, in Trackstar's order. */
function credentialsError (tenants: TenantRepository, key: string | undefined, token: string | undefined): ApiError {
  if (key === undefined) return unauthorized(`Missing ${API_KEY_HEADER} header.`)
  if (!tenants.findApiKey(key)) return unauthorized(`Invalid ${API_KEY_HEADER}.`)
  if (token === undefined) return unauthorized(`Missing ${ACCESS_TOKEN_HEADER} header.`)
  // A token of another organisation reads exactly like an unknown one: nothing leaks about other tenants.
  return unauthorized(`Invalid ${ACCESS_TOKEN_HEADER} for this API key.`)
}

/** The 401 part of step 1; rate limits are counted per token between this and `authorize`. */
export function identify (tenants: TenantRepository, headers: Record<string, string | string[] | undefined>): Identity {
  const key = header(headers, API_KEY_HEADER)
  const token = header(headers, ACCESS_TOKEN_HEADER)
  // Key and token in one lookup; only when it fails are they looked at one by one, to say what is wrong.
  const found = key !== undefined && token !== undefined ? tenants.findCaller(key, token) : undefined
  if (!found) throw credentialsError(tenants, key, token)
  return { organisationId: found.apiKey.organisationId, access: found.apiKey.access, connection: found.connection }
}

/** The 403/501 part of step 1: may this identity perform `action`? */
export function authorize ({ organisationId, access, connection }: Identity, action: Action, write: boolean): Caller {
  if (write && access === 'read_only') throw forbidden('This API key is read-only; writes need a full-access key.')
  const integration = findIntegration(connection.integration) as IntegrationRow
  if (connection.disabledActions.includes(action)) throw forbidden(`${action} is disabled for this connection`)
  if (!connection.availableActions.includes(action)) throw notImplemented(action, integration.displayName)
  return { organisationId, connection, integration }
}

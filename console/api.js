// The control plane, as the console calls it: the admin token (when the sandbox asks for one) on every request.
const STORAGE_KEY = 'trackstar-sandbox-admin-token'
/** The event stream's path: EventSource sends no headers, so the token reaches it as a cookie scoped to that path only. */
export const EVENTS_PATH = '/_sandbox/ui/api/events'

let token = sessionStorage.getItem(STORAGE_KEY) ?? ''

export class Unauthorized extends Error {}

export function setToken (value) {
  token = value
  if (value) sessionStorage.setItem(STORAGE_KEY, value)
  else sessionStorage.removeItem(STORAGE_KEY)
  document.cookie = `sandbox_admin_token=${encodeURIComponent(value)}; path=${EVENTS_PATH}; SameSite=Strict${value ? '' : '; max-age=0'}`
}

/** Calls the control plane; throws Unauthorized on 401, returns {status, ok, body} otherwise. */
export async function api (method, path, body) {
  const headers = { accept: 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  if (response.status === 401) throw new Unauthorized('The admin token is missing or wrong.')
  const text = await response.text()
  let parsed = null
  try { parsed = text ? JSON.parse(text) : null } catch { parsed = text }
  return { status: response.status, ok: response.ok, body: parsed }
}

/** Like api(), but a non-2xx answer throws with the sandbox's own error message. */
export async function call (method, path, body) {
  const result = await api(method, path, body)
  if (!result.ok) throw new Error(errorText(result))
  return result.body
}

export function errorText ({ status, body }) {
  if (body && typeof body === 'object' && 'error' in body) {
    const detail = body.detail ? ' ' + Object.values(body.detail).flatMap((d) => Object.entries(d).map(([k, v]) => `${k}: ${[v].flat().join(' ')}`)).join('; ') : ''
    return `${status}: ${body.error}${detail}`
  }
  return `${status}`
}

export const enc = encodeURIComponent

// The routes an app has registered, read from its router, so tests cover routes added later without a hand-kept list.
import type { FastifyInstance, HTTPMethods } from 'fastify'

export interface Route { method: HTTPMethods, path: string }

/** Every route of `app` as its router prints it: one line per node, children indented under their parent's path. */
export function registeredRoutes (app: FastifyInstance): Route[] {
  const routes: Route[] = []
  const parents: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    const depth = (match[1] as string).length / 4
    const path = (parents[depth - 1] ?? '') + (match[2] as string)
    parents[depth] = path
    parents.length = depth + 1
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) routes.push({ method: method as HTTPMethods, path })
  }
  return routes
}

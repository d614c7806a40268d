// Lets the OpenAPI plugins register without loading `yaml`, which they require at once but use only for /docs/yaml.
import { createRequire } from 'node:module'
import { dirname } from 'node:path'

const require = createRequire(import.meta.url)

/** The plugins whose `require('yaml')` is deferred. */
const DEPENDENTS = ['@fastify/swagger', '@fastify/swagger-ui']

/**
 * Runs `register` while each copy of `yaml` the plugins resolve to stands in Node's module cache as a proxy that loads
 * the real module on first use, since only /docs/yaml needs it. Node documents adding entries to `require.cache`.
 * Copies already loaded are left alone, and the stand-ins leave the cache once `register` is done: only the plugins
 * hold them, so a program embedding the sandbox that requires `yaml` later gets the module itself.
 */
export async function withDeferredYaml<T> (register: () => Promise<T>, dependents = DEPENDENTS): Promise<T> {
  const standIns = new Map<string, object>()
  for (const path of new Set(dependents.map(yamlOf))) {
    if (path === null || require.cache[path] !== undefined) continue
    const standIn = lazyModule(path)
    standIns.set(path, standIn)
    require.cache[path] = { id: path, filename: path, loaded: true, exports: standIn, children: [], paths: [] } as unknown as NodeJS.Module
  }
  try {
    return await register()
  } finally {
    for (const [path, standIn] of standIns) if (require.cache[path]?.exports === standIn) Reflect.deleteProperty(require.cache, path)
  }
}

/** Where `name` finds `yaml`, or null if it does not (a later version of it may not need one). */
function yamlOf (name: string): string | null {
  try {
    return require.resolve('yaml', { paths: [dirname(require.resolve(name))] })
  } catch {
    return null
  }
}

/** A proxy of the module at `path`, which is required (once) when anything reads from the proxy. */
function lazyModule (path: string): object {
  let loaded: object | undefined
  const real = (): object => {
    if (loaded === undefined) {
      // The stand-in may still be the cache's entry (a use during `register`): the real module has to replace it.
      if (require.cache[path]?.exports === standIn) Reflect.deleteProperty(require.cache, path)
      loaded = require(path) as object
    }
    return loaded
  }
  const standIn: object = new Proxy({}, {
    get: (_target, key) => Reflect.get(real(), key),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key)
      // A proxy may only report a property as non-configurable if its target has it: report them all configurable.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true }
    }
  })
  return standIn
}

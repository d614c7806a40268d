// withDeferredYaml: `yaml` stays unloaded while plugins register, and loads, whole, when it is first used.
import t from 'tap'
import { createRequire } from 'node:module'
import { buildApp } from '../src/app.js'
import { withDeferredYaml } from '../src/deferred-yaml.js'

const require = createRequire(import.meta.url)
// The copy both plugins resolve to (npm hoists it; src/deferred-yaml.ts handles separate copies the same way).
const YAML_PATH = require.resolve('yaml')
type Yaml = typeof import('yaml')

/** As in a fresh process: nothing has loaded `yaml` yet. */
const forgetYaml = (): void => { Reflect.deleteProperty(require.cache, YAML_PATH) }

t.test('/docs/yaml answers the document as YAML', async (t) => {
  const app = await buildApp({ dbPath: ':memory:', logLevel: 'silent' })
  t.teardown(() => app.close())
  const res = await app.inject({ method: 'GET', url: '/docs/yaml' })
  t.equal(res.statusCode, 200)
  t.match(res.body, /^openapi: 3\.1\.0\ninfo:\n {2}title: trackstar-sandbox\n/)
})

t.test('the stand-in behaves as the module: properties, `in` and keys, and it loads the module only once', async (t) => {
  forgetYaml()
  let standIn: Yaml | undefined
  await withDeferredYaml(async () => { standIn = require('yaml') as Yaml })
  t.equal(require.cache[YAML_PATH], undefined, 'unused: still not loaded')
  const yaml = standIn as Yaml
  t.equal(yaml.stringify({ a: [1, 2] }), 'a:\n  - 1\n  - 2\n')
  const real = require('yaml') as Yaml
  t.not(real, yaml, 'a later require gets the module itself')
  t.ok('parse' in yaml)
  t.same(Object.keys(yaml).sort(), Object.keys(real).sort())
  t.equal(Object.getOwnPropertyDescriptor(yaml, 'noSuchExport'), undefined)
  t.equal(yaml.parse, real.parse, 'the same module, not a second copy')
})

t.test('a use while registering puts the module itself in the cache at once', async (t) => {
  forgetYaml()
  const seen = await withDeferredYaml(async () => {
    const standIn = require('yaml') as Yaml
    standIn.parse('a: 1')
    return require('yaml') as Yaml
  })
  t.equal(require.cache[YAML_PATH]?.exports, seen, 'kept after register: it is the module')
  t.same(seen.parse('b: 2'), { b: 2 })
})

t.test('a yaml already loaded, or a plugin that does not resolve one, is left alone', async (t) => {
  const loaded = require('yaml') as Yaml
  await withDeferredYaml(async () => {
    t.equal(require('yaml'), loaded, 'the loaded module, no stand-in')
  })
  forgetYaml()
  await withDeferredYaml(async () => {
    t.equal(require.cache[YAML_PATH], undefined, 'nothing to defer for that plugin')
  }, ['no-such-package-for-yaml'])
})

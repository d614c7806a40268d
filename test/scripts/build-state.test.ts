// A build is stale when missing, or older than any source or the bundler script.
import t from 'tap'
import { utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isStale } from '../../scripts/build-state.js'

t.test('missing, older than a nested source or than the bundler: stale; newer than all: not', async (t) => {
  const root = t.testdir({ src: { 'a.ts': '', nested: { 'b.ts': '' } }, scripts: { 'bundle.mjs': '' }, dist: {} })
  const built = join(root, 'dist', 'index.js')
  const at = (path: string, seconds: number): void => utimesSync(path, seconds, seconds)
  t.equal(isStale(root, built), true, 'not built')
  writeFileSync(built, '')
  for (const path of [join(root, 'src', 'a.ts'), join(root, 'src', 'nested', 'b.ts'), join(root, 'scripts', 'bundle.mjs')]) at(path, 1000)
  at(built, 2000)
  t.equal(isStale(root, built), false, 'built after everything')
  at(join(root, 'src', 'nested', 'b.ts'), 3000)
  t.equal(isStale(root, built), true, 'a nested source changed since')
  at(built, 4000)
  at(join(root, 'scripts', 'bundle.mjs'), 5000)
  t.equal(isStale(root, built), true, 'the bundler changed since')
})

// `npm start`, the Docker image, the trackstar-sandbox bin and the bench run the server with the same V8 flags.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')
const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
const [node, ...startArgs] = start.split(/\s+/)
const flags = startArgs.slice(0, -1)

t.test('npm start runs the built server with V8 flags given on the command line', async (t) => {
  t.equal(node, 'node')
  t.equal(startArgs.at(-1), 'dist/bin/server.js')
  t.same(flags, ['--max-semi-space-size=1', '--heap-growing-percent=10'], 'the young generation stays small and old space grows by 10 %')
})

t.test("the Docker image's CMD is the command of npm start", async (t) => {
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1]
  t.ok(cmd, 'the Dockerfile has an exec-form CMD')
  t.same(JSON.parse(cmd ?? '[]'), start.split(/\s+/))
})

t.test("the bin's shebang passes the same flags to node", async (t) => {
  const shebang = readFileSync(join(ROOT, 'src', 'bin', 'cli.ts'), 'utf8').split('\n')[0]
  t.equal(shebang, `#!/usr/bin/env -S node ${flags.join(' ')}`)
})

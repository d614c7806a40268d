// `npm start`, the Docker image and the bench run the server with the same node arguments (its V8 flags included).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')

t.test("the Docker image's CMD is the command of npm start", async (t) => {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1]
  t.ok(cmd, 'the Dockerfile has an exec-form CMD')
  t.same(JSON.parse(cmd ?? '[]'), start.split(/\s+/))
  t.match(start, /^node --no-concurrent-recompilation dist\/server\.js$/, 'optimizing compiles stay on the main thread (src/memory-flags.ts)')
})

// V8 tuned for a small footprint in the sandbox's own processes (server.ts and the CLI call it first).
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { enableGcHints } from './gc-hint.js'

// Under load V8 doubles the young generation up to 16 MB semi-spaces and lets promoted garbage (journal entries,
// replies that outlived a scavenge) pile up in old space before a full GC: RSS more than doubled after a minute of
// load. The young generation now keeps its initial size and old space grows by 10 % over what a full GC kept
// (README, Performance: RSS and the throughput it costs). Both flags are read by V8 as it goes, so they are set here,
// not on a command line: `npm start`, the Docker image, the `trackstar-sandbox` bin and `node dist/server.js` all
// run the same way, and a program embedding buildApp() keeps its own V8 settings.
/** Called first by the server and the command line, never by the library. */
export function applyMemoryFlags (): void {
  setFlagsFromString('--semi-space-growth-factor=1 --heap-growing-percent=10')
  // --expose-gc only gives the function to contexts made after it is set, hence the new context (see below).
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as (options: { type: 'major', execution: 'async' }) => void
  enableGcHints(gc.bind(null, { type: 'major', execution: 'async' }))
}

// One more flag cannot be set here: V8 decides at start whether optimizing compiles run on background threads.
// They did, and each of those threads kept its own C-heap arena of 2 to 3 MB after the peaks of compiling (about
// 6 MB of RSS in all after the bench's 100,000-product probe). `npm start` and the Docker image therefore run
// `node --no-concurrent-recompilation dist/server.js`, and the bench starts the server with the arguments of
// `npm start`; the throughput did not change measurably. The `trackstar-sandbox` bin runs without it (a portable
// shebang takes no flags).

// With full GCs rare (the journal's entries live in reused slab memory, src/services/journal.ts), memory the sandbox
// drops at once is not returned until the next one: after a burst of long list answers (each different: equal ones
// share their text), 17 MB of journal text stayed allocated for the rest of the run. The journal asks for a full GC
// when it has shrunk that much. `--expose-gc` only gives the function to contexts made after it is set, hence the new
// context (the way Jest's leak detector gets it).

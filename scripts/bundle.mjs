// npm run build, second step: dist/bin/server.js, dist/bin/cli.js and the library's dist/index.js as single-file bundles
// (esbuild), replacing tsc's output, so a start does not resolve and load hundreds of separate modules. The types
// stay tsc's output.
import { build } from 'esbuild'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')

// Loaded from node_modules at run time, as before: a native addon, packages that read files beside their own code
// (__dirname, which a bundle does not have), and undici, imported only by the first webhook delivery.
const external = ['better-sqlite3', '@fastify/swagger', '@fastify/swagger-ui', 'undici']

await build({
  absWorkingDir: ROOT,
  entryPoints: { 'bin/server': 'src/bin/server.ts', 'bin/cli': 'src/bin/cli.ts', index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  sourcemap: true,
  logLevel: 'warning',
  // The bundled CommonJS packages call require(); in an ES module it has to be made.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" }
})

// V8 keeps each script's source in memory, as a two-byte string if a single character of it is beyond Latin-1: the
// few left in bundled packages' doc comments (esbuild escapes them everywhere else) would double the source's heap.
for (const name of ['bin/server', 'bin/cli', 'index']) {
  const path = join(ROOT, 'dist', `${name}.js`)
  const source = readFileSync(path, 'utf8')
  const ascii = source.replace(/[^\x00-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  if (ascii !== source) writeFileSync(path, ascii)
}

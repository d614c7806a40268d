// npm run build, second step: dist/server.js and dist/cli.js as single-file bundles (esbuild), replacing tsc's output.
// Resolving and loading ~700 separate modules was most of the server's cold start; one file skips that work.
// The library entry (dist/index.js and its types) stays tsc's output.
import { build } from 'esbuild'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')

// Loaded from node_modules at run time, as before: a native addon, packages that read files beside their own code
// (__dirname, which a bundle does not have), and undici, imported only by the first webhook delivery.
const external = ['better-sqlite3', '@fastify/swagger', '@fastify/swagger-ui', 'undici']

await build({
  absWorkingDir: ROOT,
  entryPoints: { server: 'src/server.ts', cli: 'src/cli.ts' },
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

// npm run build: one CommonJS runtime bundle that the library (require and import), the server and the command line
// all load, the client and the Testcontainers module as small bundles of their own, thin ES module wrappers, and
// the public type declarations (.d.ts for import, .d.cts for require). One file to load instead of ~700 modules is
// most of the server's cold start; one copy of the code keeps the package small and `instanceof` true across
// require and import.
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const DIST = join(ROOT, 'dist')
const CLIENT_DIR = join(ROOT, 'src', 'client')

// Loaded from node_modules: a native addon, packages that read files beside their own code (a bundle has no
// __dirname of theirs), undici (imported by the first webhook delivery only), and testcontainers (an optional peer
// dependency). TypeBox is bundled (loading its ~250 CommonJS files was a large part of the start); it stays a
// dependency for the declaration files, whose types are built from it.
const external = ['better-sqlite3', '@fastify/swagger', '@fastify/swagger-ui', 'undici', 'testcontainers']

// Every bundle but the client's own loads the client from dist/client.cjs, so its classes exist once.
const clientAsExternal = {
  name: 'client-as-external',
  setup (b) {
    b.onResolve({ filter: /\/client\/(client|errors|index)\.js$/ }, () => ({ path: './client.cjs', external: true }))
  }
}

/** The names an entry point exports, from esbuild's metafile (nothing is loaded, so no bundle runs at build time). */
async function exportNames (entry) {
  const result = await build({ absWorkingDir: ROOT, entryPoints: [entry], outdir: 'dist', bundle: true, write: false, metafile: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'silent' })
  return Object.values(result.metafile.outputs).flatMap((output) => output.exports).filter((name) => name !== 'default')
}

rmSync(DIST, { recursive: true, force: true })
const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external,
  logLevel: 'warning',
  // import.meta does not exist in CommonJS: the two uses (the package root, a createRequire) get the file's own values.
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" }
}
await build({ ...common, entryPoints: { client: 'src/client/index.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' } })
await build({ ...common, entryPoints: { runtime: 'src/bin/runtime.ts', testcontainers: 'src/testcontainers/index.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' }, plugins: [clientAsExternal] })

// V8 keeps a script's source as a two-byte string if one character is beyond Latin-1 (a few remain in bundled
// packages' doc comments): escaped, so the 2 MB runtime stays 2 MB of heap.
const runtimePath = join(DIST, 'runtime.cjs')
const source = readFileSync(runtimePath, 'utf8')
writeFileSync(runtimePath, source.replace(/[^\x00-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))

// Thin wrappers: CommonJS entry points and ES modules that re-export the CommonJS ones by name.
const require = createRequire(import.meta.url)
const load = "import { createRequire } from 'node:module'\nconst require = createRequire(import.meta.url)\n"
async function esmWrapper (file, expression, entry) {
  const names = await exportNames(entry)
  writeFileSync(join(DIST, file), `${load}export const { ${names.join(', ')} } = ${expression}\nexport default ${expression}\n`)
}
writeFileSync(join(DIST, 'index.cjs'), "module.exports = require('./runtime.cjs').library\n")
await esmWrapper('index.js', "require('./runtime.cjs').library", 'src/index.ts')
await esmWrapper('client.js', "require('./client.cjs')", 'src/client/index.ts')
await esmWrapper('testcontainers.js', "require('./testcontainers.cjs')", 'src/testcontainers/index.ts')
mkdirSync(join(DIST, 'bin'))
writeFileSync(join(DIST, 'bin', 'server.js'), `${load}await require('../runtime.cjs').runServer()\n`)
// The bin keeps the source's shebang, V8 flags included.
const shebang = readFileSync(join(ROOT, 'src', 'bin', 'cli.ts'), 'utf8').split('\n')[0]
writeFileSync(join(DIST, 'bin', 'cli.js'), `${shebang}\n${load}await require('../runtime.cjs').runCli(process.argv.slice(2))\n`)
chmodSync(join(DIST, 'bin', 'cli.js'), 0o755)

// Types: tsc's declarations, only the files the public entry points reach, each also as .d.cts for require.
const TYPES_TMP = join(ROOT, 'node_modules', '.cache', 'trackstar-sandbox-types')
rmSync(TYPES_TMP, { recursive: true, force: true })
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--emitDeclarationOnly', '--declarationMap', 'false', '--sourceMap', 'false', '--outDir', TYPES_TMP], { cwd: ROOT, stdio: 'inherit' })
const TYPES = join(DIST, 'types')
const pending = ['index.d.ts', 'client/index.d.ts', 'testcontainers/index.d.ts']
const copied = new Set()
while (pending.length > 0) {
  const file = pending.pop()
  if (copied.has(file)) continue
  copied.add(file)
  const text = readFileSync(join(TYPES_TMP, file), 'utf8')
  mkdirSync(dirname(join(TYPES, file)), { recursive: true })
  writeFileSync(join(TYPES, file), text)
  writeFileSync(join(TYPES, file.replace(/\.d\.ts$/, '.d.cts')), text.replace(/(from\s+|import\()(['"])(\.[^'"]+)\.js\2/g, '$1$2$3.cjs$2'))
  for (const [, specifier] of text.matchAll(/(?:from\s+|import\()['"](\.[^'"]+)\.js['"]/g)) {
    const next = relative(TYPES_TMP, resolve(dirname(join(TYPES_TMP, file)), `${specifier}.d.ts`))
    if (existsSync(join(TYPES_TMP, next))) pending.push(next)
  }
}
rmSync(TYPES_TMP, { recursive: true, force: true })


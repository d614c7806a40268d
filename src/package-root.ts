// The package's root directory (package.json, migrations/, fixtures/), the same from src/, dist/ and the bundled entry points.
import { join } from 'node:path'

// Files one level below the root (src/*.ts, dist/*.js) and the dist/server.js and dist/cli.js bundles
// (scripts/bundle.mjs), whose import.meta.dirname is dist/, all find the root one level up; deeper files use this.
export const PACKAGE_ROOT = join(import.meta.dirname, '..')

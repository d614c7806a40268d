// The package's root directory (package.json, migrations/, fixtures/), the same from src/, dist/ and the bundled entry points.
import { join } from 'node:path'

// This file sits one level below the root in every layout: src/ (tsx, tests), dist/ (tsc) and the dist/server.js,
// dist/cli.js and dist/index.js bundles (scripts/bundle.mjs, whose import.meta.dirname is dist/).
export const PACKAGE_ROOT = join(import.meta.dirname, '..')

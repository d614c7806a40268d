// The package's root directory (package.json, migrations/, fixtures/), the same from src/, dist/ and the bundled entry points.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

// This file runs from src/ (tsx, tests) and dist/ (tsc) one level below the root, and inside the dist/bin/ bundles
// (scripts/bundle.mjs) two levels below it: the root is the nearer of the two that holds package.json.
export const PACKAGE_ROOT = [join(import.meta.dirname, '..'), join(import.meta.dirname, '..', '..')]
  .find((dir) => existsSync(join(dir, 'package.json'))) as string

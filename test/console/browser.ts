// Browser test helpers: Debian's chromium driven by playwright-core, offline (any request to another host fails the
// test), with every console error and page error collected, and screenshots of the views.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { PACKAGE_ROOT } from '../../src/package-root.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** The page's globals as the functions handed to the browser use them: the tests compile without the DOM library. */
export interface PageGlobals {
  document: {
    querySelector: (selector: string) => { textContent: string | null } | null
    querySelectorAll: (selector: string) => { length: number }
    activeElement: { id: string, textContent: string | null } | null
    getElementById: (id: string) => { classList: { remove: (name: string) => void } } | null
  }
  window: { stayed?: boolean }
}
declare const document: PageGlobals['document']

export interface Browser {
  context: BrowserContext
  page: Page
  /** URLs the page tried to load from another host (blocked). */
  foreign: string[]
  /** Console errors and uncaught page errors. */
  errors: string[]
}

/** A fresh profile and page; closed (and checked for foreign requests) when the test ends. */
export async function openBrowser (t: Test): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'trackstar-console-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1360, height: 900 }
  })
  const foreign: string[] = []
  const errors: string[] = []
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url())
    if (url.protocol === 'data:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return route.continue()
    foreign.push(url.href)
    return route.abort('blockedbyclient')
  })
  const page = context.pages()[0] ?? await context.newPage()
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`) })
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`))
  t.teardown(async () => {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  })
  return { context, page, foreign, errors }
}

// Screenshots go to docs/ with SCREENSHOTS=docs (the pictures in docs/console.md), else to a temporary folder.
const SCREENSHOT_DIR = process.env.SCREENSHOTS === 'docs' ? join(PACKAGE_ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'console-shots-'))

/** A screenshot of the current view into console-<name>.png. */
export async function screenshot (page: Page, name: string): Promise<void> {
  // A passing notification would cover part of the view.
  await page.evaluate(() => document.getElementById('toast')?.classList.remove('visible'))
  await page.waitForTimeout(250)
  await page.screenshot({ path: join(SCREENSHOT_DIR, `console-${name}.png`), fullPage: false })
}

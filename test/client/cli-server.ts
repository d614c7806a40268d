// Starts the trackstar-sandbox command (src/bin/cli.ts) as a child process on a free port; resolves with its URL.
import { join } from 'node:path'
import type { Test } from 'tap'
import { startListening } from '../reliability/server-process.js'

export async function startCli (t: Test, args: string[] = []): Promise<string> {
  const server = await startListening(t, [join('src', 'bin', 'cli.ts'), '--port', '0', '--db', ':memory:', ...args], {}, 'SIGTERM')
  return server.url
}

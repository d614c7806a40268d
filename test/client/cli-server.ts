// Starts the trackstar-sandbox command (src/bin/cli.ts) as a child process on a free port; resolves with its URL.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Test } from 'tap'

const ROOT = join(import.meta.dirname, '..', '..')

export async function startCli (t: Test, args: string[] = []): Promise<string> {
  // The child runs tsx-compiled code that tap's coverage would misattribute, so it collects none.
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'bin', 'cli.ts'), '--port', '0', '--db', ':memory:', ...args], {
    cwd: ROOT,
    env: { ...process.env, _TAPJS_PROCESSINFO_COVERAGE_: '0', LOG_LEVEL: 'info', SANDBOX_RATE_LIMIT: 'off' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  })
  let output = ''
  return new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1]) resolve(match[1])
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then(() => reject(new Error(`trackstar-sandbox exited before listening:\n${output}`)))
  })
}

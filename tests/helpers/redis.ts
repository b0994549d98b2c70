import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { freePort } from './free-port'

/**
 * A throwaway Redis for tests: `redis-server` (Debian's `redis-server` package; `REDIS_SERVER`
 * overrides the binary) on a free loopback port, in a temp dir, keeping nothing on disk
 * (`--save '' --appendonly no`: the cluster's record is PostgreSQL, SPEC C7).
 */
export interface TestRedis {
  port: number
  url: string
  /** SIGKILL: connections are cut at once, everything it held is gone. */
  kill(): Promise<void>
  /** Starts it again on the same port. */
  start(): Promise<void>
  /** Kills it and removes its directory. */
  remove(): Promise<void>
}

const findBinary = (): string => {
  const candidates = [process.env.REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server'].filter((c): c is string => c !== undefined)
  const found = candidates.find((c) => existsSync(c))
  if (found === undefined) throw new Error('redis-server not found: apt-get install redis-server, or set REDIS_SERVER')
  return found
}

export const startTestRedis = async (): Promise<TestRedis> => {
  const binary = findBinary()
  const dir = mkdtempSync(join(tmpdir(), 'minutes-redis-'))
  let port = 0
  let child: ChildProcess | null = null
  const launch = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const started = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child = started
      let output = ''
      const lines = createInterface({ input: started.stdout! })
      lines.on('line', (line) => {
        output += `${line}\n`
        if (line.includes('Ready to accept connections')) resolve()
      })
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready: ${output.slice(-500)}`)))
    })
  // A free port can be taken between the check and the start: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort()
    try {
      await launch()
      break
    } catch (error) {
      if (attempt < 3) continue
      rmSync(dir, { recursive: true, force: true })
      throw error
    }
  }
  const kill = async (): Promise<void> => {
    const running = child
    child = null
    if (running === null || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    start: launch,
    async remove() {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

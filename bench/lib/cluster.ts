import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnChild, stopChild } from './children'
import { sampleProcess, type ProcSample } from './proc-stats'
import { freePort } from './servers'

/** The CPU and memory of several processes as one (a PostgreSQL server and its backends). */
export const sampleProcesses = (pids: readonly number[]): ProcSample => {
  const total: ProcSample = { cpuMs: 0, systemMs: 0, rssBytes: 0, peakRssBytes: 0, at: performance.now() }
  for (const pid of pids) {
    let one: ProcSample
    try {
      one = sampleProcess(pid)
    } catch {
      continue // ended between listing and reading
    }
    total.cpuMs += one.cpuMs
    total.systemMs += one.systemMs
    total.rssBytes += Number.isFinite(one.rssBytes) ? one.rssBytes : 0
    total.peakRssBytes += Number.isFinite(one.peakRssBytes) ? one.peakRssBytes : 0
  }
  return total
}

/** The PostgreSQL server of `dataDir` and every process it started (backends, WAL writer, checkpointer). */
export const postgresPids = (dataDir: string): number[] => {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
  const pids = [postmaster]
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (parent === postmaster) pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
}

export interface BenchRedis {
  url: string
  pid: number
  /** Redis's own count of commands processed (INFO stats), for operations a second. */
  commandsProcessed(): Promise<number>
  stop(): Promise<void>
}

/** One line of RESP over a fresh socket: `INFO stats`, read until the bulk string is complete. */
const redisInfo = (port: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    let text = ''
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8')
      const header = /^\$(\d+)\r\n/.exec(text)
      if (header !== null && Buffer.byteLength(text) >= header[0].length + Number(header[1])) {
        socket.end()
        resolve(text.slice(header[0].length))
      }
    })
    socket.once('error', reject)
    socket.write('INFO stats\r\n')
  })

/** A throwaway `redis-server` on a free loopback port, nothing saved to disk. */
export const startBenchRedis = async (): Promise<BenchRedis> => {
  const dir = mkdtempSync(join(tmpdir(), 'minutes-bench-redis-'))
  const port = await freePort()
  const child = spawnChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out.slice(-500)}`)), 15_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}: ${out.slice(-500)}`))
    })
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid!,
    commandsProcessed: async () => Number(/total_commands_processed:(\d+)/.exec(await redisInfo(port))?.[1] ?? Number.NaN),
    stop: async () => {
      await stopChild(child, 'SIGTERM', 5_000)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

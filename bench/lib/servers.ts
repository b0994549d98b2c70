import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { signToken } from '../../sync-server/tokens'
import { freePort } from '../../tests/helpers/free-port'
export { freePort }
import { isRunning, spawnChild, stopChild } from './children'
import { sampleProcess, type ProcSample } from './proc-stats'

export const ROOT = resolve(import.meta.dirname, '..', '..')

/**
 * The servers under test. `ours-memory` is ours with persistence off (benchmark 2 only);
 * `floor` is a byte relay with no document (benchmark 1's lower bound, bench/peers/relay-floor.ts).
 */
export type PeerKind = 'ours' | 'ours-memory' | 'reference' | 'hocuspocus' | 'floor'

export const PEER_LABEL: Record<PeerKind, string> = {
  ours: 'Minutes (SQLite FULL, group commit)',
  'ours-memory': 'Minutes (--store memory)',
  reference: 'y-websocket reference 0.1.1',
  hocuspocus: 'Hocuspocus 4.7 + SQLite',
  floor: 'floor: byte relay (no Yjs, no disk)',
}

/** Which client library talks to a peer. */
export const clientKindOf = (kind: PeerKind): 'y-websocket' | 'hocuspocus' => (kind === 'hocuspocus' ? 'hocuspocus' : 'y-websocket')

/** A benchmark-only secret: the servers listen on loopback for the length of one run. */
export const BENCH_SECRET = 'minutes-benchmark-secret-0123456789abcdef'

/** One token that grants every room of our server (a `room` claim of `*`, SPEC A3). */
export const benchToken = (): Promise<string> => signToken(BENCH_SECRET, { room: '*', role: 'editor', ttlSeconds: 6 * 3600 })

export interface PeerOptions {
  /** Extra flags for our server (`--compact-threshold`, `--room-grace-ms`, …). */
  args?: string[]
  /** Data directory; a fresh temporary one when omitted (removed on stop). */
  dataDir?: string
  /** Directory to write a `node --cpu-prof` profile into (written when the server stops). */
  cpuProfileDir?: string
  /** Extra flags for the server's node process (V8 options and the like). */
  nodeArgs?: string[]
}

export interface RunningPeer {
  kind: PeerKind
  url: string
  port: number
  pid: number
  dataDir: string
  child: ChildProcess
  sample(): ProcSample
  /** Ours only: the Prometheus text of /metrics. */
  metrics(): Promise<string>
  /** SIGTERM (graceful: our server writes what is pending; a CPU profile is written), then cleanup. */
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 30_000

export const startPeer = async (kind: PeerKind, options: PeerOptions = {}): Promise<RunningPeer> => {
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `minutes-bench-${kind}-`))
  const profile = [...(options.nodeArgs ?? []), ...(options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`])]
  let command: string[]
  let env: NodeJS.ProcessEnv = { ...process.env }
  let knownPort: number | undefined
  switch (kind) {
    case 'ours':
    case 'ours-memory':
      command = [
        ...profile,
        '--import',
        'tsx',
        'sync-server/main.ts',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--data',
        dataDir,
        '--log-level',
        'warn',
        ...(kind === 'ours-memory' ? ['--store', 'memory'] : []),
        ...(options.args ?? []),
      ]
      env.MINUTES_SECRET = BENCH_SECRET
      break
    case 'reference':
      // The reference server reads HOST/PORT and announces the port it was given; leveldb
      // persistence stays off (no YPERSISTENCE).
      knownPort = await freePort()
      command = [...profile, 'node_modules/@y/websocket-server/src/server.js']
      env = { ...env, HOST: '127.0.0.1', PORT: String(knownPort) }
      delete env.YPERSISTENCE
      break
    case 'hocuspocus':
      command = [...profile, '--import', 'tsx', 'bench/peers/hocuspocus-server.ts', '0', join(dataDir, 'hocuspocus.sqlite')]
      break
    case 'floor':
      command = [...profile, '--import', 'tsx', 'bench/peers/relay-floor.ts', '0']
      break
  }
  const child = spawnChild(process.execPath, command, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000)
  })
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      if (knownPort !== undefined && line.includes('running at')) {
        clearTimeout(timer)
        resolvePort(knownPort)
        return
      }
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number }
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          clearTimeout(timer)
          resolvePort(entry.port)
        }
      } catch {
        // not a JSON line
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${kind} exited with ${code} before listening: ${stderr}`))
    })
  })
  const pid = child.pid!
  return {
    kind,
    url: `ws://127.0.0.1:${port}`,
    port,
    pid,
    dataDir,
    child,
    sample: () => sampleProcess(pid),
    metrics: async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`)
      return response.text()
    },
    stop: async () => {
      if (isRunning(child)) await stopChild(child, 'SIGTERM', 8_000)
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A counter or gauge from Prometheus text (summed over labels). */
export const metricValue = (text: string, name: string): number => {
  let total = 0
  for (const line of text.split('\n')) {
    if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) total += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return total
}

import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { WebSocket } from 'ws'
import * as decoding from 'lib0/decoding'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { MessageType, type Role } from '../../src/protocol'
import { fetchAccess } from '../../src/sync/member-access'
import { addMember } from '../../sync-server/identity'
import { startSyncServer, type Member, type StartOptions, type StartedServer } from '../../sync-server/index'
import { SQLITE_FILE_NAME } from '../../sync-server/persistence/sqlite-store'
import { signToken, type TokenRequest } from '../../sync-server/tokens'

/** A fixed test secret (never used outside tests). */
export const TEST_SECRET = 'test-secret-0123456789-abcdefghijklmnop'

/** The room's rows in the SQLite store under `dataDir`, oldest first (read beside a running server: WAL). */
export const storedRows = (dataDir: string, room: string): Buffer[] => {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true })
  try {
    return db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE room = ? ORDER BY id').all(room).map((r) => r.data)
  } finally {
    db.close()
  }
}

/** A fresh temporary directory, removed by the returned cleanup. */
export const tempDir = (prefix = 'minutes-test-'): { path: string; remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** A server in this process on a free loopback port. */
export const startTestServer = (options: Partial<StartOptions> = {}): Promise<StartedServer> =>
  startSyncServer({ secret: TEST_SECRET, host: '127.0.0.1', port: 0, roomGraceMs: 20, ...options })

export const makeToken = (request: Partial<TokenRequest> & { room: string }): Promise<string> =>
  signToken(TEST_SECRET, { role: 'editor', ttlSeconds: 600, ...request })

/**
 * A member of `space` in the server's store (SPEC I1), its member key, and an access token from
 * the server's own `POST /access` (SPEC I3).
 */
export const createMember = async (
  server: StartedServer,
  input: { space: string; name: string; role: Role },
): Promise<{ member: Member; key: string; token: string }> => {
  const { member, key } = await addMember(server.members, input)
  const access = await fetchAccess(server.url, key)
  if (!access.ok) throw new Error(`POST /access for a new member failed: ${access.error}`)
  return { member, key, token: access.value.token }
}

/**
 * A member's token for the test server (SPEC I1): the whole space, the member's verified name and
 * id (`sub`). Every test that needs a member mints its token here, so that when the server checks
 * members at the upgrade, only this helper has to create the member first.
 */
export const memberToken = async (
  server: { members: StartedServer['members'] },
  member: { space: string; name: string; sub: string; role?: TokenRequest['role'] },
): Promise<string> => {
  // The upgrade looks the member up (SPEC I4): store it under the id the test chose, once.
  if ((await server.members.member(member.sub)) === null) {
    await server.members.addMember({ id: member.sub, space: member.space, name: member.name, role: member.role ?? 'editor', createdAt: Date.now(), keyHash: randomBytes(32).toString('hex') })
  }
  return signToken(TEST_SECRET, { room: `${member.space}/*`, role: member.role ?? 'editor', name: member.name, sub: member.sub, ttlSeconds: 600 })
}

/** A stock y-websocket client in Node. The caller destroys it. */
export const connectClient = (
  url: string,
  room: string,
  token: string,
  options: { doc?: Y.Doc; ack?: boolean; connect?: boolean } = {},
): WebsocketProvider => {
  const doc = options.doc ?? new Y.Doc()
  const params: Record<string, string> = { token }
  if (options.ack) params.ack = '1'
  return new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params,
    disableBc: true,
    connect: options.connect ?? true,
  })
}

/** Resolves when the provider has synced with the server. */
export const whenSynced = (provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> =>
  provider.synced
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not synced within ${timeoutMs} ms`)), timeoutMs)
        const onSync = (synced: boolean) => {
          if (!synced) return
          clearTimeout(timer)
          provider.off('sync', onSync)
          resolve()
        }
        provider.on('sync', onSync)
      })

/** Resolves when `predicate` holds for `doc`, checked after every update. */
export const whenDoc = (doc: Y.Doc, predicate: (doc: Y.Doc) => boolean, timeoutMs = 10_000): Promise<void> =>
  predicate(doc)
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          doc.off('update', check)
          reject(new Error(`document condition not met within ${timeoutMs} ms`))
        }, timeoutMs)
        const check = () => {
          if (!predicate(doc)) return
          clearTimeout(timer)
          doc.off('update', check)
          resolve()
        }
        doc.on('update', check)
      })

/** A client whose acks are recorded as the acknowledged clock of its own client id. */
export const ackedClient = (url: string, room: string, token: string) => {
  const provider = connectClient(url, room, token, { ack: true, connect: false })
  const acked = { clock: 0 }
  let waiters: Array<{ clock: number; resolve: () => void }> = []
  provider.messageHandlers[MessageType.durableAck] = (_encoder, decoder) => {
    const vector = Y.decodeStateVector(decoding.readVarUint8Array(decoder))
    acked.clock = Math.max(acked.clock, vector.get(provider.doc.clientID) ?? 0)
    for (const w of waiters) if (w.clock <= acked.clock) w.resolve()
    waiters = waiters.filter((w) => w.clock > acked.clock)
  }
  provider.connect()
  /** Resolves when everything this client has written so far is acknowledged as stored. */
  const whenAllAcked = (): Promise<void> => {
    const clock = Y.getState(provider.doc.store, provider.doc.clientID)
    return clock <= acked.clock ? Promise.resolve() : new Promise((resolve) => waiters.push({ clock, resolve }))
  }
  return { provider, acked, whenAllAcked }
}

/** Resolves with the code of the provider's next connection close. */
export const closeCodeOf = (provider: ReturnType<typeof connectClient>): Promise<number> =>
  new Promise((resolve) => {
    const onClose = (event: { code: number } | null) => {
      provider.off('connection-close', onClose)
      resolve(event?.code ?? 0)
    }
    provider.on('connection-close', onClose)
  })

export interface ServerProcess {
  url: string
  port: number
  child: ChildProcess
  /** Lines the server wrote to stdout (JSON logs). */
  output: string[]
  /** SIGKILL to the whole process group: no wrapper survives holding the port. */
  kill9(): Promise<void>
  /** SIGTERM, resolves with the exit code. */
  terminate(): Promise<number | null>
}

/**
 * The real server as a child process in its own process group (`npm run sync-server` without
 * npm), for kill -9 and shutdown tests. Resolves once its first log line says where it listens.
 */
export const startServerProcess = (args: string[], env: Record<string, string> = {}): Promise<ServerProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', '--host', '127.0.0.1', '--port', '0', ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, MINUTES_SECRET: TEST_SECRET, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const output: string[] = []
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    const lines = createInterface({ input: child.stdout! })
    let started = false
    const timer = setTimeout(() => {
      if (started) return
      process.kill(-child.pid!, 'SIGKILL')
      reject(new Error(`server did not say it was listening within 30 s: ${stderr.trim()} ${output.join('\n')}`))
    }, 30_000)
    lines.on('line', (line) => {
      output.push(line)
      if (started) return
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string; port?: number }
        if (entry.msg === 'listening' && entry.url !== undefined && entry.port !== undefined) {
          started = true
          clearTimeout(timer)
          resolve({
            url: entry.url,
            port: entry.port,
            child,
            output,
            kill9: async () => {
              if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL')
              await exited
            },
            terminate: async () => {
              if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM')
              return exited
            },
          })
        }
      } catch {
        // not a JSON line
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      if (!started) reject(new Error(`server exited with ${code} before listening: ${stderr.trim()}`))
    })
  })

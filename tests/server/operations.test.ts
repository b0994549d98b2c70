import { execFile, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it, onTestFinished } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { createSyncServer, defaultConfig, openStore } from '../../sync-server/index'
import { createLogger } from '../../sync-server/logger'
import { decodeJoinCode } from '../../src/join-code'
import { CloseCode, CloseReason, MessageType } from '../../src/protocol'
import {
  TEST_SECRET,
  connectClient,
  makeToken,
  startServerProcess,
  startTestServer,
  tempDir,
  whenDoc,
  whenSynced,
  type ServerProcess,
} from '../helpers/server'
import { awarenessMessage, openRawClient, queryAwarenessMessage, startPair, updateMessage, whenClosed, whenMessage } from './fuzz-wire'

const ROOT = join(import.meta.dirname, '..', '..')
const run = promisify(execFile)

/** Runs a TypeScript entry point of the repo like `npm run` would, without npm. */
const runScript = async (script: string, args: string[], env: Record<string, string | undefined> = { MINUTES_SECRET: TEST_SECRET }) => {
  const fullEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) fullEnv[k] = v
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: fullEnv, timeout: 30_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}

const textUpdate = (clientId: number, text: string): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = clientId
  doc.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

/** Parses Prometheus text into `name{labels}` → value. */
const parseMetrics = (text: string): Map<string, number> =>
  new Map(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const at = line.lastIndexOf(' ')
        return [line.slice(0, at), Number(line.slice(at + 1))] as const
      }),
  )

/** Resolves once every line the child wrote to stdout has been read. */
const whenOutputEnded = (server: ServerProcess): Promise<void> =>
  server.child.stdout!.readableEnded ? Promise.resolve() : new Promise((resolve) => server.child.stdout!.once('close', () => resolve()))

describe('O1: health', () => {
  it('O1: /healthz answers 200 while the SQLite store can write', async () => {
    const dir = tempDir()
    onTestFinished(dir.remove)
    const server = await startTestServer({ dataDir: dir.path })
    onTestFinished(() => server.close())
    const response = await fetch(`http://127.0.0.1:${server.port}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ok\n')
  })

  it('O1: /healthz answers 503 once the store cannot write', async () => {
    const dir = tempDir()
    onTestFinished(dir.remove)
    const config = { ...defaultConfig(TEST_SECRET), port: 0, dataDir: dir.path }
    const store = await openStore(config)
    const server = createSyncServer(config, store, createLogger('silent'))
    const { port } = await server.listen()
    onTestFinished(() => server.close())
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    await store.close()
    const response = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(response.status).toBe(503)
    expect(await response.text()).toBe('store not writable\n')
  })

  it('O1: /healthz answers 503 when the database is full and updates can no longer be stored', async () => {
    const dir = tempDir()
    onTestFinished(dir.remove)
    const server = await startTestServer({ dataDir: dir.path, sqlite: { maxPageCount: 40 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'o1/full' })
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200)
    // Fill the database until a write fails: nothing is acknowledged, the room is reset with 4500 (SPEC D6).
    let clientId = 1000
    const storeUpdate = async (size: number): Promise<number | 'acknowledged'> => {
      const ws = await openRawClient(server.url, 'o1/full', token, { ack: true })
      onTestFinished(() => ws.terminate())
      await whenMessage(ws, (m) => m[0] === MessageType.durableAck) // on joining
      ws.send(updateMessage(textUpdate(clientId++, 'x'.repeat(size))))
      return Promise.race([
        whenMessage(ws, (m) => m[0] === MessageType.durableAck, 10_000, 2).then(() => 'acknowledged' as const),
        whenClosed(ws).then(({ code }) => code),
      ])
    }
    let outcome: number | 'acknowledged' = 'acknowledged'
    // Big updates first, then small ones until even those fail: the database is full, not just too full for 20 KB.
    for (const size of [20_000, 500]) {
      outcome = 'acknowledged'
      for (let i = 0; outcome === 'acknowledged' && i < 200; i++) {
        outcome = await storeUpdate(size)
      }
    }
    const code = outcome

    expect(code).toBe(CloseCode.storageFailure)
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(503)
  })
  it('O1: after a commit failed on a full disk /healthz answers 503, though its 1 KiB probe still fits, until a commit succeeds again', async () => {
    const dir = tempDir()
    onTestFinished(dir.remove)
    // 40 pages of 4 KiB: room for the tables, small updates and the probe, not for a 300 KiB update.
    const server = await startTestServer({ dataDir: dir.path, sqlite: { maxPageCount: 40 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'o1/*' })
    const health = async () => {
      const response = await fetch(`http://127.0.0.1:${server.port}/healthz`)
      return { status: response.status, body: await response.text() }
    }
    const store = async (room: string, clientId: number, text: string) => {
      const ws = await openRawClient(server.url, room, token, { ack: true })
      onTestFinished(() => ws.terminate())
      await whenMessage(ws, (m) => m[0] === MessageType.durableAck) // on joining
      ws.send(updateMessage(textUpdate(clientId, text)))
      return Promise.race([
        whenMessage(ws, (m) => m[0] === MessageType.durableAck, 10_000, 2).then(() => 'acknowledged' as const),
        whenClosed(ws),
      ])
    }
    expect(await store('o1/meeting', 1, 'Sparat före')).toBe('acknowledged')
    expect((await health()).status).toBe(200)

    // The failing client learns why: 4500 with its reason, and nothing of it was acknowledged (SPEC D6).
    expect(await store('o1/meeting', 2, 'x'.repeat(300 * 1024))).toEqual({ code: CloseCode.storageFailure, reason: CloseReason.storageFailure })
    expect(await health()).toEqual({ status: 503, body: 'store not writable: the last commit failed\n' })
    const reader = connectClient(server.url, 'o1/meeting', token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    expect(reader.doc.getText('t').toString()).toBe('Sparat före')
    reader.destroy()
    // Reading is not writing: still 503 until a real commit succeeds.
    expect((await health()).status).toBe(503)

    expect(await store('o1/other', 3, 'liten')).toBe('acknowledged')
    expect(await health()).toEqual({ status: 200, body: 'ok\n' })
  })
})

describe('O2: metrics', () => {
  it('O2: /metrics is Prometheus text counting connections, updates in and out, refused upgrades and closes by reason', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'o2/room' })
    const pair = await startPair(server.url, 'o2/room', token)
    await pair.roundTrip()
    await pair.roundTrip()
    const bad = await openRawClient(server.url, 'o2/room', token)
    bad.send(Uint8Array.of(7))
    await whenClosed(bad)
    const refused = new WebSocket(`${server.url}/o2/room?token=not-a-token`)
    refused.on('error', () => {})
    await new Promise<void>((resolve) => refused.once('unexpected-response', () => resolve()))
    refused.terminate()

    const response = await fetch(`http://127.0.0.1:${server.port}/metrics`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await response.text()
    expect(text).toContain('# TYPE minutes_connections gauge')
    const m = parseMetrics(text)
    expect(m.get('minutes_connections')).toBe(2)
    expect(m.get('minutes_rooms_loaded')).toBe(1)
    expect(m.get('minutes_updates_in_total')).toBeGreaterThanOrEqual(2)
    expect(m.get('minutes_updates_out_total')).toBeGreaterThanOrEqual(2)
    expect(m.get('minutes_bytes_in_total')).toBeGreaterThan(0)
    expect(m.get('minutes_bytes_out_total')).toBeGreaterThan(0)
    expect(m.get('minutes_closes_total{reason="malformed message"}')).toBe(1)
    expect(m.get('minutes_upgrade_refusals_total{status="401"}')).toBe(1)
    expect(m.get('minutes_persist_seconds_count')).toBeGreaterThanOrEqual(2)
    expect(text).toContain('minutes_ack_seconds_bucket')
  })
})

describe('O3: TLS', () => {
  it('O3: with a certificate and key the server serves wss:// and stock clients sync over it', async () => {
    const dir = tempDir()
    onTestFinished(dir.remove)
    const keyFile = join(dir.path, 'key.pem')
    const certFile = join(dir.path, 'cert.pem')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], {
      stdio: 'ignore',
    })
    const server = await startTestServer({ tls: { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') } })
    onTestFinished(() => server.close())
    expect(server.url).toMatch(/^wss:\/\//)

    // The self-signed certificate is trusted for this client only.
    class InsecureWS extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { rejectUnauthorized: false })
      }
    }
    const token = await makeToken({ room: 'o3/room' })
    const connect = () =>
      new WebsocketProvider(server.url, 'o3/room', new Y.Doc(), {
        WebSocketPolyfill: InsecureWS as unknown as typeof globalThis.WebSocket,
        params: { token },
        disableBc: true,
      })
    const a = connect()
    const b = connect()
    onTestFinished(() => {
      a.destroy()
      b.destroy()
    })
    await Promise.all([whenSynced(a), whenSynced(b)])
    a.doc.getText('t').insert(0, 'over TLS')
    await whenDoc(b.doc, (d) => d.getText('t').toString() === 'over TLS')

    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: server.port, path: '/healthz', rejectUnauthorized: false }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(200)
  })
})

describe('O4: graceful shutdown', () => {
  it('O4: SIGTERM closes clients with 1012, exits 0, and an update read just before is in the store after a restart', async () => {
    const dir = tempDir()
    onTestFinished(dir.remove)
    const server = await startServerProcess(['--data', dir.path])
    onTestFinished(() => server.kill9())
    const token = await makeToken({ room: 'o4/room' })
    const watcher = connectClient(server.url, 'o4/room', token)
    onTestFinished(() => watcher.destroy())
    await whenSynced(watcher)
    const watcherClosed = new Promise<number>((resolve) => watcher.once('connection-close', (event) => resolve(event?.code ?? 0)))

    // The query-awareness answer proves the server has read the update; its commit may still be pending.
    const writer = await openRawClient(server.url, 'o4/room', token)
    writer.send(awarenessMessage([{ clientId: 4040, clock: 1, state: '{}' }]))
    writer.send(updateMessage(textUpdate(4041, 'written just before SIGTERM')))
    writer.send(queryAwarenessMessage())
    await whenMessage(writer, (m) => m[0] === 1)
    const exitCode = await server.terminate()

    expect(exitCode).toBe(0)
    expect((await whenClosed(writer)).code).toBe(CloseCode.serviceRestart)
    expect(await watcherClosed).toBe(CloseCode.serviceRestart)
    watcher.disconnect()

    const restarted = await startServerProcess(['--data', dir.path])
    onTestFinished(() => restarted.kill9())
    const reader = connectClient(restarted.url, 'o4/room', token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    expect(reader.doc.getText('t').toString()).toBe('written just before SIGTERM')
  })
})

describe('O5: configuration', () => {
  it('O5: --help lists the options and exits 0', async () => {
    const { code, stdout } = await runScript('sync-server/main.ts', ['--help'])
    expect(code).toBe(0)
    for (const flag of ['--host', '--port', '--data', '--tls-cert', '--tls-key', '--allowed-origins', '--max-message-bytes', 'MINUTES_SECRET']) {
      expect(stdout).toContain(flag)
    }
  })

  it('O5: a bad port, an unknown flag, a missing or short secret each stop the server with a message naming the problem', async () => {
    const cases: Array<[args: string[], env: Record<string, string | undefined>, names: RegExp]> = [
      [['--port', 'abc'], { MINUTES_SECRET: TEST_SECRET }, /--port.*"abc"/],
      [['--port', '70000'], { MINUTES_SECRET: TEST_SECRET }, /--port/],
      [['--bogus'], { MINUTES_SECRET: TEST_SECRET }, /--bogus/],
      [['--store', 'redis'], { MINUTES_SECRET: TEST_SECRET }, /--store/],
      [['--tls-cert', 'cert.pem'], { MINUTES_SECRET: TEST_SECRET }, /--tls-key/],
      [[], { MINUTES_SECRET: undefined }, /MINUTES_SECRET/],
      [[], { MINUTES_SECRET: 'short' }, /too short/],
    ]
    const results = await Promise.all(cases.map(([args, env]) => runScript('sync-server/main.ts', ['--port', '0', '--store', 'memory', ...args], env)))
    results.forEach(({ code, stderr }, i) => {
      const [args, , names] = cases[i]!
      expect(code, args.join(' ')).not.toBe(0)
      expect(stderr, args.join(' ')).toMatch(names)
    })
  })

  it('O5: with port 0 the first log line says which port was picked', async () => {
    const server = await startServerProcess(['--store', 'memory'])
    onTestFinished(() => server.kill9())
    const first = JSON.parse(server.output[0]!) as { msg: string; port: number; url: string }
    expect(first.msg).toBe('listening')
    expect(first.port).toBeGreaterThan(0)
    expect(first.url).toBe(`ws://127.0.0.1:${first.port}`)
    expect((await fetch(`http://127.0.0.1:${first.port}/healthz`)).status).toBe(200)
  })
})

describe('token CLI', () => {
  it('npm run token prints a token and a join code for the space that a server with the same secret accepts', async () => {
    const { code, stdout } = await runScript('sync-server/token-cli.ts', ['--room', 'space-1/*', '--role', 'editor', '--ttl', '30d', '--json'])
    expect(code).toBe(0)
    const { token, joinCode } = JSON.parse(stdout) as { token: string; joinCode: string }
    const decoded = decodeJoinCode(joinCode)
    expect(decoded).toEqual({ ok: true, value: { server: 'ws://127.0.0.1:1234', space: 'space-1', token } })

    const server = await startTestServer()
    onTestFinished(() => server.close())
    const a = connectClient(server.url, 'space-1/meeting-1', token)
    const b = connectClient(server.url, 'space-1/meeting-1', token)
    onTestFinished(() => {
      a.destroy()
      b.destroy()
    })
    await Promise.all([whenSynced(a), whenSynced(b)])
    a.doc.getText('t').insert(0, 'joined with the CLI token')
    await whenDoc(b.doc, (d) => d.getText('t').length > 0)
  })

  it('npm run token refuses --ttl 0, a bad role, a missing room and a missing secret with a clear message', async () => {
    const cases: Array<[args: string[], env: Record<string, string | undefined>, names: RegExp]> = [
      [['--room', 'space-1/*', '--ttl', '0'], { MINUTES_SECRET: TEST_SECRET }, /--ttl/],
      [['--room', 'space-1/*', '--ttl', 'soon'], { MINUTES_SECRET: TEST_SECRET }, /--ttl/],
      [['--room', 'space-1/*', '--role', 'admin'], { MINUTES_SECRET: TEST_SECRET }, /--role/],
      [[], { MINUTES_SECRET: TEST_SECRET }, /--room/],
      [['--room', 'space-1/*'], { MINUTES_SECRET: undefined }, /MINUTES_SECRET/],
    ]
    const results = await Promise.all(cases.map(([args, env]) => runScript('sync-server/token-cli.ts', args, env)))
    results.forEach(({ code, stdout, stderr }, i) => {
      const [args, , names] = cases[i]!
      expect(code, args.join(' ')).not.toBe(0)
      expect(stderr, args.join(' ')).toMatch(names)
      expect(stdout, args.join(' ')).not.toMatch(/eyJ/)
    })
  })
})

describe('A7: logs', () => {
  it('A7: after refused upgrades and a normal session the logs hold no token and no document text', async () => {
    const server = await startServerProcess(['--store', 'memory', '--log-level', 'debug'])
    onTestFinished(() => server.kill9())
    const valid = await makeToken({ room: 'a7/room', name: 'Secret Name' })
    const otherRoom = await makeToken({ room: 'a7/elsewhere' })
    const garbage = 'not-a-jwt-SECRETISH-0123456789'

    for (const token of [garbage, otherRoom]) {
      const ws = new WebSocket(`${server.url}/a7/room?token=${token}`)
      ws.on('error', () => {})
      await new Promise<void>((resolve) => ws.once('unexpected-response', () => resolve()))
      ws.terminate()
    }
    const pair = await startPair(server.url, 'a7/room', valid)
    pair.a.awareness.setLocalStateField('user', { name: 'Awareness Person' })
    pair.a.doc.getText('t').insert(0, 'CONFIDENTIAL MINUTES TEXT')
    await whenDoc(pair.b.doc, (d) => d.getText('t').toString().includes('CONFIDENTIAL'))
    const bad = await openRawClient(server.url, 'a7/room', valid)
    bad.send(awarenessMessage([{ clientId: 7, clock: 1, state: '{"leak":"AWARENESS-LEAK' }]))
    await whenClosed(bad)
    pair.a.destroy()
    pair.b.destroy()

    expect(await server.terminate()).toBe(0)
    await whenOutputEnded(server)
    const logs = server.output.join('\n')
    expect(logs).toContain('upgrade refused')
    for (const secret of [valid, otherRoom, garbage, 'CONFIDENTIAL', 'Awareness Person', 'Secret Name', 'AWARENESS-LEAK', 'token=']) {
      expect(logs).not.toContain(secret)
    }
  })
})

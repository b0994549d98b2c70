import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { MessageType } from '../../src/protocol'
import { SQLITE_FILE_NAME } from '../../sync-server/persistence/sqlite-store'
import { connectClient, makeToken, startTestServer, tempDir, whenDoc, whenSynced } from '../helpers/server'

const startServer = async (options: Parameters<typeof startTestServer>[0] = {}) => {
  const server = await startTestServer(options)
  onTestFinished(() => server.close())
  return server
}

const client = (...args: Parameters<typeof connectClient>) => {
  const provider = connectClient(...args)
  onTestFinished(() => provider.destroy())
  return provider
}

/** Sends a raw WebSocket upgrade for `path` exactly as written: the HTTP status and body of the answer. */
const upgradeStatus = (port: number, path: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let received = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      received += chunk
      // A 101 leaves the socket open: its head is the whole answer.
      if (received.startsWith('HTTP/1.1 101') && received.includes('\r\n\r\n')) socket.destroy()
    })
    socket.once('error', reject)
    socket.once('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0)
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) })
    })
    socket.once('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      )
    })
  })

/** The text of `room` as stored in the SQLite file right now, read through a separate connection. */
const storedText = (dataDir: string, room: string): string => {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true })
  try {
    const doc = new Y.Doc()
    for (const row of db.prepare<[string], { data: Buffer }>('SELECT data FROM updates WHERE room = ? ORDER BY id').all(room)) {
      Y.applyUpdate(doc, row.data)
    }
    return doc.getText('t').toString()
  } finally {
    db.close()
  }
}

describe('the y-websocket protocol, unchanged', () => {
  it('P1/P2: stock clients sync a room, see each other\'s edits, and reconnect', async () => {
    const server = await startServer()
    const token = await makeToken({ room: 'space-1/*' })
    const a = client(server.url, 'space-1/meeting-a', token)
    const b = client(server.url, 'space-1/meeting-a', token)
    const other = client(server.url, 'space-1/meeting-b', token)
    await Promise.all([whenSynced(a), whenSynced(b), whenSynced(other)])
    a.doc.getText('t').insert(0, 'Incheckning')
    await whenDoc(b.doc, (d) => d.getText('t').toString() === 'Incheckning')
    expect(other.doc.getText('t').toString()).toBe('')

    b.disconnect()
    a.doc.getText('t').insert(11, ' och dagordning')
    b.doc.getText('t').insert(0, '1. ')
    b.connect()
    await whenDoc(a.doc, (d) => d.getText('t').toString() === '1. Incheckning och dagordning')
    await whenDoc(b.doc, (d) => d.getText('t').toString() === '1. Incheckning och dagordning')
  })

  it('P2: a room path with several segments is one room', async () => {
    const server = await startServer()
    const token = await makeToken({ room: 'space-1/*' })
    const a = client(server.url, 'space-1/series/2026-11-25', token)
    const b = client(server.url, 'space-1/series/2026-11-25', token)
    await Promise.all([whenSynced(a), whenSynced(b)])
    a.doc.getText('t').insert(0, 'x')
    await whenDoc(b.doc, (d) => d.getText('t').toString() === 'x')
  })

  it('P1: each room has exactly one spelling: dot segments, empty segments and any percent-encoding are refused with 400 and a reason', async () => {
    const server = await startServer()
    const token = await makeToken({ room: 'space-1/*' })
    const cases: Array<[path: string, expected: number, reason?: RegExp]> = [
      ['space-1/x', 101],
      ['space-1/a.b/..c/.../d~e:f@g_h', 101],
      // The case: a space-1 token opened a room literally named space-1/../space-2/x.
      ['space-1%2F..%2Fspace-2%2Fx', 400, /percent-encoded/],
      ['space-1%2Fx', 400, /percent-encoded/],
      ['space-1/%78', 400, /percent-encoded/],
      ['space-1/%2e%2e/space-2/x', 400, /percent-encoded/],
      ['space-1/../space-2/x', 400, /'\.' or '\.\.' segment/],
      ['space-1/./x', 400, /'\.' or '\.\.' segment/],
      ['space-1/x/..', 400, /'\.' or '\.\.' segment/],
      ['space-1//x', 400, /empty segment/],
      ['space-1/x/', 400, /empty segment/],
      ['/space-1/x', 400, /empty segment/],
      ['', 400, /empty/],
      ['space-1/x!y', 400, /character/],
      ['space-1\\x', 400, /character/],
      [`space-1/${'x'.repeat(200)}`, 400, /200 characters/],
    ]
    for (const [room, expected, reason] of cases) {
      const { status, body } = await upgradeStatus(server.port, `/${room}?token=${token}`)
      expect({ room, status }).toEqual({ room, status: expected })
      if (reason !== undefined) expect(body, room).toMatch(reason)
      // The reason names the rule, never the room (SPEC A7).
      if (room.length > 0) expect(body, room).not.toContain(room)
    }
  })

  it('P2/P3: presence shows who is here, and a client that leaves disappears for the others', async () => {
    const server = await startServer()
    const token = await makeToken({ room: 'space-1/*' })
    const a = client(server.url, 'space-1/m', token)
    const b = client(server.url, 'space-1/m', token)
    a.awareness.setLocalStateField('user', { name: 'Annika Andersson', color: '#1f77b4' })
    await Promise.all([whenSynced(a), whenSynced(b)])
    await vi.waitFor(() => expect(b.awareness.getStates().get(a.doc.clientID)).toMatchObject({ user: { name: 'Annika Andersson' } }))
    a.disconnect()
    await vi.waitFor(() => expect(b.awareness.getStates().has(a.doc.clientID)).toBe(false))
  })

  it('P3: an awareness change costs the server O(N) messages, echoes from stock clients stop at the server', async () => {
    const server = await startServer()
    const token = await makeToken({ room: 'space-1/*' })
    const n = 10
    const clients = Array.from({ length: n }, (_, i) => {
      const c = client(server.url, 'space-1/presence', token)
      c.awareness.setLocalStateField('user', { name: `Person ${i}` })
      return c
    })
    await Promise.all(clients.map((c) => whenSynced(c)))
    await vi.waitFor(() => {
      for (const c of clients) expect(c.awareness.getStates().size).toBe(n)
    })
    const metricValue = async (name: 'awarenessIn' | 'awarenessOut') => (await server.metrics[name].get()).values[0]?.value ?? 0
    // Let the joins' own traffic settle: it ends when counts stop moving across a quiet check.
    let settledIn = -1
    await vi.waitFor(async () => {
      const now = await metricValue('awarenessIn')
      const was = settledIn
      settledIn = now
      expect(now).toBe(was)
    }, { interval: 100, timeout: 10_000 })
    const inBefore = await metricValue('awarenessIn')
    const outBefore = await metricValue('awarenessOut')

    clients[0]!.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 })
    // 1 change in, forwarded to the n - 1 others; each of them echoes it back (stock client).
    await vi.waitFor(async () => expect((await metricValue('awarenessIn')) - inBefore).toBe(n))
    const forwarded = (await metricValue('awarenessOut')) - outBefore
    expect(forwarded).toBe(n - 1) // a naive relay would send (n - 1) + (n - 1)²
  })

  it('P4/P5: only clients that asked for it get durable acks, and an ack covers what is on disk', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const server = await startServer({ dataDir: data.path })
    const token = await makeToken({ room: 'space-1/*' })
    const unknownMessages = vi.spyOn(console, 'error')
    onTestFinished(() => unknownMessages.mockRestore())
    const stock = client(server.url, 'space-1/m', token)
    const ours = client(server.url, 'space-1/m', token, { ack: true, connect: false })
    const acks: Map<number, number>[] = []
    ours.messageHandlers[MessageType.durableAck] = (_encoder, decoder) => {
      acks.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)))
    }
    ours.connect()
    await Promise.all([whenSynced(stock), whenSynced(ours)])
    await vi.waitFor(() => expect(acks.length).toBeGreaterThan(0))

    ours.doc.getText('t').insert(0, 'Beslut: budgeten antas')
    const clock = Y.encodeStateVector(ours.doc)
    const mine = Y.decodeStateVector(clock).get(ours.doc.clientID)!
    await vi.waitFor(() => expect(acks.at(-1)?.get(ours.doc.clientID)).toBe(mine))
    // Acknowledged means stored: read the SQLite file through another connection.
    expect(storedText(data.path, 'space-1/m')).toBe('Beslut: budgeten antas')
    await whenDoc(stock.doc, (d) => d.getText('t').toString() === 'Beslut: budgeten antas')
    expect(unknownMessages).not.toHaveBeenCalledWith('Unable to compute message')
  })

  it('D1: every update a client receives is already in the store', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const server = await startServer({ dataDir: data.path })
    const token = await makeToken({ room: 'space-1/*' })
    const writer = client(server.url, 'space-1/d1', token)
    const reader = client(server.url, 'space-1/d1', token)
    await Promise.all([whenSynced(writer), whenSynced(reader)])
    const notYetStored: string[] = []
    reader.doc.on('update', () => {
      const seen = reader.doc.getText('t').toString()
      if (!storedText(data.path, 'space-1/d1').startsWith(seen)) notYetStored.push(seen)
    })
    for (let i = 0; i < 50; i++) writer.doc.getText('t').insert(i, String(i % 10))
    await whenDoc(reader.doc, (d) => d.getText('t').length === 50)
    expect(notYetStored).toEqual([])
  })
})

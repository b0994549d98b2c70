import { SignJWT } from 'jose'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { WebSocket } from 'ws'
import { CloseCode } from '../../src/protocol'
import { createLogger } from '../../sync-server/logger'
import { signToken } from '../../sync-server/tokens'
import { TEST_SECRET, connectClient, makeToken, startTestServer, whenDoc, whenSynced } from '../helpers/server'

const ROOM = 'space-1/meeting'

/** What an upgrade with this token gets: an HTTP status, or an open socket. */
const upgrade = (url: string, room: string, token: string | null, headers: Record<string, string> = {}) =>
  new Promise<{ status: number | 'open'; bytes: number }>((resolve) => {
    const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
    const ws = new WebSocket(`${url}/${room}${query}`, { headers })
    let bytes = 0
    ws.on('message', (data: Buffer) => (bytes += data.byteLength))
    ws.on('unexpected-response', (_req, res) => {
      res.on('data', (chunk: Buffer) => (bytes += chunk.byteLength))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }))
      res.resume()
    })
    ws.on('open', () => {
      resolve({ status: 'open', bytes })
      ws.close()
    })
    ws.on('error', () => {})
  })

const tokens = async () => ({
  none: null,
  malformed: 'not.a.jwt',
  expired: await signToken(TEST_SECRET, { room: 'space-1/*', role: 'editor', exp: Math.floor(Date.now() / 1000) - 10 }),
  'wrong room': await makeToken({ room: 'space-2/*' }),
  'wrong key': await signToken('another-secret-0123456789-abcdefghijkl', { room: 'space-1/*', role: 'editor' }),
  'no expiry': await new SignJWT({ room: 'space-1/*', role: 'editor' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_SECRET)),
  viewer: await makeToken({ room: 'space-1/*', role: 'viewer' }),
  editor: await makeToken({ room: ROOM }),
})

describe('access', () => {
  it('A2: every token is checked at the upgrade, before a WebSocket exists, and refusals carry no room bytes', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const t = await tokens()
    const expected: Record<keyof typeof t, number | 'open'> = {
      none: 401,
      malformed: 401,
      expired: 401,
      'wrong room': 403,
      'wrong key': 401,
      'no expiry': 401,
      viewer: 'open',
      editor: 'open',
    }
    for (const [kind, token] of Object.entries(t) as Array<[keyof typeof t, string | null]>) {
      const result = await upgrade(server.url, ROOM, token)
      expect({ kind, status: result.status }).toEqual({ kind, status: expected[kind] })
      if (result.status !== 'open') expect(result.bytes).toBe(0)
    }
    expect((await upgrade(server.url, '', t.editor)).status).toBe(400)
    expect((await upgrade(server.url, '..%2', t.editor)).status).toBe(400)
  })

  it('A3: a space claim grants every room of the space and nothing else', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'space-1/*' })
    expect((await upgrade(server.url, 'space-1/a', token)).status).toBe('open')
    expect((await upgrade(server.url, 'space-1/a/b', token)).status).toBe('open')
    expect((await upgrade(server.url, 'space-10/a', token)).status).toBe(403)
    expect((await upgrade(server.url, 'space-2/a', token)).status).toBe(403)
  })

  it('A4: a viewer reads the document and presence, but its edits are never applied, stored or forwarded', async () => {
    const server = await startTestServer()
    onTestFinished(() => server.close())
    const editor = connectClient(server.url, ROOM, await makeToken({ room: ROOM }))
    const viewer = connectClient(server.url, ROOM, await makeToken({ room: ROOM, role: 'viewer' }))
    onTestFinished(() => {
      editor.destroy()
      viewer.destroy()
    })
    await Promise.all([whenSynced(editor), whenSynced(viewer)])
    editor.doc.getText('t').insert(0, 'Närvarande: AA, BB')
    await whenDoc(viewer.doc, (d) => d.getText('t').toString() === 'Närvarande: AA, BB')

    viewer.awareness.setLocalState({ user: { name: 'Viewer' }, cursor: { anchor: 1, head: 2 } })
    await vi.waitFor(() => expect(editor.awareness.getStates().get(viewer.doc.clientID)).toEqual({ user: { name: 'Viewer' }, viewer: true }))

    viewer.doc.getText('t').insert(0, 'VIEWER WAS HERE ')
    // The editor's next edit arrives after anything the viewer could have caused: order is per room.
    editor.doc.getText('t').insert(0, '§1 ')
    await whenDoc(viewer.doc, (d) => d.getText('t').toString().includes('§1 '))
    const fresh = connectClient(server.url, ROOM, await makeToken({ room: ROOM }))
    onTestFinished(() => fresh.destroy())
    await whenSynced(fresh)
    expect(fresh.doc.getText('t').toString()).toBe('§1 Närvarande: AA, BB')
    expect(editor.doc.getText('t').toString()).toBe('§1 Närvarande: AA, BB')
  })

  it('A5: a connection whose token expires is closed with 4401', async () => {
    const server = await startTestServer({ tokenCheckIntervalMs: 100 })
    onTestFinished(() => server.close())
    const token = await signToken(TEST_SECRET, { room: ROOM, role: 'editor', exp: Math.floor(Date.now() / 1000) + 2 })
    const ws = new WebSocket(`${server.url}/${ROOM}?token=${token}`)
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    expect(await closed).toBe(CloseCode.tokenExpired)
  })

  it('A6: a browser page from another site is refused; extension pages and allowed origins are not', async () => {
    const server = await startTestServer({ allowedOrigins: ['chrome-extension://*', 'moz-extension://*', 'https://minutes.example.se'] })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: ROOM })
    expect((await upgrade(server.url, ROOM, token, { Origin: 'https://evil.example.com' })).status).toBe(403)
    expect((await upgrade(server.url, ROOM, token, { Origin: 'chrome-extension://abcdefghijklmnop' })).status).toBe('open')
    expect((await upgrade(server.url, ROOM, token, { Origin: 'moz-extension://1234-5678' })).status).toBe('open')
    expect((await upgrade(server.url, ROOM, token, { Origin: 'https://minutes.example.se' })).status).toBe('open')
  })

  it('A7: tokens and document content never reach the logs', async () => {
    const lines: string[] = []
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) })
    const server = await startTestServer({ logger })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: ROOM })
    const wrong = await makeToken({ room: 'space-9/*' })
    await upgrade(server.url, ROOM, wrong)
    await upgrade(server.url, ROOM, 'garbage-token-value')
    const a = connectClient(server.url, ROOM, token)
    const b = connectClient(server.url, ROOM, token)
    onTestFinished(() => {
      a.destroy()
      b.destroy()
    })
    await Promise.all([whenSynced(a), whenSynced(b)])
    a.doc.getText('t').insert(0, 'Sekretessbelagt ärende')
    await whenDoc(b.doc, (d) => d.getText('t').length > 0)
    expect(lines.length).toBeGreaterThan(0)
    const all = lines.join('\n')
    for (const secret of [token, wrong, 'garbage-token-value', 'Sekretessbelagt', TEST_SECRET]) expect(all).not.toContain(secret)
  })
})

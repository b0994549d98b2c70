import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { Origin } from '../../src/doc/origins'
import { SyncConnection, type SyncStatus } from '../../src/sync'
import { makeToken, whenDoc } from '../helpers/server'
import { connect, kindIs, recordStatuses, startServer, whenStatus } from './sync-helpers'

const type = (doc: Y.Doc, text: string): void =>
  doc.transact(() => doc.getText('t').insert(doc.getText('t').length, text), Origin.localForm)

describe('SyncConnection against the real sync server', () => {
  it('two attendees see each other’s text', async () => {
    const server = await startServer()
    const a = await connect(server, 'space-1/m1')
    const b = await connect(server, 'space-1/m1')
    await Promise.all([a.whenSynced, b.whenSynced])
    type(a.doc, 'Beslut: ja')
    await whenDoc(b.doc, (doc) => doc.getText('t').toString() === 'Beslut: ja')
    type(b.doc, '!')
    await whenDoc(a.doc, (doc) => doc.getText('t').toString() === 'Beslut: ja!')
  })

  it('goes connecting → syncing → saved, shows N unsaved right after an edit, then saved after the ack', async () => {
    const server = await startServer()
    const a = await connect(server, 'space-1/m1')
    const seen = recordStatuses(a)
    await whenStatus(a, kindIs('saved'))
    const kinds = seen.map((s) => s.kind).filter((k, i, all) => k !== all[i - 1])
    expect(kinds).toEqual(['connecting', 'syncing', 'saved'])

    type(a.doc, 'abc')
    expect(a.status).toEqual({ kind: 'unsaved', count: 3 })
    expect(a.unsavedCount).toBe(3)
    await whenStatus(a, kindIs('saved'))
    expect(a.unsavedCount).toBe(0)

    // A deletion moves no clock; it is unsaved until the server confirms it.
    a.doc.transact(() => a.doc.getText('t').delete(0, 1), Origin.localForm)
    expect(a.status).toEqual({ kind: 'unsaved', count: 1 })
    await whenStatus(a, kindIs('saved'))
    const fresh = await connect(server, 'space-1/m1')
    await fresh.whenSynced
    expect(fresh.doc.getText('t').toString()).toBe('bc')
  })

  it('counts edits made before connecting as unsaved until the server has them', async () => {
    const server = await startServer()
    const doc = new Y.Doc()
    type(doc, 'written offline')
    const a = await connect(server, 'space-1/m1', { doc })
    await whenStatus(a, kindIs('saved'))
    const b = await connect(server, 'space-1/m1')
    await b.whenSynced
    expect(b.doc.getText('t').toString()).toBe('written offline')
  })

  it('a token signed with another secret: auth-failed, and no further connection attempts', async () => {
    const server = await startServer()
    const { signToken } = await import('../../sync-server/tokens')
    const forged = await signToken('another-secret-0123456789-abcdefghijkl', { room: 'space-1/m1', role: 'editor', ttlSeconds: 600 })
    const a = await connect(server, 'space-1/m1', { token: forged, maxBackoffTime: 200 })
    let attempts = 0
    a.provider!.on('status', ({ status }) => {
      if (status === 'connecting') attempts++
    })
    const status = await whenStatus(a, kindIs('auth-failed'))
    expect(status).toEqual({ kind: 'auth-failed', reason: 'token-rejected' })
    expect(a.provider!.shouldConnect).toBe(false)
    const after = attempts
    // Asserting an absence: wait well past the provider's longest backoff (200 ms here) and count.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(attempts).toBe(after)
    expect(a.status.kind).toBe('auth-failed')
  })

  it('a refused upgrade is recognised through the health probe when the socket gives no status', async () => {
    const server = await startServer()
    const { signToken } = await import('../../sync-server/tokens')
    const forged = await signToken('another-secret-0123456789-abcdefghijkl', { room: 'space-1/m1', role: 'editor', ttlSeconds: 600 })
    // A browser-like WebSocket: the refusal's HTTP status is hidden, as Chromium hides it.
    const { WebSocket } = await import('ws')
    class BrowserLikeWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols)
        Object.defineProperty(this, 'onerror', {
          configurable: true,
          get: () => null,
          set: (handler: ((event: { type: string }) => void) | null) => {
            this.addEventListener('error', () => handler?.({ type: 'error' }))
          },
        })
      }
    }
    const a = await connect(server, 'space-1/m1', {
      token: forged,
      WebSocketPolyfill: BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket,
      refusalsBeforeAuthFailure: 2,
      maxBackoffTime: 100,
    })
    const status = await whenStatus(a, kindIs('auth-failed'))
    expect(status).toEqual({ kind: 'auth-failed', reason: 'token-rejected' })

    // Without the probe the same refusal is indistinguishable from a server that is down: keep trying.
    const b = await connect(server, 'space-1/m1', {
      token: forged,
      WebSocketPolyfill: BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket,
      refusalsBeforeAuthFailure: 2,
      maxBackoffTime: 50,
      probe: null,
    })
    await whenStatus(b, (s) => s.kind === 'connecting' && s.attempt >= 4)
  })

  it('an unreachable server is not an auth failure: it keeps connecting', async () => {
    const server = await startServer()
    const url = server.url
    await server.close()
    const a = await connect({ url }, 'space-1/m1', { refusalsBeforeAuthFailure: 2, maxBackoffTime: 50 })
    await whenStatus(a, (s) => s.kind === 'connecting' && s.attempt >= 4)
    expect(a.status.kind).toBe('connecting')
  })

  it('an expired token or one for another room fails before any socket is opened', async () => {
    const server = await startServer()
    const expired = await makeToken({ room: 'space-1/m1', exp: Math.floor(Date.now() / 1000) - 10 })
    const a = await connect(server, 'space-1/m1', { token: expired })
    expect(a.status).toEqual({ kind: 'auth-failed', reason: 'token-expired' })
    expect(a.provider!.ws).toBeNull()
    const b = await connect(server, 'space-1/m1', { tokenRoom: 'space-2/*' })
    expect(b.status).toEqual({ kind: 'auth-failed', reason: 'wrong-room' })
  })

  it('no server configured: offline, and the document still works locally', () => {
    const doc = new Y.Doc()
    const a = new SyncConnection({ serverUrl: null, room: 's/m', token: 'x.e30.y', doc })
    expect(a.status).toEqual<SyncStatus>({ kind: 'offline', reason: 'no-server', unsaved: 0 })
    type(doc, 'local')
    expect(a.status.kind).toBe('offline')
    a.destroy()
  })
})

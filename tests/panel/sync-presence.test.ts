import * as decoding from 'lib0/decoding'
import { WebSocket } from 'ws'
import { describe, expect, it, onTestFinished } from 'vitest'
import { MessageType } from '../../src/protocol'
import { Presence, type Attendee, type SyncConnection } from '../../src/sync'
import { fakePage } from './storage-helpers'
import { connect, startServer } from './sync-helpers'

/** Client ids in each awareness message this socket class sends. */
const recordingSocket = (sent: number[][]): typeof globalThis.WebSocket =>
  class RecordingWebSocket extends WebSocket {
    override send(data: unknown, ...rest: unknown[]): void {
      const bytes = new Uint8Array(data as ArrayBuffer)
      const decoder = decoding.createDecoder(bytes)
      if (decoding.readVarUint(decoder) === MessageType.awareness) {
        const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
        const ids: number[] = []
        const count = decoding.readVarUint(update)
        for (let i = 0; i < count; i++) {
          ids.push(decoding.readVarUint(update))
          decoding.readVarUint(update)
          decoding.readVarString(update)
        }
        sent.push(ids)
      }
      ;(super.send as (...args: unknown[]) => void)(data, ...rest)
    }
  } as unknown as typeof globalThis.WebSocket

const present = (connection: SyncConnection, name: string, page = fakePage()): Presence => {
  const presence = new Presence(connection.awareness, { name, color: '#336699' }, { page })
  onTestFinished(() => presence.destroy())
  return presence
}

const whenAttendees = (presence: Presence, names: string[], timeoutMs = 10_000): Promise<readonly Attendee[]> => {
  const matches = (list: readonly Attendee[]) => JSON.stringify(list.map((a) => a.name)) === JSON.stringify(names)
  if (matches(presence.attendees)) return Promise.resolve(presence.attendees)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`attendees ${JSON.stringify(presence.attendees.map((a) => a.name))}, wanted ${JSON.stringify(names)}`)),
      timeoutMs,
    )
    presence.on('change', (list) => {
      if (!matches(list)) return
      clearTimeout(timer)
      resolve(list)
    })
  })
}

describe('presence', () => {
  it('each attendee sees who is here, by name, sorted the Swedish way', async () => {
    const server = await startServer()
    const a = await connect(server, 'space-1/m1')
    const b = await connect(server, 'space-1/m1')
    const c = await connect(server, 'space-1/m1')
    const pa = present(a, 'Örjan')
    present(b, 'Anna')
    present(c, 'Åsa')
    const list = await whenAttendees(pa, ['Anna', 'Åsa', 'Örjan'])
    expect(list.find((x) => x.self)?.name).toBe('Örjan')
  })

  it('a client sends only its own awareness entry, even with others in the room', async () => {
    const server = await startServer()
    const sent: number[][] = []
    const a = await connect(server, 'space-1/m1', { WebSocketPolyfill: recordingSocket(sent) })
    const b = await connect(server, 'space-1/m1')
    const c = await connect(server, 'space-1/m1')
    const pa = present(a, 'A')
    const pb = present(b, 'B')
    present(c, 'C')
    await whenAttendees(pa, ['A', 'B', 'C'])
    pb.setUser({ name: 'Bea', color: '#aa0000' })
    await whenAttendees(pa, ['A', 'Bea', 'C'])
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.flat().every((id) => id === a.doc.clientID)).toBe(true)
  })

  it('cursor moves are throttled: twenty moves at once send at most two messages', async () => {
    const server = await startServer()
    const sent: number[][] = []
    const a = await connect(server, 'space-1/m1', { WebSocketPolyfill: recordingSocket(sent), awarenessThrottleMs: 80 })
    const b = await connect(server, 'space-1/m1')
    const pa = present(a, 'A')
    const pb = present(b, 'B')
    await Promise.all([whenAttendees(pa, ['A', 'B']), whenAttendees(pb, ['A', 'B'])])
    const before = sent.length
    for (let i = 0; i < 20; i++) a.awareness.setLocalStateField('cursor', { anchor: i, head: i })
    const lastCursor = new Promise<void>((resolve) =>
      b.awareness.on('change', () => {
        const state = b.awareness.getStates().get(a.doc.clientID) as { cursor?: { head: number } } | undefined
        if (state?.cursor?.head === 19) resolve()
      }),
    )
    await lastCursor
    expect(sent.length - before).toBeLessThanOrEqual(2)
  })

  it('closing the panel (pagehide) removes the attendee for the others at once', async () => {
    const server = await startServer()
    const a = await connect(server, 'space-1/m1')
    const b = await connect(server, 'space-1/m1')
    const page = fakePage()
    present(a, 'A', page)
    const pb = present(b, 'B')
    await whenAttendees(pb, ['A', 'B'])
    page.window.dispatchEvent(new Event('pagehide'))
    await whenAttendees(pb, ['B'])
  })
})

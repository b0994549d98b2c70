import * as Y from 'yjs'
import { MessageType, type AdjustmentRequest } from '../../src/protocol'
import { describe, expect, it } from 'vitest'
import { createStore, meetingRoom, openMeetingSession, type DocConnection, type PanelStatus, type PresencePeer } from '../../src/session'
import { readConfirmed } from '../../src/storage'
import type { ServerConfirmed } from '../../src/sync'
import { noEditor, whenStore } from './session-helpers'
import { fakePage, openTestDatabase } from './storage-helpers'

/** A connection the test drives: its status, and what it says the server has confirmed. */
const fakeConnection = () => {
  const status = createStore<PanelStatus>({ kind: 'connecting', unsaved: 0 })
  let confirmed: ServerConfirmed = { vector: new Map(), pendingDeletions: 0 }
  const connection: DocConnection = {
    status,
    presence: createStore<readonly PresencePeer[]>([]),
    awareness: null,
    fromServer: () => false,
    confirmed: () => confirmed,
    onConfirmed: () => () => {},
    destroy: () => {},
  }
  return {
    connection,
    status,
    confirm: (next: ServerConfirmed) => {
      confirmed = next
    },
  }
}

const open = (db: Awaited<ReturnType<typeof openTestDatabase>>, connect: Parameters<typeof openMeetingSession>[0]['connect']) =>
  openMeetingSession({
    db,
    space: 'space-1',
    meetingId: 'm1',
    page: fakePage(),
    connect,
    mountEditor: noEditor,
    self: { name: 'Annika', color: '#000000' },
    onMeta: () => {},
  })

describe('a meeting session', () => {
  it('says "local" for a meeting without a server, and lists only yourself as present', async () => {
    const db = await openTestDatabase()
    const session = await open(db, null)
    expect(session.status.get()).toEqual({ kind: 'local' })
    expect(session.presence.get()).toEqual([{ clientId: session.doc.clientID, name: 'Annika', color: '#000000', self: true, verified: false }])
    expect(session.reopen).toBeUndefined()
    session.destroy()
  })

  it('shows what its connection says, as it changes', async () => {
    const db = await openTestDatabase()
    const fake = fakeConnection()
    const session = await open(db, () => fake.connection)
    expect(session.status.get()).toEqual({ kind: 'connecting', unsaved: 0 })
    fake.status.set({ kind: 'unsaved', count: 3 })
    expect(session.status.get()).toEqual({ kind: 'unsaved', count: 3 })
    fake.status.set({ kind: 'saved' })
    expect(session.status.get()).toEqual({ kind: 'saved' })
    session.destroy()
  })

  it('remembers what the server confirmed when the status changes, and the next session of the meeting starts from it', async () => {
    const db = await openTestDatabase()
    const stored = async () => {
      const record = await readConfirmed(db, meetingRoom('space-1', 'm1'))
      return record === undefined ? undefined : { vector: Y.decodeStateVector(record.vector), pendingDeletions: record.pendingDeletions }
    }
    const first = fakeConnection()
    first.confirm({ vector: new Map([[7, 3]]), pendingDeletions: 0 })
    const session = await open(db, () => first.connection)
    // Written as the session starts (a later read in IndexedDB waits for that write).
    expect(await stored()).toEqual({ vector: new Map([[7, 3]]), pendingDeletions: 0 })

    first.confirm({ vector: new Map([[7, 5], [9, 1]]), pendingDeletions: 2 })
    first.status.set({ kind: 'saved' })
    expect(await stored()).toEqual({ vector: new Map([[7, 5], [9, 1]]), pendingDeletions: 2 })
    session.destroy()

    const known: Array<ServerConfirmed | undefined> = []
    const again = await open(db, (_doc, room, confirmed) => {
      expect(room).toBe(meetingRoom('space-1', 'm1'))
      known.push(confirmed)
      return fakeConnection().connection
    })
    expect(known).toEqual([{ vector: new Map([[7, 5], [9, 1]]), pendingDeletions: 2 }])
    again.destroy()
  })

  it('starts from nothing confirmed when no earlier session of the meeting remembered anything', async () => {
    const db = await openTestDatabase()
    const known: Array<ServerConfirmed | undefined> = []
    const session = await open(db, (_doc, _room, confirmed) => {
      known.push(confirmed)
      return fakeConnection().connection
    })
    expect(known).toEqual([undefined])
    session.destroy()
  })

  it('keeps an approval made offline through closing the panel, and sends it when a later session of the meeting connects', async () => {
    const db = await openTestDatabase()
    const approval: AdjustmentRequest = { type: MessageType.approve, personId: 'p-anna', contentHash: 'h1' }
    const offline = fakeConnection()
    const first = await open(db, () => offline.connection)
    expect(first.adjustment!.send(approval)).toBe(false)
    expect(first.adjustment!.queued.get()).toEqual([approval])
    first.destroy()

    const sent: AdjustmentRequest[] = []
    const later = fakeConnection()
    later.connection.requestAdjustment = (request) => {
      sent.push(request)
      return true
    }
    const second = await open(db, () => later.connection)
    // Still offline: shown as waiting, not sent.
    await whenStore(second.adjustment!.queued, (queued) => queued.length === 1)
    expect(sent).toEqual([])
    later.status.set({ kind: 'saved' })
    expect(sent).toEqual([approval])
    expect(second.adjustment!.queued.get()).toEqual([])
    second.destroy()

    // Sent once: a third session has nothing left to send.
    const third = fakeConnection()
    const again: AdjustmentRequest[] = []
    third.connection.requestAdjustment = (request) => {
      again.push(request)
      return true
    }
    third.status.set({ kind: 'saved' })
    const session = await open(db, () => third.connection)
    await session.adjustment!.ready
    expect(again).toEqual([])
    session.destroy()
  })
})

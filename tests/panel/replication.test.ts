import { describe, expect, it, onTestFinished, vi } from 'vitest'
import * as Y from 'yjs'
import { getMeta } from '../../src/doc'
import { Origin } from '../../src/doc/origins'
import { createSpaceSession, createSyncConnector, meetingRoom, type SpaceSession } from '../../src/session'
import { listMeetings, type MinutesDatabase } from '../../src/storage'
import { Replicator, SpaceIndex, alwaysOnline, spaceIndexRoom, type ReplicaStore, type ReplicationProgress } from '../../src/sync'
import { connectClient, makeToken, whenDoc, whenSynced } from '../helpers/server'
import { countingWebSocket, meetingIds, seededNotes, seededTitle, startSeededServer } from './replication-helpers'
import { noEditor, whenStore } from './session-helpers'
import { fakePage, interceptTransactions, openTestDatabase } from './storage-helpers'

const SPACE = 'space-1'

/** Counts the sockets every connection of the test opens (the panel's code uses the global `WebSocket`). */
const countSockets = (countRoom?: (room: string) => boolean) => {
  const sockets = countingWebSocket(countRoom)
  vi.stubGlobal('WebSocket', sockets.WebSocket)
  onTestFinished(() => void vi.unstubAllGlobals())
  return sockets.counts
}

const openSpace = async (
  server: { url: string },
  db: MinutesDatabase,
  token?: string,
  storageEstimate?: () => Promise<{ usage?: number; quota?: number }>,
): Promise<SpaceSession> => {
  const session = createSpaceSession({
    db,
    profile: { displayName: 'Berit', color: '#336699', space: { server: server.url, space: SPACE, token: token ?? (await makeToken({ room: `${SPACE}/*` })) } },
    page: fakePage(),
    connect: createSyncConnector({ network: alwaysOnline }),
    mountEditor: noEditor,
    now: Date.now,
    replication: { debounceMs: 10, ...(storageEstimate !== undefined ? { storageEstimate } : {}) },
  })
  onTestFinished(() => session.destroy())
  return session
}

/** Resolves with the last progress of the next pass that runs to its end. */
const nextPass = (session: SpaceSession, timeoutMs = 60_000): Promise<ReplicationProgress> => {
  let last: ReplicationProgress | null = null
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop()
      reject(new Error(`no replication pass ended within ${timeoutMs} ms; last: ${JSON.stringify(last)}`))
    }, timeoutMs)
    const stop = session.replication.subscribe(() => {
      const progress = session.replication.get()
      if (progress !== null) return void (last = progress)
      if (last === null) return
      clearTimeout(timer)
      stop()
      resolve(last)
    })
  })
}

/** Writes into a meeting on the server through a stock client and waits until it is stored (a second client has it, SPEC D1). */
const writeOnServer = async (url: string, room: string, write: (doc: Y.Doc) => void, done: (doc: Y.Doc) => boolean): Promise<void> => {
  const token = await makeToken({ room: `${SPACE}/*` })
  const writer = connectClient(url, room, token)
  const reader = connectClient(url, room, token)
  try {
    await Promise.all([whenSynced(writer), whenSynced(reader)])
    writer.doc.transact(() => write(writer.doc), Origin.localForm)
    await whenDoc(reader.doc, done)
  } finally {
    writer.destroy()
    reader.destroy()
  }
}

const notesOf = (doc: Y.Doc): string => doc.getText('notes').toString()

describe('background replication', () => {
  it('R2: a member who joins later gets all 300 meetings of the space, with at most 3 sockets at a time, stored as the panel stores a meeting', async () => {
    const ids = meetingIds(300)
    const server = await startSeededServer(SPACE, ids)
    const sockets = countSockets((room) => room !== spaceIndexRoom(SPACE))
    const db = await openTestDatabase()
    const session = await openSpace(server, db)
    const progress: Array<ReplicationProgress | null> = []
    session.replication.subscribe(() => progress.push(session.replication.get()))

    const pass = await nextPass(session)
    expect(pass).toEqual({ done: 300, total: 300, failed: 0 })
    expect(progress[0]).toEqual({ done: 0, total: 300, failed: 0 })
    expect(sockets.maxAlive).toBeLessThanOrEqual(3)
    expect(sockets.maxAlive).toBeGreaterThan(1)
    expect(sockets.perRoom.size).toBe(300)
    expect([...sockets.perRoom.values()].every((n) => n === 1)).toBe(true)

    // Stored as a meeting the panel opened: an index record and the log, which readMeetings reads.
    const records = await listMeetings(db, SPACE)
    expect(records.map((r) => r.id).sort()).toEqual([...ids].sort())
    const copies = await session.readMeetings()
    onTestFinished(() => copies.forEach(({ doc }) => doc.destroy()))
    expect(copies).toHaveLength(300)
    for (const { id, doc } of copies) {
      const i = Number(id.slice(2))
      expect(getMeta(doc).title).toBe(seededTitle(i))
      expect(notesOf(doc)).toBe(seededNotes(i))
    }
    await whenStore(session.meetings, (list) => list.length === 300 && list.every((m) => !m.localOnly))
  })

  it('R2: on the next pass a changed meeting is fetched again, and only the difference reaches the copy; unchanged ones are not opened', async () => {
    const ids = meetingIds(20)
    const server = await startSeededServer(SPACE, ids)
    const sockets = countSockets((room) => room !== spaceIndexRoom(SPACE))
    const db = await openTestDatabase()
    const session = await openSpace(server, db)
    await nextPass(session)
    sockets.perRoom.clear()

    const changed = meetingRoom(SPACE, 'm-7')
    await writeOnServer(server.url, changed, (doc) => doc.getText('notes').insert(0, 'Added later. '), (doc) => notesOf(doc).startsWith('Added later'))
    const second = nextPass(session)
    // The index changes too (a member renamed the meeting): that starts the pass.
    await writeOnServer(
      server.url,
      spaceIndexRoom(SPACE),
      (doc) => new SpaceIndex(doc).update('m-7', { title: 'Renamed' }),
      (doc) => new SpaceIndex(doc).get('m-7')?.title === 'Renamed',
    )
    expect(await second).toEqual({ done: 1, total: 1, failed: 0 })
    expect(Object.fromEntries(sockets.perRoom)).toEqual({ [changed]: 1 })
    const copies = await session.readMeetings()
    onTestFinished(() => copies.forEach(({ doc }) => doc.destroy()))
    expect(notesOf(copies.find((c) => c.id === 'm-7')!.doc)).toBe(`Added later. ${seededNotes(7)}`)
  })

  it('R2: a meeting open in the panel is left to its own session', async () => {
    const ids = meetingIds(6)
    const server = await startSeededServer(SPACE, ids)
    const sockets = countSockets((room) => room !== spaceIndexRoom(SPACE))
    const db = await openTestDatabase()
    const session = await openSpace(server, db)
    const meeting = await session.openMeeting('m-3')
    onTestFinished(() => meeting.destroy())
    expect(await nextPass(session)).toEqual({ done: 5, total: 5, failed: 0 })
    // One socket for m-3: its session's.
    expect(sockets.perRoom.get(meetingRoom(SPACE, 'm-3'))).toBe(1)
    expect(sockets.perRoom.size).toBe(6)
  })

  it('R2: with the browser\'s storage nearly full, fetching stops short of the quota and says so; what is stored stays and the status line stays calm', async () => {
    const ids = meetingIds(10)
    const server = await startSeededServer(SPACE, ids)
    countSockets()
    const db = await openTestDatabase()
    // Three meetings fit below 90 % of the quota; the fourth would not.
    let stored = 0
    const session = await openSpace(server, db, undefined, async () => ({ usage: stored++ < 3 ? 50 : 95, quota: 100 }))
    await whenStore(session.storageNearlyFull, (percent) => percent !== null, 30_000)
    expect(session.storageNearlyFull.get()).toBe(95)
    expect(await listMeetings(db, SPACE)).toHaveLength(3)
    expect(session.status.get().kind).not.toBe('storage-error')
  })

  it('R2: a full disk stops replication and the status line says so', async () => {
    const ids = meetingIds(10)
    const server = await startSeededServer(SPACE, ids)
    countSockets()
    const real = await openTestDatabase()
    const db = interceptTransactions(real, (original, stores, mode, options) => {
      const names: readonly string[] = typeof stores === 'string' ? [stores] : Array.from(stores as ArrayLike<string>)
      if (names.includes('stamps') && mode === 'readwrite') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      return original(stores, mode, options)
    })
    const session = await openSpace(server, db)
    await whenStore(session.status, (status) => status.kind === 'storage-error', 30_000)
    expect(session.status.get()).toEqual({ kind: 'storage-error', code: 'quota' })
    expect(session.replication.get()).toBeNull()
    expect(await listMeetings(real, SPACE)).toEqual([])
  })
})

/** A replica store in memory: what the replicator stored, and its stamps. */
const memoryReplicas = (failFirst: ReadonlySet<string> = new Set()) => {
  const stamps = new Map<string, string>()
  const docs = new Map<string, Uint8Array>()
  const attempts = new Map<string, number>()
  const store: ReplicaStore = {
    stamps: async () => stamps,
    load: async (room, doc) => {
      const stored = docs.get(room)
      if (stored !== undefined) Y.applyUpdate(doc, stored, Origin.storage)
    },
    save: async ({ room, doc, stamp }) => {
      attempts.set(room, (attempts.get(room) ?? 0) + 1)
      if (failFirst.has(room) && attempts.get(room) === 1) return 'failed'
      docs.set(room, Y.encodeStateAsUpdate(doc))
      stamps.set(room, stamp)
      return 'saved'
    },
  }
  return { store, stamps, docs, attempts }
}

describe('replicator', () => {
  it('R2: a room the token may not read is never opened: the stamps do not list it', async () => {
    const ids = ['a-0', 'a-1', 'a-2', 'b-0', 'b-1']
    const server = await startSeededServer(SPACE, ids)
    const sockets = countingWebSocket()
    const replicas = memoryReplicas()
    const replicator = new Replicator({
      serverUrl: server.url,
      space: SPACE,
      token: await makeToken({ room: `${SPACE}/a-*` }),
      store: replicas.store,
      rooms: () => ids.map((id) => meetingRoom(SPACE, id)),
      skip: () => false,
      WebSocketPolyfill: sockets.WebSocket,
    })
    onTestFinished(() => replicator.destroy())
    expect(await replicator.runNow()).toEqual({ done: 3, total: 3, failed: 0 })
    expect([...sockets.counts.perRoom.keys()].sort()).toEqual(['a-0', 'a-1', 'a-2'].map((id) => meetingRoom(SPACE, id)))
    expect([...replicas.docs.keys()].sort()).toEqual(['a-0', 'a-1', 'a-2'].map((id) => meetingRoom(SPACE, id)))
  })

  it('R2: a meeting that fails is tried again on a later pass while the others are stored', async () => {
    const ids = meetingIds(5)
    const server = await startSeededServer(SPACE, ids)
    const failing = meetingRoom(SPACE, 'm-2')
    const replicas = memoryReplicas(new Set([failing]))
    const sockets = countingWebSocket()
    const replicator = new Replicator({
      serverUrl: server.url,
      space: SPACE,
      token: await makeToken({ room: `${SPACE}/*` }),
      store: replicas.store,
      rooms: () => ids.map((id) => meetingRoom(SPACE, id)),
      skip: () => false,
      WebSocketPolyfill: sockets.WebSocket,
      retryMs: 20,
    })
    onTestFinished(() => replicator.destroy())
    const passes: Array<ReplicationProgress | null> = []
    replicator.on('progress', (p) => passes.push(p))
    expect(await replicator.runNow()).toEqual({ done: 4, total: 5, failed: 1 })
    await vi.waitFor(() => expect(replicas.stamps.has(failing)).toBe(true), { timeout: 10_000 })
    expect(replicas.attempts.get(failing)).toBe(2)
    expect(sockets.counts.perRoom.get(failing)).toBe(2)
    expect(passes.filter((p) => p !== null).at(-1)).toEqual({ done: 1, total: 1, failed: 0 })
  })
})

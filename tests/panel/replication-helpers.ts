import { onTestFinished } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { createMeetingDoc, setMetaFields } from '../../src/doc'
import { Origin } from '../../src/doc/origins'
import { meetingRoom } from '../../src/session'
import { SpaceIndex, spaceIndexRoom } from '../../src/sync'
import { openSqliteStore } from '../../sync-server/persistence/sqlite-store'
import type { StoreEntry } from '../../sync-server/persistence/store'
import { startTestServer, tempDir } from '../helpers/server'

/** What a seeded meeting holds: its title and group in the header, and a line of notes. */
export const seededTitle = (i: number): string => `Meeting ${i}`
export const seededNotes = (i: number): string => `notes of meeting ${i}`

/** Meeting ids `<prefix><i>`, for i in 0…count−1. */
export const meetingIds = (count: number, prefix = 'm-'): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`)

/**
 * A real server on a real port whose SQLite store already holds a space: its index listing
 * `ids`, and each meeting with a title and notes, as if members had written them. Written into
 * the store before the server starts, so seeding 500 meetings costs no sockets.
 */
export const startSeededServer = async (space: string, ids: readonly string[]) => {
  const dir = tempDir()
  const store = openSqliteStore(dir.path)
  const entries: StoreEntry[] = []
  const indexDoc = new Y.Doc()
  const index = new SpaceIndex(indexDoc)
  ids.forEach((id, i) => {
    index.ensure(id, { title: seededTitle(i), group: 'LG', date: '2024-05-02', createdBy: 'Seeder' })
    const doc = createMeetingDoc()
    setMetaFields(doc, { title: seededTitle(i), group: 'LG', date: '2024-05-02' })
    doc.transact(() => doc.getText('notes').insert(0, seededNotes(i)), Origin.localForm)
    entries.push({ room: meetingRoom(space, id), update: Y.encodeStateAsUpdate(doc) })
    doc.destroy()
  })
  entries.push({ room: spaceIndexRoom(space), update: Y.encodeStateAsUpdate(indexDoc) })
  index.destroy()
  indexDoc.destroy()
  await store.append(entries)
  await store.close()
  const server = await startTestServer({ dataDir: dir.path })
  onTestFinished(async () => {
    await server.close()
    dir.remove()
  })
  return server
}

/**
 * `WebSocket` from `ws` that counts what it opens: per room (the URL's path), and the most
 * sockets alive at once (from construction to close). Use it as the global `WebSocket` or as
 * a `WebSocketPolyfill`.
 */
export const countingWebSocket = (countRoom: (room: string) => boolean = () => true) => {
  const counts = { alive: 0, maxAlive: 0, perRoom: new Map<string, number>() }
  class CountingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols)
      const room = new URL(String(address)).pathname.slice(1)
      if (!countRoom(room)) return
      counts.perRoom.set(room, (counts.perRoom.get(room) ?? 0) + 1)
      counts.alive++
      counts.maxAlive = Math.max(counts.maxAlive, counts.alive)
      this.once('close', () => counts.alive--)
    }
  }
  return { WebSocket: CountingWebSocket as unknown as typeof globalThis.WebSocket, counts }
}

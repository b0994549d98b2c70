import type { StoreEntry, StoredUpdate, UpdateStore } from './store'

/** Keeps rooms in memory only: for tests and for measuring what durability costs. */
export const createMemoryStore = (): UpdateStore => {
  const rooms = new Map<string, StoredUpdate[]>()
  const quarantined: Array<StoredUpdate & { room: string; reason: string }> = []
  let nextId = 1
  const append = (room: string, update: Uint8Array) => {
    let log = rooms.get(room)
    if (log === undefined) rooms.set(room, (log = []))
    log.push({ id: nextId++, update })
  }
  return {
    async load(room) {
      return [...(rooms.get(room) ?? [])]
    },
    async append(entries: ReadonlyArray<StoreEntry>) {
      for (const { room, update } of entries) append(room, update)
    },
    async compact(room, snapshot) {
      rooms.delete(room)
      append(room, snapshot)
    },
    async quarantine(room, ids, reason) {
      const log = rooms.get(room) ?? []
      for (const entry of log) if (ids.includes(entry.id)) quarantined.push({ ...entry, room, reason })
      rooms.set(room, log.filter((entry) => !ids.includes(entry.id)))
    },
    async checkpoint() {
      return true
    },
    async checkWritable() {},
    async close() {
      rooms.clear()
    },
  }
}

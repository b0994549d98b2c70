import type { StoreEntry, UpdateStore } from './store'

/** Keeps rooms in memory only: for tests and for measuring what durability costs. */
export const createMemoryStore = (): UpdateStore => {
  const rooms = new Map<string, Uint8Array[]>()
  return {
    async load(room) {
      return [...(rooms.get(room) ?? [])]
    },
    async append(entries: ReadonlyArray<StoreEntry>) {
      for (const { room, update } of entries) {
        let log = rooms.get(room)
        if (log === undefined) rooms.set(room, (log = []))
        log.push(update)
      }
    },
    async compact(room, snapshot) {
      rooms.set(room, [snapshot])
    },
    async checkWritable() {},
    async close() {
      rooms.clear()
    },
  }
}

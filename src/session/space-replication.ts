import * as Y from 'yjs'
import { getMeta } from '../doc'
import { Origin } from '../doc/origins'
import { applyStoredUpdate, readLog, readStamps, storeReplica, type MinutesDatabase } from '../storage'
import { classifyStorageFailure } from '../storage/storage-error'
import { Replicator, type NetworkState, type ReplicaStore, type SpaceIndex, type TokenSource } from '../sync'
import { meetingRoom } from './meeting-room'
import { createStore, type ReadableStore } from './store'
import type { ReplicationProgress } from './types'

/** How the space session replicates its meetings in the background (the panel passes its network state). */
export interface ReplicationSettings {
  network?: NetworkState
  /** Node: `WebSocket` from `ws`. Default: the global `WebSocket`. */
  WebSocketPolyfill?: typeof WebSocket
  fetchFn?: typeof fetch
  /** Sockets at once. Default 3. */
  maxConnections?: number
  debounceMs?: number
  retryMs?: number
  intervalMs?: number
  syncTimeoutMs?: number
  /**
   * How full the browser's storage is (`navigator.storage.estimate()`): fetching stops, before
   * the quota is hit, once usage passes `NEARLY_FULL` of it. Absent: only a refused write stops it.
   */
  storageEstimate?: () => Promise<{ usage?: number; quota?: number }>
}

/** The share of the browser's quota past which replication fetches nothing more. */
export const NEARLY_FULL = 0.9

export interface SpaceReplicationOptions extends ReplicationSettings {
  db: MinutesDatabase
  space: string
  server: string
  token: string | TokenSource
  index: SpaceIndex
  /** Is this meeting open in the panel now? Its session syncs it; replication leaves it alone. */
  isOpen(meetingId: string): boolean
  now(): number
  /** A meeting's local copy was written: the lists read it again. */
  onStored(): void
  /** This meeting's local copy was written (search re-indexes it). */
  onMeetingStored?(meetingId: string): void
}

/**
 * The space session's background replication: `src/sync`'s `Replicator` over this browser's
 * IndexedDB. A fetched meeting is stored as the panel stores one it opened (update log plus
 * meeting index record), so `readMeetings`, the register and the follow-up include it.
 */
export const startSpaceReplication = (options: SpaceReplicationOptions) => {
  const { db, space, index } = options
  const progress = createStore<ReplicationProgress | null>(null)
  const storageFull = createStore(false)
  // Percent of the quota in use when fetching stopped short of it; null while there is room.
  const nearlyFull = createStore<number | null>(null)
  const roomLeft = async (): Promise<boolean> => {
    if (options.storageEstimate === undefined) return true
    try {
      const { usage = 0, quota = 0 } = await options.storageEstimate()
      if (quota <= 0 || usage / quota < NEARLY_FULL) return true
      nearlyFull.set(Math.round((usage / quota) * 100))
      return false
    } catch {
      return true
    }
  }
  const prefix = `${space}/`
  const meetingIdOf = (room: string): string => room.slice(prefix.length)

  const store: ReplicaStore = {
    stamps: () => readStamps(db),
    load: async (room, doc) => {
      const log = await readLog(db, room)
      // A damaged record stays unapplied here as in a session (which reports it when opened).
      doc.transact(() => log.updates.forEach((update, i) => applyStoredUpdate(doc, update, Origin.storage, log.sums[i])), Origin.storage)
    },
    save: async ({ room, doc, before, changed, stamp, confirmed }) => {
      // Stops like a full disk, but before it: what is stored stays, nothing more is fetched.
      if (!(await roomLeft())) return 'quota'
      const meetingId = meetingIdOf(room)
      const meta = getMeta(doc)
      const listed = index.get(meetingId)
      try {
        await storeReplica(db, {
          docId: room,
          meetingId,
          update: changed ? Y.encodeStateAsUpdate(doc, before) : null,
          meeting: (existing) => ({
            id: meetingId,
            space,
            title: meta.title || listed?.title || existing?.title || '',
            group: meta.group || listed?.group || existing?.group || '',
            date: meta.date || listed?.date || existing?.date || '',
            updated: existing?.updated ?? options.now(),
          }),
          stamp,
          confirmed: Y.encodeStateVector(confirmed.vector),
        })
        return 'saved'
      } catch (error) {
        return classifyStorageFailure(error) === 'quota' ? 'quota' : 'failed'
      }
    },
  }

  const replicator = new Replicator({
    serverUrl: options.server,
    space,
    token: options.token,
    store,
    rooms: () => index.list().map((entry) => meetingRoom(space, entry.id)),
    skip: (room) => options.isOpen(meetingIdOf(room)),
    ...(options.network !== undefined ? { network: options.network } : {}),
    ...(options.WebSocketPolyfill !== undefined ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
    ...(options.fetchFn !== undefined ? { fetchFn: options.fetchFn } : {}),
    ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    ...(options.retryMs !== undefined ? { retryMs: options.retryMs } : {}),
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.syncTimeoutMs !== undefined ? { syncTimeoutMs: options.syncTimeoutMs } : {}),
  })
  // Stored meetings reach the lists at most every 250 ms during a pass, and once at its end.
  let refreshTimer: ReturnType<typeof setTimeout> | null = null
  const refreshSoon = (): void => {
    refreshTimer ??= setTimeout(() => {
      refreshTimer = null
      options.onStored()
    }, 250)
  }
  replicator.on('progress', (next) => {
    progress.set(next)
    if (next === null) options.onStored()
  })
  replicator.on('stored', (room) => {
    options.onMeetingStored?.(meetingIdOf(room))
    refreshSoon()
  })
  replicator.on('storageFull', () => {
    progress.set(null)
    // Stopped short of the quota: the replication line says so; a refused write is the status line's.
    if (nearlyFull.get() === null) storageFull.set(true)
  })

  return {
    progress: progress as ReadableStore<ReplicationProgress | null>,
    /** The browser refused to store a fetched meeting: replication stopped (the status line says so). */
    storageFull: storageFull as ReadableStore<boolean>,
    /** Fetching stopped with the storage nearly full: the percent in use, else null. */
    nearlyFull: nearlyFull as ReadableStore<number | null>,
    /** A pass soon (the index synced or changed). */
    request: (delayMs?: number) => replicator.request(delayMs),
    /** A pass now; resolves when it ended. */
    runNow: () => replicator.runNow(),
    destroy: () => {
      if (refreshTimer !== null) clearTimeout(refreshTimer)
      replicator.destroy()
    },
  }
}

import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { AdjustmentRequest } from '../protocol'

/** One meeting as the local meeting index knows it. */
export interface MeetingRecord {
  /** Meeting id; the meeting's document id in the update log is `<space>/<id>`. */
  id: string
  space: string
  title: string
  group: string
  /** ISO date of the meeting, `YYYY-MM-DD`, or `''` when not set. */
  date: string
  /** Milliseconds since the epoch of the last local write. */
  updated: number
}

/** One record of a document's update log: a Yjs update (V1) or a compacted snapshot. */
export interface UpdateRecord {
  docId: string
  update: Uint8Array
  /**
   * FNV-1a (32 bits) of `update` as written. Loading checks it instead of decoding the whole
   * update before applying it: matching bytes are what Yjs produced, so they cannot half-apply.
   * Absent in records written before it existed; those are decoded first, as before.
   */
  sum?: number
}

/**
 * What this browser last knew to be on the sync server's disk for one document, so a panel
 * reopened offline can say how many changes the server does not have yet.
 */
export interface ConfirmedRecord {
  docId: string
  /** A Yjs state vector (`Y.encodeStateVector` form). */
  vector: Uint8Array
  /** Deletion-only changes the server had not confirmed. */
  pendingDeletions: number
}

/**
 * The server's stamp of a room when its local copy was last fetched in the background (SPEC
 * R2): the replicator fetches the room again only when the server lists another one.
 */
/**
 * Adjustment requests made while offline (mark final, back to draft, approvals; SPEC J1), kept
 * until the panel is online again, also across closing it. One record per document.
 */
export interface AdjustmentQueueRecord {
  docId: string
  requests: AdjustmentRequest[]
}

export interface StampRecord {
  docId: string
  stamp: string
}

/** The IndexedDB schema of Minutes. Bump `DATABASE_VERSION` and extend `upgrade` to change it. */
export interface MinutesSchema extends DBSchema {
  meetings: {
    key: string
    value: MeetingRecord
    indexes: { 'by-space': string }
  }
  /**
   * Keys are auto-incremented so two panel pages of one profile (they share IndexedDB) can
   * append to the same document's log without colliding; the `by-doc` index returns a
   * document's records in insertion order.
   */
  updates: {
    key: number
    value: UpdateRecord
    indexes: { 'by-doc': string }
  }
  /** Small key-value settings (display name, colour, joined spaces). */
  settings: {
    key: string
    value: unknown
  }
  /** Since version 2: one record per document, keyed by its id. */
  confirmed: {
    key: string
    value: ConfirmedRecord
  }
  /** Since version 3: one record per replicated document, keyed by its id. */
  stamps: {
    key: string
    value: StampRecord
  }
  /** Since version 4: the adjustment requests a document's panel has not sent yet, keyed by its id. */
  adjustmentQueue: {
    key: string
    value: AdjustmentQueueRecord
  }
}

export type MinutesDatabase = IDBPDatabase<MinutesSchema>

export const DEFAULT_DATABASE_NAME = 'minutes'
export const DATABASE_VERSION = 4

/**
 * Opens (creating or upgrading) the Minutes database. `onVersionChange` runs when another
 * page wants to upgrade the schema: the connection is closed so it is not blocked.
 */
export const openMinutesDatabase = async (
  name: string = DEFAULT_DATABASE_NAME,
  { onVersionChange }: { onVersionChange?: () => void } = {},
): Promise<MinutesDatabase> => {
  const db = await openDB<MinutesSchema>(name, DATABASE_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        const meetings = database.createObjectStore('meetings', { keyPath: 'id' })
        meetings.createIndex('by-space', 'space')
        const updates = database.createObjectStore('updates', { autoIncrement: true })
        updates.createIndex('by-doc', 'docId')
        database.createObjectStore('settings')
      }
      if (oldVersion < 2) database.createObjectStore('confirmed', { keyPath: 'docId' })
      if (oldVersion < 3) database.createObjectStore('stamps', { keyPath: 'docId' })
      if (oldVersion < 4) database.createObjectStore('adjustmentQueue', { keyPath: 'docId' })
    },
    blocking() {
      db.close()
      onVersionChange?.()
    },
  })
  return db
}

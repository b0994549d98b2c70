import * as Y from 'yjs'
import type { MinutesDatabase } from './database'

/** A document's stored log, in insertion order, with the primary keys of its records. */
export interface StoredLog {
  keys: number[]
  updates: Uint8Array[]
}

/** Reads a document's whole log in one read-only transaction (a consistent snapshot). */
export const readLog = async (db: MinutesDatabase, docId: string): Promise<StoredLog> => {
  const tx = db.transaction('updates', 'readonly')
  const index = tx.store.index('by-doc')
  const [keys, records] = await Promise.all([index.getAllKeys(docId), index.getAll(docId), tx.done])
  return { keys, updates: records.map((record) => record.update) }
}

/** Number of records in a document's log. */
export const countLog = (db: MinutesDatabase, docId: string): Promise<number> =>
  db.countFromIndex('updates', 'by-doc', docId)

/**
 * Applies one stored record. Returns false (and leaves the document untouched) when the bytes
 * are not a Yjs update; decoding first keeps a damaged record from half-integrating.
 */
export const applyStoredUpdate = (doc: Y.Doc, update: Uint8Array, origin: unknown): boolean => {
  try {
    Y.decodeUpdate(update)
  } catch {
    return false
  }
  try {
    Y.applyUpdate(doc, update, origin)
    return true
  } catch {
    return false
  }
}

export interface CompactionResult {
  /** Records before compaction. */
  before: number
  /** Records after: the snapshot plus any record that could not be applied (kept, never deleted). */
  after: number
  /** Primary keys of records that could not be applied. */
  corruptKeys: number[]
}

/**
 * Replaces a document's log by one snapshot, in one transaction that adds the snapshot and
 * deletes exactly the records it merged, so a crash leaves either the old log or the new one
 * and a record appended concurrently by another page is never lost.
 *
 * Merges through a `Y.Doc` and `encodeStateAsUpdate`: linear, where `Y.mergeUpdates` over a
 * keystroke log grows superlinearly (PERFORMANCE_NOTES, Disk). Records that fail to apply stay.
 * Pass `gc: false` for documents created with `gc: false`, so compaction keeps their history.
 */
export const compactLog = async (
  db: MinutesDatabase,
  docId: string,
  { gc = true }: { gc?: boolean } = {},
): Promise<CompactionResult> => {
  const tx = db.transaction('updates', 'readwrite')
  const index = tx.store.index('by-doc')
  const [keys, records] = await Promise.all([index.getAllKeys(docId), index.getAll(docId)])
  if (keys.length <= 1) {
    await tx.done
    return { before: keys.length, after: keys.length, corruptKeys: [] }
  }
  const scratch = new Y.Doc({ gc })
  const merged: number[] = []
  const corruptKeys: number[] = []
  scratch.transact(() => {
    records.forEach((record, i) => {
      const key = keys[i] as number
      if (applyStoredUpdate(scratch, record.update, null)) merged.push(key)
      else corruptKeys.push(key)
    })
  })
  const snapshot = Y.encodeStateAsUpdate(scratch)
  scratch.destroy()
  if (merged.length < 2) {
    await tx.done
    return { before: keys.length, after: keys.length, corruptKeys }
  }
  await Promise.all([
    tx.store.add({ docId, update: snapshot }),
    ...merged.map((key) => tx.store.delete(key)),
    tx.done,
  ])
  return { before: keys.length, after: keys.length - merged.length + 1, corruptKeys }
}

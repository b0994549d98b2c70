import * as Y from 'yjs'
import type { MinutesDatabase, UpdateRecord } from './database'

/** A document's stored log, in insertion order, with the primary keys of its records. */
export interface StoredLog {
  keys: number[]
  updates: Uint8Array[]
  /** Each record's checksum as written (`UpdateRecord.sum`), undefined for older records. */
  sums: Array<number | undefined>
}

/** FNV-1a, 32 bits: about 1 ms a megabyte, enough to tell damaged bytes from what was written. */
export const checksum = (bytes: Uint8Array): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i]!
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** The record to store for `update`, with its checksum. */
export const updateRecord = (docId: string, update: Uint8Array): UpdateRecord => ({ docId, update, sum: checksum(update) })

/** Reads a document's whole log in one read-only transaction (a consistent snapshot). */
export const readLog = async (db: MinutesDatabase, docId: string): Promise<StoredLog> => {
  const tx = db.transaction('updates', 'readonly')
  const index = tx.store.index('by-doc')
  const [keys, records] = await Promise.all([index.getAllKeys(docId), index.getAll(docId), tx.done])
  return { keys, updates: records.map((record) => record.update), sums: records.map((record) => record.sum) }
}

/** Number of records in a document's log. */
export const countLog = (db: MinutesDatabase, docId: string): Promise<number> =>
  db.countFromIndex('updates', 'by-doc', docId)

/**
 * Applies one stored record. Returns false (and leaves the document untouched) when the bytes
 * are not the update that was written: with a checksum, when it does not match; without one
 * (older records, the journal), when they do not decode, which keeps a damaged record from
 * half-integrating. The checksum costs about 1 ms a megabyte, the decode about 30 (the large
 * meeting of benchmark 7).
 */
export const applyStoredUpdate = (doc: Y.Doc, update: Uint8Array, origin: unknown, sum?: number): boolean => {
  if (sum !== undefined) {
    if (checksum(update) !== sum) return false
  } else {
    try {
      Y.decodeUpdate(update)
    } catch {
      return false
    }
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
 * keystroke log grows superlinearly (docs/measurements.md, Disk). Records that fail to apply stay.
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
      if (applyStoredUpdate(scratch, record.update, null, record.sum)) merged.push(key)
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
    tx.store.add(updateRecord(docId, snapshot)),
    ...merged.map((key) => tx.store.delete(key)),
    tx.done,
  ])
  return { before: keys.length, after: keys.length - merged.length + 1, corruptKeys }
}

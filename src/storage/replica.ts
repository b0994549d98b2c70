import * as Y from 'yjs'
import type { ConfirmedRecord, MeetingRecord, MinutesDatabase } from './database'
import { updateRecord } from './update-log'

/** The stamp every replicated document was last fetched at (SPEC R2), by document id. */
export const readStamps = async (db: MinutesDatabase): Promise<Map<string, string>> =>
  new Map((await db.getAll('stamps')).map((record) => [record.docId, record.stamp]))

export interface Replica {
  /** `<space>/<meetingId>`, the document's id in the update log. */
  docId: string
  meetingId: string
  /** What the fetch added to the local copy; null when it added nothing. */
  update: Uint8Array | null
  /** The meeting's index record, given the one stored now (if any). */
  meeting(existing: MeetingRecord | undefined): MeetingRecord
  stamp: string
  /**
   * What the server is known to hold (a state vector), merged into the stored record: both only
   * ever under-state what the server has, so the larger clock per client is still true.
   */
  confirmed: Uint8Array
}

/**
 * Stores a meeting fetched in the background as the panel stores one it opened: one more
 * record in its update log and its entry in the meeting index, so `listMeetings` and the
 * register see it; with its stamp and what the server confirmed. One transaction: a stamp is
 * never kept without the content it names. Rejects with IndexedDB's error (a
 * `QuotaExceededError` when the browser has no room left).
 */
export const storeReplica = async (db: MinutesDatabase, replica: Replica): Promise<void> => {
  const tx = db.transaction(['updates', 'meetings', 'stamps', 'confirmed'], 'readwrite')
  const meetings = tx.objectStore('meetings')
  const confirmed = tx.objectStore('confirmed')
  const writes: Array<Promise<unknown>> = [
    tx.objectStore('stamps').put({ docId: replica.docId, stamp: replica.stamp }),
    confirmed.get(replica.docId).then((existing) => confirmed.put(mergeConfirmed(replica.docId, existing, replica.confirmed))),
    meetings.get(replica.meetingId).then((existing) => meetings.put(replica.meeting(existing))),
  ]
  if (replica.update !== null) writes.push(tx.objectStore('updates').add(updateRecord(replica.docId, replica.update)))
  await Promise.all([...writes, tx.done])
}

const mergeConfirmed = (docId: string, existing: ConfirmedRecord | undefined, vector: Uint8Array): ConfirmedRecord => {
  if (existing === undefined) return { docId, vector, pendingDeletions: 0 }
  const merged = Y.decodeStateVector(existing.vector)
  for (const [client, clock] of Y.decodeStateVector(vector)) merged.set(client, Math.max(clock, merged.get(client) ?? 0))
  // Deletions made here and not confirmed stay counted until a session of the meeting sees them confirmed.
  return { docId, vector: Y.encodeStateVector(merged), pendingDeletions: existing.pendingDeletions }
}

import type { MeetingRecord, MinutesDatabase } from './database'

/** Adds or replaces a meeting in the local meeting index. */
export const putMeeting = async (db: MinutesDatabase, meeting: MeetingRecord): Promise<void> => {
  await db.put('meetings', meeting)
}

export const getMeeting = (db: MinutesDatabase, id: string): Promise<MeetingRecord | undefined> =>
  db.get('meetings', id)

/** The meetings of one space, most recently updated first. */
export const listMeetings = async (db: MinutesDatabase, space: string): Promise<MeetingRecord[]> => {
  const meetings = await db.getAllFromIndex('meetings', 'by-space', space)
  return meetings.sort((a, b) => b.updated - a.updated)
}

/** Removes a meeting from the index and its document's whole update log, in one transaction. */
export const deleteMeetingLocally = async (db: MinutesDatabase, id: string, docId: string): Promise<void> => {
  const tx = db.transaction(['meetings', 'updates', 'adjustmentQueue'], 'readwrite')
  const updates = tx.objectStore('updates')
  const keys = await updates.index('by-doc').getAllKeys(docId)
  await Promise.all([tx.objectStore('meetings').delete(id), tx.objectStore('adjustmentQueue').delete(docId), ...keys.map((key) => updates.delete(key)), tx.done])
}

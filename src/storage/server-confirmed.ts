import type { ConfirmedRecord, MinutesDatabase } from './database'

/** What was last known to be on the server for `docId`, or undefined. Never throws: a guess is not worth an error. */
export const readConfirmed = async (db: MinutesDatabase, docId: string): Promise<ConfirmedRecord | undefined> => {
  try {
    return await db.get('confirmed', docId)
  } catch {
    return undefined
  }
}

/** Remembers what is known to be on the server for a document (replaces the earlier record). */
export const writeConfirmed = async (db: MinutesDatabase, record: ConfirmedRecord): Promise<void> => {
  await db.put('confirmed', record)
}

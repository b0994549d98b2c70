import type { AdjustmentRequest } from '../protocol'
import type { MinutesDatabase } from './database'

/** The adjustment requests an earlier panel of `docId` could not send; [] when none or unreadable. */
export const readAdjustmentQueue = async (db: MinutesDatabase, docId: string): Promise<AdjustmentRequest[]> => {
  try {
    return (await db.get('adjustmentQueue', docId))?.requests ?? []
  } catch {
    return []
  }
}

/** Keeps `requests` for `docId` (none: forgets the record). Rejects when IndexedDB does. */
export const writeAdjustmentQueue = async (db: MinutesDatabase, docId: string, requests: readonly AdjustmentRequest[]): Promise<void> => {
  if (requests.length === 0) await db.delete('adjustmentQueue', docId)
  else await db.put('adjustmentQueue', { docId, requests: [...requests] })
}

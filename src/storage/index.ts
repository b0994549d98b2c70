export {
  openMinutesDatabase,
  DEFAULT_DATABASE_NAME,
  DATABASE_VERSION,
  type MinutesDatabase,
  type MinutesSchema,
  type MeetingRecord,
  type UpdateRecord,
  type ConfirmedRecord,
  type StampRecord,
  type AdjustmentQueueRecord,
} from './database'
export { readAdjustmentQueue, writeAdjustmentQueue } from './adjustment-queue'
export { readStamps, storeReplica, type Replica } from './replica'
export { readConfirmed, writeConfirmed } from './server-confirmed'
export { DocPersistence, type DocPersistenceOptions, type DocPersistenceEvents } from './doc-persistence'
export { applyStoredUpdate, compactLog, countLog, readLog, type CompactionResult, type StoredLog } from './update-log'
export { putMeeting, getMeeting, listMeetings, deleteMeetingLocally } from './meeting-index'
export { readSetting, writeSetting, type Settings, type SavedSpace } from './settings'
export { requestPersistentStorage, type StorageManagerLike } from './persistent-storage'
export { type StorageError, type StorageErrorCode } from './storage-error'
export { type PageEvents } from './page-events'
export { type JournalStorage } from './journal'

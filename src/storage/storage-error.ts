/**
 * What went wrong with local storage, as the status line needs to know it:
 * - `quota`: the browser refused to store more (disk full or over the origin's quota).
 * - `unavailable`: IndexedDB could not be opened or a transaction failed for another reason.
 * - `corrupt`: a stored record could not be applied to its document; the other records were kept.
 */
export type StorageErrorCode = 'quota' | 'unavailable' | 'corrupt'

export interface StorageError {
  code: StorageErrorCode
  /** The document the error concerns. */
  docId: string
  /** The underlying error's name and message, for the log; not for the UI. */
  detail: string
}

/** Maps an IndexedDB (DOMException) failure to a `StorageErrorCode`. */
export const classifyStorageFailure = (error: unknown): StorageErrorCode => {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : ''
  return name === 'QuotaExceededError' ? 'quota' : 'unavailable'
}

export const describeError = (error: unknown): string =>
  error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
    ? `${String((error as { name?: unknown }).name ?? 'Error')}: ${String((error as { message: unknown }).message)}`
    : String(error)

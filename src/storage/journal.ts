/**
 * A synchronous write-ahead journal for one document, in `localStorage`.
 *
 * IndexedDB is asynchronous: an update typed a moment before the page closes can still be
 * waiting for its transaction, and a transaction queued behind another one is dropped when the
 * page goes away (y-indexeddb#28 loses edits this way). `localStorage.setItem` returns only
 * when the value is handed over, so every local update is journaled synchronously first and
 * removed once the IndexedDB transaction holding it has committed. On the next open, what is
 * still journaled is applied and written to IndexedDB.
 */
export interface JournalStorage {
  readonly length: number
  key(index: number): string | null
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

const PREFIX = 'minutes-journal:'

const toBase64 = (bytes: Uint8Array): string => {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

export class UpdateJournal {
  private readonly prefix: string
  private counter = 0
  /** Distinguishes the entries of two pages journaling the same document. */
  private readonly writer = Math.random().toString(36).slice(2, 10)

  constructor(
    private readonly storage: JournalStorage,
    docId: string,
  ) {
    this.prefix = `${PREFIX}${docId}:`
  }

  /**
   * Journals an update; returns its key, or null when the journal is full (quota) or
   * unavailable — the update then relies on IndexedDB alone, as without a journal.
   */
  append(update: Uint8Array): string | null {
    const key = `${this.prefix}${Date.now().toString(36)}-${this.writer}-${(this.counter++).toString(36)}`
    try {
      this.storage.setItem(key, toBase64(update))
      return key
    } catch {
      return null
    }
  }

  remove(key: string): void {
    try {
      this.storage.removeItem(key)
    } catch {
      // A journal entry that stays is applied again on the next open: harmless for Yjs.
    }
  }

  /** Every journaled update of this document, oldest first; entries that do not decode are dropped. */
  readAll(): Array<{ key: string; update: Uint8Array }> {
    const entries: Array<{ key: string; update: Uint8Array }> = []
    try {
      for (let i = 0; i < this.storage.length; i++) {
        const key = this.storage.key(i)
        if (key === null || !key.startsWith(this.prefix)) continue
        const value = this.storage.getItem(key)
        if (value === null) continue
        try {
          entries.push({ key, update: fromBase64(value) })
        } catch {
          this.remove(key)
        }
      }
    } catch {
      return entries
    }
    return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }
}

import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { Origin } from '../doc/origins'
import type { MinutesDatabase } from './database'
import { UpdateJournal, type JournalStorage } from './journal'
import { onPageLeave, type PageEvents } from './page-events'
import { classifyStorageFailure, describeError, type StorageError } from './storage-error'
import { applyStoredUpdate, compactLog, readLog, updateRecord } from './update-log'

export interface DocPersistenceOptions {
  db: MinutesDatabase
  /** The document's id in the log, `<space>/<meetingId>` by convention. */
  docId: string
  doc: Y.Doc
  /** When set, the meeting index entry with this id gets `updated` stamped on every write. */
  meetingId?: string
  /** Compact the log once it holds more records than this. Default 300. */
  compactAfter?: number
  /**
   * Milliseconds to gather updates before a write. Default 0: the write transaction starts in
   * the microtask after the first update, because a started IndexedDB transaction completes
   * even while the page unloads, and a timer may never fire.
   */
  flushDelayMs?: number
  /** Write immediately when this page is hidden or unloaded. */
  page?: PageEvents
  /** First retry delay after a failed write, doubled per failure up to 30 s. Default 500. */
  retryDelayMs?: number
  /**
   * A synchronous journal ahead of IndexedDB (the panel passes `localStorage`), so an edit made
   * right before the page closes survives. Omitted: IndexedDB alone.
   */
  journal?: JournalStorage
  /**
   * Whether an update of this origin is already stored elsewhere: the server's, since it
   * forwards only what is on its disk (SPEC D1). Such updates skip the journal and are written
   * in batches (`durableBatchMs`) instead of one transaction each: a page that closes before
   * the write gets them again from the server. Default: none is.
   */
  storedElsewhere?: (origin: unknown) => boolean
  /** How long updates stored elsewhere gather before a write when nothing local waits. Default 250. */
  durableBatchMs?: number
}

export interface DocPersistenceEvents {
  /** The number of updates not yet written changed. */
  pending: (count: number) => void
  /** A storage error appeared (`StorageError`) or went away (`null`). */
  error: (error: StorageError | null) => void
}

const MAX_RETRY_DELAY_MS = 30_000
/** Updates of one batch are merged into records of at most this many (mergeUpdates stays cheap). */
const MERGE_CHUNK = 64

/**
 * Binds a `Y.Doc` to its IndexedDB update log: loads the log into the document before any
 * network (`whenLoaded`), then appends every update that did not come from storage, in
 * batches of one transaction each, and compacts the log past a threshold.
 *
 * Nothing is lost silently: an update leaves the in-memory queue only when the transaction
 * that holds it has committed; a failed write is reported through `error` and retried.
 * Opening a document writes nothing.
 */
export class DocPersistence extends ObservableV2<DocPersistenceEvents> {
  readonly doc: Y.Doc
  readonly docId: string
  /** Resolves when the stored log has been applied (`Origin.storage`). Never rejects: see `error`. */
  readonly whenLoaded: Promise<void>
  /** True once the stored log has been applied (or failed to load, with `error` set). */
  loaded = false
  /** The current storage error, or null. */
  error: StorageError | null = null

  private readonly db: MinutesDatabase
  private readonly meetingId: string | undefined
  private readonly compactAfter: number
  private readonly flushDelayMs: number
  private readonly retryDelayMs: number
  private readonly storedElsewhere: (origin: unknown) => boolean
  private readonly durableBatchMs: number
  /** A write of updates stored elsewhere is due (the timer of `scheduleDurableFlush`). */
  private durableTimer: ReturnType<typeof setTimeout> | undefined
  /** The queue holds a local update (journaled or not): its write starts a microtask after it. */
  private localWaiting = false
  /** Updates not yet handed to a transaction. */
  private queue: Uint8Array[] = []
  /** Batches whose transaction has started and not yet settled. */
  private readonly inFlight = new Set<Uint8Array[]>()
  private readonly writes = new Set<Promise<void>>()
  private flushScheduled = false
  private flushTimer: ReturnType<typeof setTimeout> | undefined
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private failures = 0
  private recordCount = 0
  private compacting: Promise<void> | null = null
  private destroyed = false
  private readonly stopPageEvents: () => void
  private readonly journal: UpdateJournal | null
  /** Journal keys of updates not yet committed to IndexedDB. */
  private readonly journalKeys = new Map<Uint8Array, string>()

  constructor(options: DocPersistenceOptions) {
    super()
    this.db = options.db
    this.doc = options.doc
    this.docId = options.docId
    this.meetingId = options.meetingId
    this.compactAfter = options.compactAfter ?? 300
    this.flushDelayMs = options.flushDelayMs ?? 0
    this.retryDelayMs = options.retryDelayMs ?? 500
    this.storedElsewhere = options.storedElsewhere ?? (() => false)
    this.durableBatchMs = options.durableBatchMs ?? 250
    this.journal = options.journal === undefined ? null : new UpdateJournal(options.journal, options.docId)
    // Content the document had before it was bound is a change the log does not hold yet.
    if (this.doc.store.clients.size > 0) this.queue.push(Y.encodeStateAsUpdate(this.doc))
    this.doc.on('update', this.onDocUpdate)
    this.doc.on('destroy', this.onDocDestroy)
    this.stopPageEvents = onPageLeave(options.page, () => this.flushNow())
    this.whenLoaded = this.load()
    if (this.queue.length > 0) this.scheduleFlush()
  }

  /** Updates accepted from the document and not yet committed to IndexedDB. */
  get pendingCount(): number {
    let count = this.queue.length
    for (const batch of this.inFlight) count += batch.length
    return count
  }

  /**
   * Starts a write of everything queued now, even while another write is in flight, and
   * resolves when every write started so far has settled. Used on page hide and destroy.
   */
  flushNow(): Promise<void> {
    this.clearFlushTimer()
    this.clearDurableTimer()
    if (this.queue.length > 0) this.writeBatch()
    return this.settled()
  }

  /** Retries a failed write now instead of waiting for the backoff timer. */
  retryNow(): Promise<void> {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    return this.flushNow()
  }

  /** Compacts the log now (it also happens by itself past `compactAfter`). */
  compact(): Promise<void> {
    if (this.compacting !== null) return this.compacting
    const run = compactLog(this.db, this.docId, { gc: this.doc.gc })
      .then((result) => {
        this.recordCount += result.after - result.before
        if (result.corruptKeys.length > 0) {
          this.setError({ code: 'corrupt', docId: this.docId, detail: `records ${result.corruptKeys.join(', ')} could not be applied` })
        }
      })
      .catch((error: unknown) => {
        // A failed compaction leaves the log as it was; report and carry on.
        this.setError({ code: classifyStorageFailure(error), docId: this.docId, detail: describeError(error) })
      })
      .finally(() => {
        this.compacting = null
      })
    this.compacting = run
    return run
  }

  /**
   * Stops listening, writes what is queued and resolves when it is written (or reported as
   * failed). Listeners, timers and page events are removed at once.
   */
  override destroy(): Promise<void> {
    if (this.destroyed) return this.settled()
    this.destroyed = true
    this.doc.off('update', this.onDocUpdate)
    this.doc.off('destroy', this.onDocDestroy)
    this.stopPageEvents()
    this.clearDurableTimer()
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer)
    this.retryTimer = undefined
    const done = this.flushNow().then(() => this.compacting ?? undefined)
    void done.finally(() => super.destroy())
    return done
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === Origin.storage) return
    this.queue.push(update)
    if (this.storedElsewhere(origin)) {
      this.emit('pending', [this.pendingCount])
      this.scheduleDurableFlush()
      return
    }
    const key = this.journal?.append(update) ?? null
    if (key !== null) this.journalKeys.set(update, key)
    this.localWaiting = true
    this.emit('pending', [this.pendingCount])
    this.scheduleFlush()
  }

  /**
   * Updates stored elsewhere wait for the next local update's write, or at most
   * `durableBatchMs`: a burst of remote changes becomes a few transactions, not one each.
   */
  private scheduleDurableFlush(): void {
    if (this.destroyed || this.durableTimer !== undefined || this.flushScheduled) return
    this.durableTimer = setTimeout(() => {
      this.durableTimer = undefined
      this.scheduleFlush()
    }, this.durableBatchMs)
  }

  private clearDurableTimer(): void {
    if (this.durableTimer !== undefined) clearTimeout(this.durableTimer)
    this.durableTimer = undefined
  }

  private readonly onDocDestroy = (): void => {
    void this.destroy()
  }

  private async load(): Promise<void> {
    try {
      const log = await readLog(this.db, this.docId)
      const corrupt: number[] = []
      // Our own listener ignores what storage applied, and while a Y.Doc has an 'update'
      // listener Yjs encodes every transaction's update: for a long meeting's snapshot that is
      // a second pass over the whole document. Nothing else can run during this synchronous
      // transaction, so the listener is off for exactly its duration.
      this.doc.off('update', this.onDocUpdate)
      try {
        this.doc.transact(() => {
          log.updates.forEach((update, i) => {
            if (!applyStoredUpdate(this.doc, update, Origin.storage, log.sums[i])) corrupt.push(log.keys[i] as number)
          })
        }, Origin.storage)
      } finally {
        if (!this.destroyed) this.doc.on('update', this.onDocUpdate)
      }
      this.recordCount += log.keys.length
      this.recoverJournal()
      if (corrupt.length > 0) {
        this.setError({ code: 'corrupt', docId: this.docId, detail: `records ${corrupt.join(', ')} could not be applied` })
      }
    } catch (error) {
      this.setError({ code: classifyStorageFailure(error), docId: this.docId, detail: describeError(error) })
    }
    this.loaded = true
    this.maybeCompact()
  }

  /** Applies what a previous page journaled but did not get into IndexedDB, and writes it there. */
  private recoverJournal(): void {
    const entries = this.journal?.readAll() ?? []
    if (entries.length === 0) return
    this.doc.transact(() => {
      for (const { key, update } of entries) {
        if (!applyStoredUpdate(this.doc, update, Origin.storage)) {
          this.journal?.remove(key)
          continue
        }
        this.journalKeys.set(update, key)
        this.queue.push(update)
      }
    }, Origin.storage)
    this.scheduleFlush()
  }

  private scheduleFlush(): void {
    // A new transaction starts a microtask after the first queued update, even while an earlier
    // one is still running: IndexedDB runs them in order, and a transaction that has started
    // completes even if the page closes right after, while an update still waiting in memory
    // would be lost (the e2e test closes the page 0 ms after a keystroke). Updates of one turn
    // of the event loop still share one transaction.
    if (this.destroyed || this.flushScheduled || this.retryTimer !== undefined) return
    this.flushScheduled = true
    const run = (): void => {
      this.flushScheduled = false
      this.flushTimer = undefined
      if (this.queue.length > 0 && this.retryTimer === undefined) this.writeBatch()
    }
    if (this.flushDelayMs <= 0) queueMicrotask(run)
    else this.flushTimer = setTimeout(run, this.flushDelayMs)
  }

  private clearFlushTimer(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer)
    this.flushTimer = undefined
    this.flushScheduled = false
  }

  private writeBatch(): void {
    const batch = this.queue
    this.queue = []
    this.localWaiting = false
    this.clearDurableTimer()
    this.inFlight.add(batch)
    const write = this.writeRecords(batch).then(
      () => this.onWriteSucceeded(batch),
      (error: unknown) => this.onWriteFailed(batch, error),
    )
    this.writes.add(write)
    void write.finally(() => this.writes.delete(write))
  }

  private async writeRecords(batch: Uint8Array[]): Promise<void> {
    const records: Uint8Array[] = []
    for (let i = 0; i < batch.length; i += MERGE_CHUNK) {
      const chunk = batch.slice(i, i + MERGE_CHUNK)
      records.push(chunk.length === 1 ? (chunk[0] as Uint8Array) : Y.mergeUpdates(chunk))
    }
    const tx = this.db.transaction(['updates', 'meetings'], 'readwrite')
    const updates = tx.objectStore('updates')
    const requests: Promise<unknown>[] = records.map((update) => updates.add(updateRecord(this.docId, update)))
    const meetingId = this.meetingId
    if (meetingId !== undefined) {
      const meetings = tx.objectStore('meetings')
      requests.push(
        meetings.get(meetingId).then((meeting) => meeting && meetings.put({ ...meeting, updated: Date.now() })),
      )
    }
    // Every request is awaited so a failed one cannot become an unhandled rejection; tx.done
    // rejects when the transaction aborts, which is what decides success.
    await Promise.all([...requests.map((r) => r.catch(() => undefined)), tx.done])
    this.recordCount += records.length
  }

  private onWriteSucceeded(batch: Uint8Array[]): void {
    this.inFlight.delete(batch)
    for (const update of batch) {
      const key = this.journalKeys.get(update)
      if (key === undefined) continue
      this.journalKeys.delete(update)
      this.journal?.remove(key)
    }
    this.failures = 0
    if (this.error !== null && this.error.code !== 'corrupt') this.setError(null)
    this.emit('pending', [this.pendingCount])
    if (this.queue.length > 0) {
      if (this.localWaiting) this.scheduleFlush()
      else this.scheduleDurableFlush()
    }
    this.maybeCompact()
  }

  private onWriteFailed(batch: Uint8Array[], error: unknown): void {
    this.inFlight.delete(batch)
    // Back to the front of the queue: Yjs updates commute, but keeping order keeps logs readable.
    this.queue = batch.concat(this.queue)
    this.failures++
    this.setError({ code: classifyStorageFailure(error), docId: this.docId, detail: describeError(error) })
    this.emit('pending', [this.pendingCount])
    if (this.destroyed) return
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer)
    const delay = Math.min(this.retryDelayMs * 2 ** (this.failures - 1), MAX_RETRY_DELAY_MS)
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      this.scheduleFlush()
    }, delay)
  }

  private maybeCompact(): void {
    if (!this.destroyed && this.loaded && this.recordCount > this.compactAfter) void this.compact()
  }

  private setError(error: StorageError | null): void {
    if (error === null && this.error === null) return
    this.error = error
    this.emit('error', [error])
  }

  private async settled(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes])
  }
}

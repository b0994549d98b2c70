import { CloseCode } from '../src/protocol'
import type { Logger } from './logger'
import type { Metrics } from './metrics'
import type { ServerLink } from './cluster'
import { CompactionBusyError, RoomWrittenElsewhereError } from './persistence/postgres-store'
import type { StoreEntry, UpdateStore } from './persistence/store'
import type { CommitSink, Room, RoomPeer } from './room'

interface Pending {
  room: Room
  update: Uint8Array
  peer: RoomPeer
  receivedAt: number
  lock: StoreEntry['lock']
}

/**
 * Group commit (SPEC D2): every update accepted during one turn of the event loop is written in
 * one transaction, then each room forwards and acknowledges its share. One fsync per turn
 * instead of one per update keeps durability cheap under load (docs/measurements.md, Disk).
 */
export class CommitQueue implements CommitSink {
  private pending: Pending[] = []
  private scheduled = false
  private lastCommitAt = -Infinity
  /** When the last write ended, and how long it took. */
  private lastWriteEndedAt = -Infinity
  private lastWriteMs = 0
  /** Called after every commit has forwarded its updates (the server releases its held writes). */
  onCommitted: () => void = () => {}
  private flushing: Promise<void> | null = null
  private failed = false

  constructor(
    private readonly store: UpdateStore,
    private readonly compactThreshold: number,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    /**
     * Commits start at least this far apart (0: no floor). Whatever the floor, a commit starts
     * no sooner after the previous write than that write took: the event loop spends at most
     * half its time waiting for the disk, and the slower the disk, the more each commit gathers
     * (docs/measurements.md, Disk). An idle server commits at once (next turn).
     */
    private readonly minCommitIntervalMs: number,
    /**
     * After a commit, once this long has passed with no other, the store's write-ahead log is
     * checkpointed (SPEC D8): a checkpoint costs several commits (docs/ARCHITECTURE.md), so not
     * after every commit under load, where SQLite's own checkpoint every 1,000 pages bounds the log.
     */
    private readonly checkpointIdleMs: number,
    /** The other servers: told of every commit after it, asked before a compaction (SPEC C7, C11). */
    private readonly link: ServerLink,
  ) {}

  private checkpointTimer: NodeJS.Timeout | null = null

  /** Is a group commit scheduled that has not started yet? (Its sends should join this turn's write.) */
  get isDue(): boolean {
    return this.scheduled
  }

  /**
   * Did the last commit fail? Then the store is not writable, whatever a small probe says: a
   * full disk still takes 1 KiB but not the update that failed. Stays true until a commit
   * succeeds (SPEC O1).
   */
  get lastCommitFailed(): boolean {
    return this.failed
  }

  enqueue(room: Room, update: Uint8Array, peer: RoomPeer, receivedAt: number, lock?: StoreEntry['lock']): void {
    this.pending.push({ room, update, peer, receivedAt, lock })
    this.schedule()
  }

  /** Resolves when everything enqueued so far has been written (or has failed). */
  async drain(): Promise<void> {
    while (this.flushing !== null || this.pending.length > 0) {
      if (this.flushing === null) this.flushing = this.flush()
      await this.flushing
    }
  }

  /** Stops the checkpoint timer; call after `drain()`, before the store closes. */
  destroy(): void {
    if (this.checkpointTimer !== null) clearTimeout(this.checkpointTimer)
    this.checkpointTimer = null
  }

  /** (Re)starts the idle countdown to a checkpoint. */
  private checkpointWhenIdle(): void {
    if (this.checkpointTimer !== null) {
      this.checkpointTimer.refresh()
      return
    }
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null
      // Not idle after all: the commit under way starts the countdown again.
      if (this.flushing !== null || this.pending.length > 0) return
      const started = performance.now()
      this.store.checkpoint().then(
        (emptied) => {
          this.log.debug({ ms: performance.now() - started, emptied }, 'write-ahead log checkpointed')
          // A reader (a backup) was in the way: try again after another idle period.
          if (!emptied) this.checkpointWhenIdle()
        },
        (error: unknown) => this.log.warn({ err: errorSummary(error) }, 'checkpointing the write-ahead log failed'),
      )
    }, this.checkpointIdleMs)
    this.checkpointTimer.unref()
  }

  private schedule(): void {
    if (this.scheduled || this.flushing !== null) return
    this.scheduled = true
    const run = () => {
      this.scheduled = false
      if (this.flushing === null) this.flushing = this.flush()
    }
    const due = Math.max(this.lastCommitAt + this.minCommitIntervalMs, this.lastWriteEndedAt + this.lastWriteMs)
    const wait = due - performance.now()
    // Node's timers round up to whole milliseconds: a wait shorter than one becomes the next turn.
    if (wait < 1) setImmediate(run)
    else setTimeout(run, wait)
  }

  private async flush(): Promise<void> {
    const batch = this.pending
    this.pending = []
    const started = performance.now()
    this.lastCommitAt = started
    try {
      let appended
      try {
        appended = await this.store.append(batch.map(({ room, update, lock }) => (lock === undefined ? { room: room.name, update } : { room: room.name, update, lock })))
      } catch (error) {
        this.failed = true
        this.metrics.persistFailures.inc()
        const rooms = new Set(batch.map((item) => item.room))
        // Nothing of this batch was stored, acknowledged or forwarded. The rooms' memory now
        // holds updates the disk does not: reset them so clients reconnect and re-send (SPEC D6).
        this.log.error({ err: errorSummary(error), rooms: rooms.size, updates: batch.length }, 'writing updates failed; affected rooms reset')
        for (const room of rooms) room.reset(CloseCode.storageFailure)
        return
      }
      this.failed = false
      this.checkpointWhenIdle()
      this.lastWriteEndedAt = performance.now()
      this.lastWriteMs = this.lastWriteEndedAt - started
      this.metrics.persistSeconds.observe(this.lastWriteMs / 1000)
      // Stored. What follows (forwarding, acks, compaction) is per room: a room that fails here
      // is reset on its own and says nothing about the write (it succeeded).
      const byRoom = new Map<Room, Pending[]>()
      for (const item of batch) {
        let list = byRoom.get(item.room)
        if (list === undefined) byRoom.set(item.room, (list = []))
        list.push(item)
      }
      for (const [room, items] of byRoom) {
        const outcome = appended.get(room.name)
        if (outcome?.ok !== true) {
          // The meeting was locked on another server first, or this lock was decided on a room
          // that lacked another server's rows (SPEC C9): nothing of the room was stored. Its
          // memory holds what the store refused: reload it; clients re-send, L2 answers them.
          this.log.warn({ refused: outcome?.ok === false ? outcome.refused : 'unknown', updates: items.length }, 'updates of a locked room refused by the store; room reloaded')
          room.reset(CloseCode.roomReset)
          continue
        }
        let forwarded: Uint8Array[] = []
        try {
          forwarded = room.stored(items)
        } catch (error) {
          this.log.error({ err: errorSummary(error) }, 'forwarding stored updates failed; room reloaded from the store')
          room.reset(CloseCode.roomReset)
        }
        this.link.committed(room, outcome.firstSeq, outcome.count, forwarded.length > 0 ? forwarded : items.map((item) => item.update))
      }
      await this.compactDue([...byRoom.keys()])
    } finally {
      this.flushing = null
      if (this.pending.length > 0) this.schedule()
      this.onCommitted()
    }
  }

  private async compactDue(rooms: Room[]): Promise<void> {
    for (const room of rooms) {
      const snapshot = room.snapshotIfDue(this.compactThreshold)
      if (snapshot === null) continue
      const expectedSeq = this.link.compactionSeq(room)
      if (expectedSeq === null) continue
      try {
        await this.store.compact(room.name, snapshot, expectedSeq)
        room.compacted()
        if (expectedSeq !== undefined) this.link.compacted(room, expectedSeq)
        this.metrics.compactions.inc()
      } catch (error) {
        if (error instanceof RoomWrittenElsewhereError || error instanceof CompactionBusyError) {
          // Another server wrote or compacts: it is left for later (SPEC C5, C11).
          this.log.debug({ err: errorSummary(error) }, 'compaction left for later')
          continue
        }
        // The log is intact (the compaction is one transaction); try again after the next commit.
        this.log.warn({ err: errorSummary(error) }, 'compaction failed; the update log is unchanged')
      }
    }
  }
}

/** An error's name, code and message, never its payload. */
export const errorSummary = (error: unknown): { name: string; code?: string; message: string } => {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === undefined ? { name: error.name, message: error.message } : { name: error.name, code, message: error.message }
  }
  return { name: 'unknown', message: String(error) }
}

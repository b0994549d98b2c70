import type { Logger } from './logger'
import type { Metrics } from './metrics'
import type { UpdateStore } from './persistence/store'
import { Room, type CommitSink, type RoomOptions } from './room'
import { errorSummary } from './commit-queue'
import type { ServerLink } from './cluster'
import { loadRoomDoc } from './room-loader'

/**
 * The rooms held in memory. A room is loaded completely before its first peer joins, and
 * leaves memory after its last peer has gone and a grace period has passed (SPEC D5).
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room>()
  private readonly loading = new Map<string, Promise<Room>>()
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>()

  constructor(
    private readonly store: UpdateStore,
    private readonly sink: CommitSink,
    private readonly options: RoomOptions & { graceMs: number },
    private readonly metrics: Metrics,
    private readonly log: Logger,
    /** How rooms are loaded and followed: alone, or among the servers of a cluster (SPEC C8). */
    private readonly link: ServerLink,
  ) {}

  get loadedCount(): number {
    return this.rooms.size
  }

  /** The loaded room, loading it first if needed. Rejects with `StoreReadError` when its data is unreadable. */
  async open(name: string): Promise<Room> {
    this.cancelUnload(name)
    const loaded = this.rooms.get(name)
    if (loaded !== undefined) return loaded
    let pending = this.loading.get(name)
    if (pending === undefined) {
      pending = this.load(name)
      this.loading.set(name, pending)
      pending.finally(() => this.loading.delete(name)).catch(() => {})
    }
    return pending
  }

  private async load(name: string): Promise<Room> {
    const { stored, nextSeq } = await this.link.load(name)
    const { doc, skipped } = loadRoomDoc(stored)
    if (skipped.length > 0) {
      // Stored updates that do not apply: set aside, never deleted, and the rest is served (SPEC D6).
      this.log.error({ updates: stored.length, quarantined: skipped.length }, 'stored updates do not apply; quarantined')
      await this.store.quarantine(name, skipped, 'does not apply').catch((error: unknown) => {
        this.log.error({ err: errorSummary(error) }, 'quarantine failed; the rows stay and are skipped again next time')
      })
    }
    const room = new Room(name, doc, stored.length - skipped.length, this.sink, this.options, this.metrics, this.link)
    room.onReset = () => this.forget(room)
    this.rooms.set(name, room)
    this.link.opened(room, nextSeq)
    this.metrics.roomsLoaded.set(this.rooms.size)
    return room
  }

  /** Called after a peer left: unload the room once it stays empty for the grace period. */
  released(room: Room): void {
    if (room.peers.size > 0 || room.isDestroyed) return
    this.cancelUnload(room.name)
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room.name)
      this.unloadIfIdle(room)
    }, this.options.graceMs)
    this.unloadTimers.set(room.name, timer)
  }

  private unloadIfIdle(room: Room): void {
    if (room.peers.size > 0 || room.isDestroyed) return
    // Unstored updates still need the room for their broadcast and acks: look again shortly.
    if (!room.isFullyStored) return this.released(room)
    room.destroy()
    this.forget(room)
  }

  private forget(room: Room): void {
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name)
    this.link.closed(room)
    this.cancelUnload(room.name)
    this.metrics.roomsLoaded.set(this.rooms.size)
  }

  private cancelUnload(name: string): void {
    const timer = this.unloadTimers.get(name)
    if (timer !== undefined) {
      clearTimeout(timer)
      this.unloadTimers.delete(name)
    }
  }

  /** Every loaded room (for shutdown). */
  all(): Room[] {
    return [...this.rooms.values()]
  }

  destroy(): void {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
    for (const room of this.rooms.values()) {
      room.destroy()
      this.link.closed(room)
    }
    this.rooms.clear()
    this.metrics.roomsLoaded.set(0)
  }
}

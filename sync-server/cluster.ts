import { CloseCode, Role } from '../src/protocol'
import type { AwarenessEntry } from './awareness'
import { errorSummary } from './commit-queue'
import { MAX_PUBLISHED_BYTES, type Fanout, type FanoutEvents, type FanoutMessage, type PresenceSource } from './fanout'
import type { Logger } from './logger'
import type { Metrics } from './metrics'
import type { ClusterStore, Store, StoredUpdate } from './persistence/store'
import type { Room, RoomLink, RoomPeer } from './room'

/**
 * What the registry, the rooms and the commit queue ask of the servers around them. On a single
 * server (SQLite, memory) it does nothing; on PostgreSQL it is a `ClusterSync`.
 */
export interface ServerLink extends RoomLink {
  /** The room's stored log, and the number its next row gets when the store numbers rows. */
  load(name: string): Promise<{ stored: StoredUpdate[]; nextSeq: number | null }>
  /** The room is in memory now, holding every row before `nextSeq`. */
  opened(room: Room, nextSeq: number | null): void
  /** The room left memory (unloaded or reset). */
  closed(room: Room): void
  /** One commit stored `count` updates of `room` from `firstSeq` on; `updates` is what it forwarded. */
  committed(room: Room, firstSeq: number | null, count: number, updates: Uint8Array[]): void
  /**
   * The number a compaction of `room` expects the room's next row to have (SPEC C5, C11);
   * `undefined`: the store decides alone (single server); `null`: not now.
   */
  compactionSeq(room: Room): number | null | undefined
  /** The room's log was replaced by a snapshot numbered `seq`. */
  compacted(room: Room, seq: number): void
  /** A member was revoked here: the other servers close its connections too (SPEC I5). */
  revoked(memberId: string): void
  /** Starts listening to the other servers; rejects when the link cannot be set up. */
  start(): Promise<void>
  destroy(): Promise<void>
}

export const singleServerLink = (store: Store): ServerLink => ({
  load: async (name) => ({ stored: await store.load(name), nextSeq: null }),
  opened: () => {},
  closed: () => {},
  committed: () => {},
  compactionSeq: () => undefined,
  compacted: () => {},
  revoked: () => {},
  appliedSeq: () => null,
  presence: () => {},
  start: async () => {},
  destroy: async () => {},
})

export const isClusterStore = (store: Store): store is ClusterStore => 'loadSince' in store && 'nextSeqs' in store

export interface ClusterOptions {
  /** How often every loaded room's next number is compared with the store's (SPEC C8). */
  resyncIntervalMs: number
}

/** How long a gap in a room's numbers may stay open before the room reads its log tail (SPEC C8). */
const GAP_GRACE_MS = 100
/** Messages kept for a room while it loads (past it, the room reads its tail once loaded). */
const MAX_BUFFERED = 1_000

/** A room this server follows: which rows of its log its document holds. */
interface Followed {
  room: Room
  /** Every row numbered below this is in the room's document. */
  next: number
  /** Rows past a gap, by first number: another server's (`updates`) or this server's own (`null`, in the document already). */
  ahead: Map<number, { count: number; updates: Uint8Array[] | null }>
  reading: boolean
  readAgain: boolean
  gapTimer: NodeJS.Timeout | null
}

/** A connection on another server, as the owner of its presence entries here (SPEC C10, H8). */
interface RemoteOwner extends RoomPeer {
  readonly server: string
}

const remoteOwner = (server: string, source: PresenceSource): RemoteOwner => ({
  server,
  role: Role.editor,
  wantsAck: false,
  tokenId: source.tokenId,
  address: source.address,
  send: () => {},
  reply: () => {},
  hasReplyBudget: () => false,
  whenDrained: () => {},
  close: () => {},
})

/**
 * One server among several on one PostgreSQL database (SPEC C7–C11). The store numbers each
 * room's log in commit order; after a commit this server publishes the rows with their numbers,
 * and follows what the others publish: the next row in order is applied to the room and
 * forwarded to its peers (it is stored already), a gap waits briefly for the message in
 * between and then reads the room's log tail from the store. A lost link, and a timer, read the
 * tail too, so a lost message costs time, never an update.
 */
export class ClusterSync implements ServerLink, FanoutEvents {
  private readonly followed = new Map<string, Followed>()
  /** Rooms being loaded, with what arrived for them meanwhile (`null`: too much; read the tail once loaded). */
  private readonly loading = new Map<string, FanoutMessage[] | null>()
  /** Per room, the owners of presence entries announced on other servers, by server and connection. */
  private readonly remote = new Map<string, Map<string, RemoteOwner>>()
  private readonly connectionIds = new WeakMap<RoomPeer, number>()
  private nextConnectionId = 1
  private checkTimer: NodeJS.Timeout | null = null
  private checking = false
  /** Closes this server's connections of a revoked member (set by the server). */
  onRevoked: (memberId: string) => void = () => {}

  constructor(
    private readonly store: ClusterStore,
    private readonly fanout: Fanout,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly options: ClusterOptions,
  ) {}

  async start(): Promise<void> {
    await this.fanout.start(this)
    this.checkTimer = setInterval(() => void this.checkAll(), this.options.resyncIntervalMs)
    this.checkTimer.unref()
  }

  async destroy(): Promise<void> {
    if (this.checkTimer !== null) clearInterval(this.checkTimer)
    this.checkTimer = null
    for (const f of this.followed.values()) if (f.gapTimer !== null) clearTimeout(f.gapTimer)
    this.followed.clear()
    await this.fanout.destroy()
  }

  // The registry's side.

  async load(name: string): Promise<{ stored: StoredUpdate[]; nextSeq: number | null }> {
    // Whatever is published from now on is kept until the room exists (SPEC C8).
    this.loading.set(name, [])
    try {
      const { stored, nextSeq } = await this.store.loadNumbered(name)
      return { stored, nextSeq }
    } catch (error) {
      this.loading.delete(name)
      throw error
    }
  }

  opened(room: Room, nextSeq: number | null): void {
    const buffered = this.loading.get(room.name)
    this.loading.delete(room.name)
    const f: Followed = { room, next: nextSeq ?? 1, ahead: new Map(), reading: false, readAgain: false, gapTimer: null }
    this.followed.set(room.name, f)
    if (buffered === null) void this.readTail(f)
    else {
      for (const message of buffered ?? []) {
        if (message.type === 'update') this.take(f, message.firstSeq, message.count, message.updates)
        else if (message.type === 'rows' && message.firstSeq + message.count > f.next) void this.readTail(f)
      }
    }
    // The presence of the room's connections on the other servers (SPEC C10).
    this.fanout.publish({ type: 'presence-query', room: room.name })
  }

  closed(room: Room): void {
    const f = this.followed.get(room.name)
    if (f?.room !== room) return
    if (f.gapTimer !== null) clearTimeout(f.gapTimer)
    this.followed.delete(room.name)
    this.remote.delete(room.name)
  }

  // The room's side.

  appliedSeq(room: Room): number | null {
    const f = this.followed.get(room.name)
    return f?.room === room && f.ahead.size === 0 ? f.next : null
  }

  presence(room: Room, peer: RoomPeer, entries: readonly AwarenessEntry[]): void {
    this.fanout.publish({ type: 'presence', room: room.name, source: this.sourceOf(peer), entries: [...entries] })
  }

  // The commit queue's side.

  committed(room: Room, firstSeq: number | null, count: number, updates: Uint8Array[]): void {
    if (firstSeq === null) return
    // After the COMMIT, never instead of it (SPEC C7).
    const bytes = updates.reduce((sum, update) => sum + update.byteLength, 0)
    this.fanout.publish(bytes <= MAX_PUBLISHED_BYTES ? { type: 'update', room: room.name, firstSeq, count, updates } : { type: 'rows', room: room.name, firstSeq, count })
    const f = this.followed.get(room.name)
    // A room reloaded while its commit was under way may or may not hold these rows: apply them.
    if (f !== undefined) this.take(f, firstSeq, count, f.room === room ? null : updates)
  }

  compactionSeq(room: Room): number | null {
    return this.appliedSeq(room)
  }

  compacted(room: Room, seq: number): void {
    // The snapshot holds nothing the others lack (they hold every row before it): its number only.
    this.fanout.publish({ type: 'update', room: room.name, firstSeq: seq, count: 1, updates: [] })
    const f = this.followed.get(room.name)
    if (f?.room === room) this.take(f, seq, 1, null)
  }

  revoked(memberId: string): void {
    this.fanout.publish({ type: 'revoked', memberId })
  }

  // The other servers' side.

  message(from: string, message: FanoutMessage): void {
    this.metrics.fanoutIn.inc({ type: message.type })
    switch (message.type) {
      case 'update':
      case 'rows': {
        const buffered = this.loading.get(message.room)
        if (buffered !== undefined) {
          if (buffered !== null && buffered.length < MAX_BUFFERED) buffered.push(message)
          else this.loading.set(message.room, null)
          return
        }
        const f = this.followed.get(message.room)
        if (f === undefined) return
        if (message.type === 'update') this.take(f, message.firstSeq, message.count, message.updates)
        else if (message.firstSeq + message.count > f.next) void this.readTail(f)
        return
      }
      case 'presence':
        return this.receivePresence(from, message.room, message.source, message.entries)
      case 'presence-query': {
        const f = this.followed.get(message.room)
        if (f === undefined) return
        for (const [peer, entries] of f.room.localPresence()) this.presence(f.room, peer, entries)
        return
      }
      case 'revoked':
        return this.onRevoked(message.memberId)
      case 'heartbeat':
        return
      default: {
        const unknown: never = message
        void unknown
      }
    }
  }

  serverGone(server: string): void {
    // Its connections are gone with it, or cut off from this server: so is their presence (SPEC C10).
    for (const [name, owners] of this.remote) {
      const room = this.followed.get(name)?.room
      for (const [key, owner] of owners) {
        if (owner.server !== server) continue
        owners.delete(key)
        room?.removeRemotePresence(owner)
      }
    }
  }

  reconnected(): void {
    for (const f of this.followed.values()) {
      void this.readTail(f)
      this.fanout.publish({ type: 'presence-query', room: f.room.name })
    }
  }

  // Following a room's log.

  /** Rows `first … first + count - 1` of the room's log: applied in order, kept past a gap. */
  private take(f: Followed, first: number, count: number, updates: Uint8Array[] | null): void {
    if (first + count <= f.next) return
    if (first > f.next) {
      f.ahead.set(first, { count, updates })
      this.watchGap(f)
      return
    }
    if (!this.apply(f, updates, count)) return
    f.next = first + count
    this.takeAhead(f)
  }

  private takeAhead(f: Followed): void {
    for (let progressed = true; progressed; ) {
      progressed = false
      for (const [first, rows] of f.ahead) {
        if (first > f.next) continue
        f.ahead.delete(first)
        progressed = true
        if (first + rows.count <= f.next) continue
        if (!this.apply(f, rows.updates, rows.count)) return
        f.next = first + rows.count
      }
    }
    if (f.ahead.size === 0 && f.gapTimer !== null) {
      clearTimeout(f.gapTimer)
      f.gapTimer = null
    }
  }

  private apply(f: Followed, updates: Uint8Array[] | null, count: number): boolean {
    if (updates === null || updates.length === 0) return true
    f.room.storedUpdates += count
    if (f.room.applyStored(updates)) return true
    // A stored row that does not apply: the reload sets it aside (SPEC D6).
    this.log.error({ updates: updates.length }, 'rows of another server do not apply; room reloaded from the store')
    f.room.reset(CloseCode.roomReset)
    return false
  }

  private watchGap(f: Followed): void {
    if (f.gapTimer !== null) return
    f.gapTimer = setTimeout(() => {
      f.gapTimer = null
      if (f.ahead.size > 0) void this.readTail(f)
    }, GAP_GRACE_MS)
    f.gapTimer.unref()
  }

  /** Reads the rows this server may have missed from the store and applies them (SPEC C8). */
  private async readTail(f: Followed): Promise<void> {
    if (f.reading) {
      f.readAgain = true
      return
    }
    f.reading = true
    try {
      do {
        f.readAgain = false
        const tail = await this.store.loadSince(f.room.name, f.next)
        if (this.followed.get(f.room.name) !== f || f.room.isDestroyed) return
        this.metrics.logReads.inc()
        if (tail.nextSeq > f.next) {
          if (!this.apply(f, tail.updates, tail.updates.length)) return
          f.next = tail.nextSeq
        }
        this.takeAhead(f)
        if (f.ahead.size > 0) this.watchGap(f)
      } while (f.readAgain)
    } catch (error) {
      // The store is away: the periodic check tries again (SPEC C1, C8).
      this.log.warn({ err: errorSummary(error) }, 'reading a room log tail failed; tried again later')
    } finally {
      f.reading = false
    }
  }

  /** Every loaded room against the store's numbers: catches what no message announced (SPEC C8). */
  private async checkAll(): Promise<void> {
    if (this.checking || this.followed.size === 0) return
    this.checking = true
    try {
      const seqs = await this.store.nextSeqs([...this.followed.keys()])
      for (const [name, next] of seqs) {
        const f = this.followed.get(name)
        if (f !== undefined && next > f.next) void this.readTail(f)
      }
    } catch (error) {
      this.log.debug({ err: errorSummary(error) }, 'checking rooms against the store failed')
    } finally {
      this.checking = false
    }
  }

  // Presence.

  private sourceOf(peer: RoomPeer): PresenceSource {
    let connection = this.connectionIds.get(peer)
    if (connection === undefined) this.connectionIds.set(peer, (connection = this.nextConnectionId++))
    return { connection, tokenId: peer.tokenId, address: peer.address }
  }

  private receivePresence(server: string, name: string, source: PresenceSource, entries: readonly AwarenessEntry[]): void {
    const room = this.followed.get(name)?.room
    if (room === undefined) return
    let owners = this.remote.get(name)
    if (owners === undefined) this.remote.set(name, (owners = new Map()))
    const key = `${server} ${source.connection}`
    let owner = owners.get(key)
    if (owner === undefined) owners.set(key, (owner = remoteOwner(server, source)))
    room.acceptRemotePresence(owner, entries)
    // A connection that removed its entries has left: forget it.
    if (entries.every((entry) => entry.state === 'null') && !room.holdsPresenceOf(owner)) {
      owners.delete(key)
      room.removeRemotePresence(owner)
    }
  }
}

import * as Y from 'yjs'
import { ObservableV2 } from 'lib0/observable'
import { Origin } from '../doc/origins'
import { HttpPath } from '../protocol'
import { alwaysOnline, type NetworkState } from './network-state'
import type { ServerConfirmed } from './save-tracker'
import { SyncConnection, type TokenSource } from './sync-connection'

/** Why the stamps could not be read: no usable token (401), not this space (403), or no answer now. */
export type StampsFailure = 'unauthorized' | 'forbidden' | 'unreachable'

/** `ws(s)://host/...` → `http(s)://host/stamps?space=S`. */
export const stampsUrl = (serverUrl: string, space: string): string => {
  const url = new URL(serverUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  url.pathname = HttpPath.stamps
  url.search = new URLSearchParams({ space }).toString()
  return url.toString()
}

/**
 * The stored rooms of a space that `token` grants, each with its stamp (SPEC R1). The token
 * travels in the Authorization header. Never throws.
 */
export const fetchStamps = async (
  serverUrl: string,
  space: string,
  token: string,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<{ ok: true; rooms: Map<string, string> } | { ok: false; error: StampsFailure }> => {
  let response: Response
  try {
    response = await fetchFn(stampsUrl(serverUrl, space), { headers: { authorization: `Bearer ${token}` }, cache: 'no-store', credentials: 'omit' })
  } catch {
    return { ok: false, error: 'unreachable' }
  }
  if (response.status === 401) return { ok: false, error: 'unauthorized' }
  if (response.status === 403) return { ok: false, error: 'forbidden' }
  if (!response.ok) return { ok: false, error: 'unreachable' }
  try {
    const body = (await response.json()) as { rooms?: unknown }
    if (typeof body.rooms !== 'object' || body.rooms === null) return { ok: false, error: 'unreachable' }
    const rooms = new Map<string, string>()
    for (const [room, stamp] of Object.entries(body.rooms)) if (typeof stamp === 'string') rooms.set(room, stamp)
    return { ok: true, rooms }
  } catch {
    return { ok: false, error: 'unreachable' }
  }
}

/** What storing one fetched room came to. `quota`: the browser has no room left; replication stops. */
export type ReplicaSaveResult = 'saved' | 'quota' | 'failed'

/** A room fetched from the server, ready to be stored beside its local copy. */
export interface FetchedReplica {
  room: string
  doc: Y.Doc
  /** The state vector of the local copy before the fetch: the update to store is what `doc` gained since. */
  before: Uint8Array
  /** Whether the server sent anything: when not, only the stamp is new. */
  changed: boolean
  stamp: string
  /** What the server is known to hold of `doc`, for the panel's count of unsaved changes. */
  confirmed: ServerConfirmed
}

/** Where replicas live (IndexedDB in the panel; the session adapts `src/storage` to this). */
export interface ReplicaStore {
  /** The stamp each room's local copy was fetched at. */
  stamps(): Promise<ReadonlyMap<string, string>>
  /** Applies the local copy of `room` to `doc` with `Origin.storage` (nothing when there is none). */
  load(room: string, doc: Y.Doc): Promise<void>
  /** Stores the replica and its stamp together: a stamp is never kept without its content. */
  save(replica: FetchedReplica): Promise<ReplicaSaveResult>
}

/** One room's connection while it is fetched. */
export interface ReplicaConnection {
  /** Resolves when the room is synced with the server. */
  readonly whenSynced: Promise<void>
  /** Resolves when the connection will not sync (refused, a named error that does not retry). */
  readonly whenFailed: Promise<void>
  confirmed(): ServerConfirmed
  /**
   * Closes the connection; resolves once its socket is closed, so a closing socket still counts
   * against `maxConnections` (or after a short wait when the close handshake does not finish).
   */
  close(): Promise<void>
}

/** The longest wait for a closing socket's handshake before the next one opens anyway. */
const CLOSE_WAIT_MS = 2_000

export type OpenReplicaConnection = (room: string, doc: Y.Doc) => ReplicaConnection

/** How far a pass is: rooms stored, rooms to fetch in all, rooms that failed (tried again later). */
export interface ReplicationProgress {
  done: number
  total: number
  failed: number
}

export interface ReplicatorEvents {
  /** A pass started, moved or ended (`null`: idle). */
  progress: (progress: ReplicationProgress | null) => void
  /** A room's local copy was written. */
  stored: (room: string) => void
  /** The browser refused to store more: replication stopped for good (until a new session). */
  storageFull: () => void
}

export interface ReplicatorOptions {
  serverUrl: string
  space: string
  token: string | TokenSource
  store: ReplicaStore
  /** The rooms to keep current (the meetings of the space's index), asked at every pass. */
  rooms(): readonly string[]
  /** Rooms not to fetch now: a meeting open in the panel is synced by its own session. */
  skip(room: string): boolean
  /** Default: `SyncConnection` without presence, at most `syncTimeoutMs` to sync. */
  open?: OpenReplicaConnection
  fetchFn?: typeof fetch
  /** Node: `WebSocket` from `ws`. Default: the global `WebSocket`. */
  WebSocketPolyfill?: typeof WebSocket
  network?: NetworkState
  /** Sockets open at once. Default 3. */
  maxConnections?: number
  /** A room not synced by then counts as failed. Default 30 s. */
  syncTimeoutMs?: number
  /** After a pass with failures, or when the stamps could not be read, the next pass. Default 30 s. */
  retryMs?: number
  /** Between passes while nothing asks for one (content changes without an index change). Default 5 min. */
  intervalMs?: number
  /** `request()` gathers calls for this long. Default 500 ms. */
  debounceMs?: number
}

const DEFAULTS = { maxConnections: 3, syncTimeoutMs: 30_000, retryMs: 30_000, intervalMs: 300_000, debounceMs: 500 }

/**
 * Keeps local copies of a space's meetings current in the background (SPEC R1, R2), so the
 * action register and a series' follow-up see meetings this browser never opened. A pass reads
 * the server's stamps, then fetches every wanted room whose stamp differs from the stamp its
 * local copy was stored with: local copy first, then the stock y-websocket protocol, so only
 * the difference travels; at most `maxConnections` sockets at a time. A room the stamps do not
 * list is never opened. A failed room is tried again on a later pass; a full disk stops it all.
 * Everything it starts stops with `destroy()`.
 */
export class Replicator extends ObservableV2<ReplicatorEvents> {
  progress: ReplicationProgress | null = null
  private readonly options: ReplicatorOptions & typeof DEFAULTS
  private readonly network: NetworkState
  private readonly open: OpenReplicaConnection
  private readonly connections = new Set<ReplicaConnection>()
  private readonly cleanups: Array<() => void> = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private running = false
  private again = false
  private stopped = false
  /** The last pass found no token yet (a member's first access): the token's arrival starts one. */
  private waitingForToken = false

  constructor(options: ReplicatorOptions) {
    super()
    this.options = { ...DEFAULTS, ...options }
    this.network = options.network ?? alwaysOnline
    this.open = options.open ?? this.openSyncConnection
    this.cleanups.push(this.network.subscribe(() => this.network.online && this.request()))
    const source = typeof options.token === 'string' ? null : options.token
    if (source !== null) this.cleanups.push(source.subscribe(() => this.waitingForToken && this.request()))
  }

  /** Asks for a pass soon (the index synced or changed); calls within `debounceMs` make one. */
  request(delayMs = this.options.debounceMs): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      void this.pass()
    }, delayMs)
  }

  /** Runs a pass now and resolves when it ended (tests, the benchmark). */
  async runNow(): Promise<ReplicationProgress> {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    return this.pass()
  }

  override destroy(): void {
    this.stopped = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    for (const connection of this.connections) void connection.close()
    this.connections.clear()
    super.destroy()
  }

  private token(): string {
    const { token } = this.options
    return typeof token === 'string' ? token : token.current()
  }

  private async pass(): Promise<ReplicationProgress> {
    const result: ReplicationProgress = { done: 0, total: 0, failed: 0 }
    if (this.stopped || this.running || !this.network.online) return result
    const token = this.token()
    this.waitingForToken = token === ''
    if (token === '') return result
    this.running = true
    try {
      const stamps = await fetchStamps(this.options.serverUrl, this.options.space, token, this.options.fetchFn)
      if (this.stopped) return result
      if (!stamps.ok) {
        this.schedule(this.options.retryMs)
        return result
      }
      const local = await this.options.store.stamps()
      const queue = this.options.rooms().filter((room) => {
        const stamp = stamps.rooms.get(room)
        return stamp !== undefined && stamp !== local.get(room) && !this.options.skip(room)
      })
      if (queue.length === 0) return result
      result.total = queue.length
      this.setProgress({ ...result })
      const worker = async (): Promise<void> => {
        for (let room = queue.shift(); room !== undefined && !this.stopped; room = queue.shift()) {
          const saved = this.options.skip(room) ? 'saved' : await this.fetchRoom(room, stamps.rooms.get(room)!)
          if (this.stopped) return
          if (saved === 'quota') {
            this.stopped = true
            this.emit('storageFull', [])
            return
          }
          if (saved === 'saved') result.done++
          else result.failed++
          this.setProgress({ ...result })
        }
      }
      await Promise.all(Array.from({ length: Math.min(this.options.maxConnections, queue.length) }, worker))
      return result
    } finally {
      this.running = false
      if (!this.stopped) {
        this.setProgress(null)
        if (this.again) {
          this.again = false
          this.request()
        } else {
          this.schedule(result.failed > 0 ? this.options.retryMs : this.options.intervalMs)
        }
      }
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      void this.pass()
    }, ms)
  }

  private async fetchRoom(room: string, stamp: string): Promise<ReplicaSaveResult> {
    const doc = new Y.Doc()
    try {
      await this.options.store.load(room, doc)
      if (this.stopped) return 'failed'
      const before = Y.encodeStateVector(doc)
      let changed = false
      doc.on('update', (_update: Uint8Array, origin: unknown) => {
        if (origin !== Origin.storage) changed = true
      })
      const connection = this.open(room, doc)
      this.connections.add(connection)
      let timer: ReturnType<typeof setTimeout> | undefined
      try {
        const synced = await Promise.race([
          connection.whenSynced.then(() => true),
          connection.whenFailed.then(() => false),
          new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.options.syncTimeoutMs))),
        ])
        if (!synced || this.stopped) return 'failed'
        const confirmed = connection.confirmed()
        const saved = await this.options.store.save({ room, doc, before, changed, stamp, confirmed })
        if (saved === 'saved') this.emit('stored', [room])
        return saved
      } finally {
        clearTimeout(timer)
        this.connections.delete(connection)
        await connection.close()
      }
    } catch {
      return 'failed'
    } finally {
      doc.destroy()
    }
  }

  private setProgress(progress: ReplicationProgress | null): void {
    if (progress === null && this.progress === null) return
    this.progress = progress
    this.emit('progress', [progress])
  }

  private readonly openSyncConnection: OpenReplicaConnection = (room, doc) => {
    const connection = new SyncConnection({
      serverUrl: this.options.serverUrl,
      room,
      token: this.options.token,
      doc,
      network: this.network,
      disableBc: true,
      presence: false,
      ...(this.options.WebSocketPolyfill !== undefined ? { WebSocketPolyfill: this.options.WebSocketPolyfill } : {}),
    })
    const whenFailed = new Promise<void>((resolve) => {
      const check = (): void => {
        const status = connection.status
        if (status.kind === 'auth-failed' || (status.kind === 'error' && !status.retrying)) resolve()
      }
      connection.on('status', check)
      check()
    })
    const close = (): Promise<void> => {
      const ws = connection.provider?.ws ?? null
      connection.destroy()
      if (ws === null || ws.readyState === ws.CLOSED) return Promise.resolve()
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, CLOSE_WAIT_MS)
        ws.addEventListener('close', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return { whenSynced: connection.whenSynced, whenFailed, confirmed: () => connection.confirmed(), close }
  }
}

import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as random from 'lib0/random'
import * as Y from 'yjs'
import { contentHash } from '../src/doc/content-hash'
import { Origin } from '../src/doc/origins'
import { Root } from '../src/doc/roots'
import {
  CloseCode,
  LockShape,
  MessageType,
  Role,
  SyncMessageType,
  canEdit,
  encodeAdjustmentRefused,
  readAdjustmentRequest,
  type AdjustmentRefusal,
} from '../src/protocol'
import { handleAdjustmentRequest, reopenMeeting, type AdjustmentWriter } from './adjustment-authority'
import { writesProtectedRoots } from './adjustment-guard'
import { AwarenessTable, decodeAwarenessUpdate, encodeAwarenessUpdate, type AwarenessEntry } from './awareness'
import type { Metrics } from './metrics'
import type { StoreEntry } from './persistence/store'

/** The roots only the server writes (SPEC J6): the adjustment's record and the approvals. */
const SERVER_WRITTEN_ROOTS: ReadonlySet<string> = new Set([Root.adjustment, Root.approvals])

/** What a room needs of a connection: a small interface, not the socket class. */
export interface RoomPeer {
  readonly role: Role
  /** The display name from the token, if it carries one; for a member, the stored name (SPEC I4). */
  readonly name?: string | undefined
  /** The member the peer's token names (`sub`, SPEC I1); absent for a shared token. */
  readonly memberId?: string | undefined
  /** The client opted in to durable acknowledgements (`?ack=1`). */
  readonly wantsAck: boolean
  /** Who the peer is across its connections: its token's id and its address (SPEC H8). */
  readonly tokenId: string
  readonly address: string
  send(message: Uint8Array): void
  /** Sends what the peer asked for (a sync step 2, presence on query), charged to its reply budget (SPEC H7). */
  reply(message: Uint8Array): void
  /** May the peer ask for another reply now (SPEC H7)? */
  hasReplyBudget(): boolean
  /** Runs `callback` once everything sent to the peer so far has left; never if it closes first. */
  whenDrained(callback: () => void): void
  close(code: CloseCode): void
}

/** Where a room hands its accepted updates for the group commit. `lock`: the update locks or reopens the meeting (SPEC C9). */
export interface CommitSink {
  enqueue(room: Room, update: Uint8Array, peer: RoomPeer, receivedAt: number, lock?: StoreEntry['lock']): void
}

/** A room's tie to the other servers of a cluster (SPEC C7–C10); on a single server it does nothing. */
export interface RoomLink {
  /**
   * The sequence number of the room's log whose row this room's document lacks first: every row
   * before it is in the document. `null` when the room may lack a row in between, or on a store
   * that does not number its rows (SPEC C9).
   */
  appliedSeq(room: Room): number | null
  /** Presence news (fresh entries, removals) of this server's connection `peer`, for the other servers (SPEC C10). */
  presence(room: Room, peer: RoomPeer, entries: readonly AwarenessEntry[]): void
}

export const SINGLE_SERVER: RoomLink = { appliedSeq: () => null, presence: () => {} }

export interface RoomOptions {
  maxApplyMs: number
  maxPendingBytes: number
  maxAwarenessBytes: number
  maxAwarenessClients: number
  maxPresencePerConnection: number
  maxPresencePerRoom: number
  maxPresenceBytesPerRoom: number
}

/** The outcome of a message for the connection that sent it. */
export type MessageOutcome = { ok: true } | { ok: false; close: CloseCode }

const OK: MessageOutcome = { ok: true }

/** Thrown inside message handling for content that is not the protocol. */
class Malformed extends Error {}

export const encodeSyncUpdate = (update: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.sync)
  encoding.writeVarUint(encoder, SyncMessageType.update)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

const encodeAwarenessMessage = (entries: readonly AwarenessEntry[]): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.awareness)
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(entries))
  return encoding.toUint8Array(encoder)
}

const encodeAck = (stateVector: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.durableAck)
  encoding.writeVarUint8Array(encoder, stateVector)
  return encoding.toUint8Array(encoder)
}

/** Bytes of the updates (structs and deletions) `store` holds until their dependencies arrive. */
const pendingBytes = (store: Y.Doc['store']): number =>
  (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0)

const sameStateVector = (a: Map<number, number>, b: Map<number, number>): boolean => {
  if (a.size !== b.size) return false
  for (const [client, clock] of a) if (b.get(client) !== clock) return false
  return true
}

/**
 * One Yjs document and the connections editing it.
 *
 * The ordering rule (SPEC D1): an update is applied to the in-memory document when it arrives
 * (that is how it is validated), but nothing derived from it leaves the server before the group
 * commit that stores it: broadcasts, sync step 2 replies and acknowledgements wait until the
 * room has no unstored updates. If a commit fails, the room is reset from the store.
 */
export class Room {
  readonly peers = new Set<RoomPeer>()
  private readonly awareness: AwarenessTable<RoomPeer>
  /** Updates applied in memory but not yet on disk. */
  private unstored = 0
  /** Replies that wait until `unstored` is 0 again. */
  private waiting: Array<() => void> = []
  /** The sync step 1s each peer is owed a reply to, merged into one state vector (SPEC H7). */
  private readonly step1Due = new Map<RoomPeer, Map<number, number>>()
  /** Peers owed an acknowledgement once the room is fully stored. */
  private readonly ackDue = new Set<RoomPeer>()
  /** Updates stored for this room since its last snapshot (drives compaction). */
  storedUpdates: number
  /** The stored log holds what memory no longer does (a dropped pending pile, SPEC J8): compact at the next chance. */
  private compactionWanted = false
  /** `contentHash` of the document, until the next change that is not the server's own (SPEC J4). */
  private hash: string | null = null
  private readonly forgetHash = (_update: Uint8Array, origin: unknown): void => {
    if (origin !== Origin.server) this.hash = null
  }
  /** The room as the adjustment authority sees it: its document, server writes, the pending pile. */
  private readonly authority: AdjustmentWriter
  private destroyed = false

  /**
   * `doc` holds the room's complete stored state (`loadRoomDoc`) before any peer is added, so
   * no sync step 2 can go out before the stored state is in (SPEC D3; y-websocket#39).
   */
  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    storedUpdates: number,
    private readonly sink: CommitSink,
    private readonly options: RoomOptions,
    private readonly metrics: Metrics,
    private readonly link: RoomLink = SINGLE_SERVER,
  ) {
    this.storedUpdates = storedUpdates
    this.awareness = new AwarenessTable<RoomPeer>(
      { perConnection: options.maxPresencePerConnection, entries: options.maxPresencePerRoom, bytes: options.maxPresenceBytesPerRoom },
      (peer) => `${peer.tokenId} ${peer.address}`,
    )
    doc.on('update', this.forgetHash)
    this.authority = {
      doc,
      write: (write) => this.serverWrite(write),
      dropPending: () => this.dropPending(),
      contentHash: () => (this.hash ??= contentHash(doc)),
    }
  }

  get isFullyStored(): boolean {
    return this.unstored === 0
  }

  /** Adds a connection and greets it: server sync step 1, current presence, and an ack if wanted. */
  join(peer: RoomPeer): void {
    this.peers.add(peer)
    const presence = this.awareness.snapshot()
    if (presence.length > 0) this.sendTo(peer, encodeAwarenessMessage(presence))
    if (peer.wantsAck) this.ackDue.add(peer)
    this.whenStored(() => {
      if (!this.peers.has(peer)) return
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.sync)
      encoding.writeVarUint(encoder, SyncMessageType.step1)
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.doc))
      this.sendTo(peer, encoding.toUint8Array(encoder))
      this.sendDueAcks()
    })
  }

  /** Removes a connection; its presence entries are removed for everyone else. */
  leave(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return
    this.ackDue.delete(peer)
    this.step1Due.delete(peer)
    const removals = this.awareness.removeOwner(peer)
    if (removals.length > 0) {
      this.broadcast(encodeAwarenessMessage(removals), null, 'awareness')
      this.link.presence(this, peer, removals)
    }
  }

  /**
   * Applies rows of the room's log that another server of the cluster stored (SPEC C8): durable
   * already, so forwarded to every peer at once and never stored again. False when one does not
   * apply (the caller reloads the room, which quarantines it, SPEC D6).
   */
  applyStored(updates: readonly Uint8Array[]): boolean {
    if (this.destroyed) return true
    const merged = updates.length === 1 ? updates[0]! : mergeOrNull([...updates])
    for (const update of merged === null ? updates : [merged]) {
      const before = Y.encodeStateVector(this.doc)
      let deleted = false
      try {
        this.doc.transact((tr) => {
          Y.applyUpdate(this.doc, update, Origin.cluster)
          deleted = tr.deleteSet.clients.size > 0
        }, Origin.cluster)
      } catch {
        return false
      }
      // What this room had already (its own commit, a re-read tail) is not sent again.
      if (deleted || !equalBytes(before, Y.encodeStateVector(this.doc))) this.broadcast(encodeSyncUpdate(update), null, 'update')
    }
    return true
  }

  /** Presence a connection on another server announced (SPEC C10), under the same bounds as this server's own (H8). */
  acceptRemotePresence(owner: RoomPeer, entries: readonly AwarenessEntry[]): void {
    if (this.destroyed) return
    const fresh = this.awareness.accept(entries, owner)
    if (fresh !== 'too-many-ids' && fresh.length > 0) this.broadcast(encodeAwarenessMessage(fresh), null, 'awareness')
  }

  /** The connection on another server left, or its server is gone: its entries are removed for everyone here. */
  removeRemotePresence(owner: RoomPeer): void {
    if (this.destroyed) return
    const removals = this.awareness.removeOwner(owner)
    if (removals.length > 0) this.broadcast(encodeAwarenessMessage(removals), null, 'awareness')
  }

  /** Does the connection (here or on another server) hold presence entries in this room? */
  holdsPresenceOf(owner: RoomPeer): boolean {
    return this.awareness.holds(owner)
  }

  /** The presence of this server's own connections, by connection (for another server that opened the room). */
  localPresence(): Map<RoomPeer, AwarenessEntry[]> {
    const local = new Map<RoomPeer, AwarenessEntry[]>()
    for (const [owner, entries] of this.awareness.byOwner()) if (this.peers.has(owner)) local.set(owner, entries)
    return local
  }

  /** Handles one whole message from a peer of this room (SPEC P1–P4). Never throws for bad input. */
  receive(peer: RoomPeer, message: Uint8Array): MessageOutcome {
    const decoder = decoding.createDecoder(message)
    try {
      const type = decoding.readVarUint(decoder) as MessageType
      switch (type) {
        case MessageType.sync:
          return this.receiveSync(peer, decoder)
        case MessageType.awareness: {
          const payload = decoding.readVarUint8Array(decoder)
          if (decoding.hasContent(decoder)) throw new Malformed('trailing bytes')
          return this.receiveAwareness(peer, payload)
        }
        case MessageType.queryAwareness: {
          if (decoding.hasContent(decoder)) throw new Malformed('trailing bytes')
          if (!peer.hasReplyBudget()) return { ok: false, close: CloseCode.rateLimited }
          const presence = this.awareness.snapshot()
          if (presence.length > 0) peer.reply(encodeAwarenessMessage(presence))
          return OK
        }
        case MessageType.reopen:
          return this.receiveReopen(peer, decoder)
        case MessageType.markFinal:
        case MessageType.approve:
        case MessageType.markDraft:
          return this.receiveAdjustmentRequest(peer, readAdjustmentRequest(type, decoder))
        case MessageType.renewAccess:
          // The connection handles renewals before anything reaches its room (SPEC I6).
          return { ok: false, close: CloseCode.malformedMessage }
        case MessageType.auth:
        case MessageType.durableAck:
        case MessageType.adjustmentRefused:
          // Server-to-client messages; a client has no business sending them.
          return { ok: false, close: CloseCode.malformedMessage }
        default: {
          const unknown: never = type
          void unknown
          return { ok: false, close: CloseCode.malformedMessage }
        }
      }
    } catch {
      // Whatever a peer sends must not reach past its own connection (SPEC H2).
      return { ok: false, close: CloseCode.malformedMessage }
    }
  }

  private receiveSync(peer: RoomPeer, decoder: decoding.Decoder): MessageOutcome {
    const subType = decoding.readVarUint(decoder) as SyncMessageType
    switch (subType) {
      case SyncMessageType.step1: {
        const stateVector = decoding.readVarUint8Array(decoder)
        if (decoding.hasContent(decoder)) throw new Malformed('trailing bytes')
        // Validate before replying later: a bad state vector throws here, not in the deferred reply.
        const wanted = Y.decodeStateVector(stateVector)
        if (!peer.hasReplyBudget()) return { ok: false, close: CloseCode.rateLimited }
        // One reply outstanding per peer: a step 1 that arrives while the last reply has not left
        // joins the one still owed (a stock client sends one per connection; SPEC H7).
        const due = this.step1Due.get(peer)
        if (due !== undefined) {
          keepCommonState(due, wanted)
          return OK
        }
        this.step1Due.set(peer, wanted)
        peer.whenDrained(() => this.whenStored(() => this.answerStep1(peer)))
        return OK
      }
      case SyncMessageType.step2:
      case SyncMessageType.update: {
        const update = decoding.readVarUint8Array(decoder)
        if (decoding.hasContent(decoder)) throw new Malformed('trailing bytes')
        // A viewer's document updates are never applied, stored or forwarded (SPEC A4).
        if (!canEdit(peer.role)) return OK
        return this.applyFromPeer(peer, update)
      }
      default: {
        const unknown: never = subType
        void unknown
        return { ok: false, close: CloseCode.malformedMessage }
      }
    }
  }

  private answerStep1(peer: RoomPeer): void {
    const wanted = this.step1Due.get(peer)
    this.step1Due.delete(peer)
    if (wanted === undefined || !this.peers.has(peer)) return
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.sync)
    encoding.writeVarUint(encoder, SyncMessageType.step2)
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(wanted)))
    peer.reply(encoding.toUint8Array(encoder))
  }

  /** Is the meeting adjusted and locked (SPEC L1)? Read from the document itself. */
  get isLocked(): boolean {
    return this.doc.getMap(LockShape.root).get(LockShape.locked) === true
  }

  private applyFromPeer(peer: RoomPeer, update: Uint8Array): MessageOutcome {
    const receivedAt = performance.now()
    if (this.isLocked) {
      // A locked meeting takes nothing new (SPEC L2). A re-sent update with nothing new in it
      // (every reconnect sends one) is no change, so it is acknowledged, not refused.
      if (!Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)) return { ok: false, close: CloseCode.meetingLocked }
      if (peer.wantsAck) this.ackDue.add(peer)
      this.whenStored(() => this.sendDueAcks())
      return OK
    }
    // The adjustment's record is the server's word: a client's write into it is refused whole,
    // before any of it is applied (SPEC J6).
    if (writesProtectedRoots(this.doc, update, SERVER_WRITTEN_ROOTS)) return { ok: false, close: CloseCode.forbidden }
    const store = this.doc.store
    // Yjs keeps one pending object and replaces its `update` as more pile up: compare those bytes.
    const pendingBefore = [store.pendingStructs?.update, store.pendingDs]
    const pendingBytesBefore = pendingBytes(store)
    let transaction: Y.Transaction | null = null
    const changedBy = (tr: Y.Transaction | null): boolean =>
      tr !== null &&
      (!sameStateVector(tr.beforeState, tr.afterState) ||
        tr.deleteSet.clients.size > 0 ||
        store.pendingStructs?.update !== pendingBefore[0] ||
        store.pendingDs !== pendingBefore[1])
    try {
      this.doc.transact((tr) => {
        transaction = tr
        Y.applyUpdate(this.doc, update, peer)
      }, peer)
    } catch {
      // A bad update that got half-way in leaves memory different from disk: reload the room.
      // Its sender gets 4400 first (a stock client does not retry that); only the others get
      // 4501 and reconnect, so a client re-sending the bad update cannot reset the room in a loop.
      if (changedBy(transaction)) {
        peer.close(CloseCode.malformedMessage)
        this.reset(CloseCode.roomReset)
      }
      return { ok: false, close: CloseCode.malformedMessage }
    }
    const pending = pendingBytes(store)
    if (pending > this.options.maxPendingBytes && pending > pendingBytesBefore) {
      // Updates whose dependencies never arrive pile up, and Yjs merges the pile again with every
      // update the room applies: a slow burn (SPEC H6). The pile is in memory, not on disk: refuse
      // the sender (4400) and reload the room from the store (4501 to the others).
      peer.close(CloseCode.malformedMessage)
      this.reset(CloseCode.roomReset)
      return { ok: false, close: CloseCode.malformedMessage }
    }
    if (peer.wantsAck) this.ackDue.add(peer)
    if (!changedBy(transaction)) {
      // Nothing new (a re-sent update): nothing to store or forward, but the sender may want its ack.
      this.whenStored(() => this.sendDueAcks())
      return OK
    }
    this.metrics.updatesIn.inc()
    this.unstored++
    this.sink.enqueue(this, update, peer, receivedAt)
    if (performance.now() - receivedAt > this.options.maxApplyMs) {
      // Applied and valid, but expensive: keep it, and stop this connection from sending more (SPEC H5).
      return { ok: false, close: CloseCode.updateTooExpensive }
    }
    return OK
  }

  /**
   * An editor reopens a locked meeting (SPEC L3, J9): the server itself writes the reopening into
   * the document (who by the token, when, why), stores it like any update and forwards it to everyone.
   */
  private receiveReopen(peer: RoomPeer, decoder: decoding.Decoder): MessageOutcome {
    const reason = decoding.readVarString(decoder).slice(0, 500)
    // An optional display name may follow (older panels send it); it is read and ignored: who
    // reopened is the token's word, never the client's (SPEC J9).
    if (decoding.hasContent(decoder)) decoding.readVarString(decoder)
    if (decoding.hasContent(decoder)) return { ok: false, close: CloseCode.malformedMessage }
    const outcome = reopenMeeting(this.authority, peer, reason, new Date())
    return outcome === 'forbidden' ? { ok: false, close: CloseCode.forbidden } : OK
  }

  /**
   * Mark final, approve, back to draft (SPEC J1–J8): carried out by the server, or answered with
   * message 105 and a reason; a refusal never closes the connection. The answer leaves once the
   * room is stored, like everything derived from its state (SPEC D1).
   */
  private receiveAdjustmentRequest(peer: RoomPeer, request: Parameters<typeof handleAdjustmentRequest>[2]): MessageOutcome {
    const refusal: AdjustmentRefusal | null = handleAdjustmentRequest(this.authority, peer, request, new Date())
    if (refusal !== null) {
      this.whenStored(() => {
        if (this.peers.has(peer)) peer.send(encodeAdjustmentRefused(refusal))
      })
    }
    return OK
  }

  /**
   * One write of the server's own (SPEC J3): under a client id never used in this room before
   * and used for this write only, so no client can name in advance an id the server will create
   * (a pending struct waiting for it would integrate into the record). Stored and forwarded to
   * every peer like any update.
   */
  private serverWrite(write: () => void): void {
    const wasLocked = this.isLocked
    this.doc.clientID = this.freshClientId()
    let written: Uint8Array | null = null
    const capture = (update: Uint8Array, origin: unknown): void => {
      if (origin === Origin.server) written = update
    }
    this.doc.on('update', capture)
    try {
      this.doc.transact(write, Origin.server)
    } finally {
      this.doc.off('update', capture)
    }
    if (written === null) return
    // Across servers the lock holds from its commit on (SPEC C9): the store takes it only if no
    // other server wrote to the room since this decision, whose row number it would then not get.
    let lock: StoreEntry['lock']
    if (!wasLocked && this.isLocked) {
      // Every row before `applied` is in the document, and each update still unstored gets the next one.
      const applied = this.link.appliedSeq(this)
      lock = { change: 'lock', expectedSeq: applied === null ? -1 : applied + this.unstored }
    }
    else if (wasLocked && !this.isLocked) lock = { change: 'unlock' }
    this.unstored++
    this.sink.enqueue(this, written, SERVER_PEER, performance.now(), lock)
  }

  private freshClientId(): number {
    const taken = new Set(this.doc.store.clients.keys())
    const pending = this.doc.store.pendingStructs
    if (pending !== null) for (const client of Y.parseUpdateMeta(pending.update).to.keys()) taken.add(client)
    if (this.doc.store.pendingDs !== null) for (const client of Y.decodeUpdate(this.doc.store.pendingDs).ds.clients.keys()) taken.add(client)
    for (;;) {
      const id = random.uint32()
      if (!taken.has(id)) return id
    }
  }

  /**
   * Forgets the updates waiting for dependencies that never arrived (SPEC H6, J8). They are in
   * memory (gone now) and in the stored log, which is replaced by a snapshot of the room without
   * them at the next commit, so a reload does not bring them back.
   */
  private dropPending(): void {
    const store = this.doc.store
    if (store.pendingStructs === null && store.pendingDs === null) return
    store.pendingStructs = null
    store.pendingDs = null
    this.compactionWanted = true
  }

  private receiveAwareness(peer: RoomPeer, payload: Uint8Array): MessageOutcome {
    this.metrics.awarenessIn.inc()
    if (payload.byteLength > this.options.maxAwarenessBytes) return { ok: false, close: CloseCode.awarenessTooLarge }
    const decoded = decodeAwarenessUpdate(payload, this.options.maxAwarenessClients)
    if (decoded === 'too-many-clients') return { ok: false, close: CloseCode.awarenessTooLarge }
    const viewer = !canEdit(peer.role)
    const memberId = peer.memberId
    const entries =
      !viewer && memberId === undefined ? decoded : decoded.map((entry) => shapePresence(entry, viewer, memberId === undefined ? null : { memberId, name: peer.name ?? '' }))
    const fresh = this.awareness.accept(entries, peer)
    if (fresh === 'too-many-ids') return { ok: false, close: CloseCode.awarenessTooLarge }
    if (fresh.length > 0) {
      this.broadcast(encodeAwarenessMessage(fresh), peer, 'awareness')
      this.link.presence(this, peer, fresh)
    }
    return OK
  }

  /**
   * Called by the commit queue once `updates` of this room are on disk: forward them (one
   * message for the whole group), and acknowledge when nothing unstored remains.
   */
  stored(updates: ReadonlyArray<{ update: Uint8Array; peer: RoomPeer; receivedAt: number }>): Uint8Array[] {
    if (this.destroyed || updates.length === 0) return []
    this.unstored -= updates.length
    this.storedUpdates += updates.length
    const first = updates[0]!
    const singleSender = updates.every((u) => u.peer === first.peer) ? first.peer : null
    const merged = updates.length === 1 ? first.update : mergeOrNull(updates.map((u) => u.update))
    if (merged !== null) this.broadcast(encodeSyncUpdate(merged), singleSender, 'update')
    // Updates Yjs applied but cannot merge (crafted ones can be like that): forward one by one.
    else for (const u of updates) this.broadcast(encodeSyncUpdate(u.update), u.peer, 'update')
    const forwarded = merged === null ? updates.map((u) => u.update) : [merged]
    if (this.unstored === 0) {
      const now = performance.now()
      for (const u of updates) if (u.peer.wantsAck) this.metrics.ackSeconds.observe((now - u.receivedAt) / 1000)
      this.sendDueAcks()
      const waiting = this.waiting
      this.waiting = []
      for (const reply of waiting) reply()
    }
    return forwarded
  }

  /** The snapshot that replaces the stored log, when it has grown past `threshold`. */
  snapshotIfDue(threshold: number): Uint8Array | null {
    if (this.destroyed || this.unstored !== 0) return null
    if (this.storedUpdates < threshold && !this.compactionWanted) return null
    return Y.encodeStateAsUpdate(this.doc)
  }

  compacted(): void {
    this.storedUpdates = 1
    this.compactionWanted = false
  }

  /** Drops the in-memory state and disconnects everyone; the next connection reloads from the store. */
  reset(code: CloseCode): void {
    if (this.destroyed) return
    for (const peer of [...this.peers]) peer.close(code)
    this.destroy()
    this.onReset?.()
  }

  /** Set by the registry to forget a reset room. */
  onReset: (() => void) | null = null

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.peers.clear()
    this.ackDue.clear()
    this.step1Due.clear()
    this.waiting = []
    this.doc.off('update', this.forgetHash)
    this.doc.destroy()
  }

  get isDestroyed(): boolean {
    return this.destroyed
  }

  private whenStored(reply: () => void): void {
    if (this.unstored === 0) reply()
    else this.waiting.push(reply)
  }

  private sendDueAcks(): void {
    if (this.ackDue.size === 0 || this.unstored !== 0) return
    const ack = encodeAck(Y.encodeStateVector(this.doc))
    for (const peer of this.ackDue) this.sendTo(peer, ack)
    this.ackDue.clear()
  }

  private sendTo(peer: RoomPeer, message: Uint8Array): void {
    peer.send(message)
  }

  private broadcast(message: Uint8Array, except: RoomPeer | null, kind: 'update' | 'awareness'): void {
    let sent = 0
    for (const peer of this.peers) {
      if (peer === except) continue
      peer.send(message)
      sent++
    }
    if (kind === 'update') this.metrics.updatesOut.inc(sent)
    else this.metrics.awarenessOut.inc(sent)
  }
}

/** Lowers `due` to what both state vectors have, so one reply covers both requests. */
const keepCommonState = (due: Map<number, number>, wanted: Map<number, number>): void => {
  for (const [client, clock] of due) {
    const other = wanted.get(client)
    if (other === undefined) due.delete(client)
    else if (other < clock) due.set(client, other)
  }
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i])

const mergeOrNull = (updates: Uint8Array[]): Uint8Array | null => {
  try {
    return Y.mergeUpdates(updates)
  } catch {
    return null
  }
}

/** The server itself as the author of an update (a reopening): forwarded to every peer. */
const SERVER_PEER: RoomPeer = {
  role: Role.editor,
  wantsAck: false,
  tokenId: 'server',
  address: '',
  send: () => {},
  reply: () => {},
  hasReplyBudget: () => false,
  whenDrained: () => {},
  close: () => {},
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The presence the server forwards for a peer. A viewer's is shown as a viewer's: marked, and
 * without a cursor (SPEC A4). A member's carries the verified `user.name` and `user.memberId`,
 * whatever the client announced (SPEC I7); the rest of `user` (its colour) is the client's.
 */
const shapePresence = (entry: AwarenessEntry, viewer: boolean, member: { memberId: string; name: string } | null): AwarenessEntry => {
  if (entry.state === 'null') return entry
  const parsed: unknown = JSON.parse(entry.state)
  let state: Record<string, unknown> = isRecord(parsed) ? parsed : {}
  if (viewer) {
    const { cursor: _cursor, ...rest } = state
    state = { ...rest, viewer: true }
  }
  if (member !== null) state = { ...state, user: { ...(isRecord(state.user) ? state.user : {}), name: member.name, memberId: member.memberId } }
  return { ...entry, state: JSON.stringify(state) }
}

import * as decoding from 'lib0/decoding'
import type { WebSocket } from 'ws'
import { CloseCode, CloseReason, MessageType, type Role, type TokenClaims } from '../src/protocol'
import type { PeerIdentity } from './access'
import type { ServerLimits } from './config'
import type { Logger } from './logger'
import type { Metrics } from './metrics'
import type { OutboundBatch } from './outbound-batch'
import type { ReplyBudget } from './reply-budgets'
import type { Room, RoomPeer } from './room'

const reasonOf = (code: CloseCode): string => {
  const entry = Object.entries(CloseCode).find(([, value]) => value === code)
  return entry === undefined ? '' : CloseReason[entry[0] as keyof typeof CloseCode]
}

/** The close code ws sends for one of its protocol errors (`WS_ERR_…`): 1009 too long, 1007 bad UTF-8, else 1002. */
const protocolErrorCode = (code: string | undefined): number =>
  code?.endsWith('_LENGTH') === true ? CloseCode.messageTooBig : code === 'WS_ERR_INVALID_UTF8' ? 1007 : 1002

/** Checks a renewal's token for this connection (SPEC I6): the claims that follow it, or the close code. */
export type RenewAccess = (current: TokenClaims, token: string) => Promise<{ ok: true; claims: TokenClaims } | { ok: false; close: CloseCode }>

/** A renewal message's token, `null` when the message is another type, `'malformed'` when it is a broken renewal. */
const renewalToken = (message: Uint8Array): string | null | 'malformed' => {
  const decoder = decoding.createDecoder(message)
  try {
    if (decoding.readVarUint(decoder) !== MessageType.renewAccess) return null
    const token = decoding.readVarString(decoder)
    return decoding.hasContent(decoder) ? 'malformed' : token
  } catch {
    return null // not a renewal; its room says what it is
  }
}

/**
 * One WebSocket: the rate limit, the queue of messages that arrive while its room loads, the
 * bound on what it leaves unread, and the named close codes. What it receives goes to its
 * room; nothing it receives can throw out of here (SPEC H1–H3, H7).
 */
export class ClientConnection implements RoomPeer {
  readonly wantsAck: boolean
  readonly tokenId: string
  readonly address: string
  private room: Room | null = null
  private queue: Uint8Array[] = []
  private tokens: number
  private byteTokens: number
  /** The budget of replies this connection asked for (SPEC H7); may go into debt by one reply. */
  private replyTokens: number
  /** Messages handed to the socket whose write has not completed, and what waits for none to be left. */
  private unwritten = 0
  private drainWaiters: Array<() => void> = []
  private lastRefill = performance.now()
  private closed = false
  /** The code the server closed it with, or the WebSocket protocol error's (SPEC H11); null if the peer left. */
  private closeCode: number | null = null
  /** Renewals sent so far; only the latest one's outcome counts. */
  private renewals = 0

  constructor(
    private readonly socket: WebSocket,
    private currentClaims: TokenClaims,
    wantsAck: boolean,
    identity: PeerIdentity,
    private readonly limits: ServerLimits,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly outbound: OutboundBatch,
    private readonly onClosed: (connection: ClientConnection) => void,
    private readonly renewAccess: RenewAccess,
    /** The reply budget of this connection's token, shared with its other connections (SPEC H10). */
    private readonly replyBudget: ReplyBudget,
  ) {
    this.wantsAck = wantsAck
    this.tokenId = identity.tokenId
    this.address = identity.address
    this.tokens = limits.messageBurst
    this.byteTokens = limits.maxMessageBytes
    this.replyTokens = limits.maxMessageBytes
    socket.binaryType = 'nodebuffer'
    // A bad frame (reserved bits, bad opcode, too big) is an 'error' on this socket alone;
    // ws then closes it (1002 or 1009). Without this listener the process would die (SPEC H1).
    socket.on('error', (error: Error & { code?: string }) => {
      this.closeCode ??= protocolErrorCode(error.code)
      this.metrics.closes.inc({ reason: error.code ?? 'socket error' })
      this.log.debug({ code: error.code }, 'socket error')
    })
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary))
    socket.on('close', () => this.handleClosed())
    metrics.connections.inc()
  }

  /** The claims in force: the upgrade's, or the latest accepted renewal's (SPEC I6). */
  get claims(): TokenClaims {
    return this.currentClaims
  }

  get role(): Role {
    return this.currentClaims.role
  }

  /** The display name from the token; a member's stored name (SPEC I4). */
  get name(): string | undefined {
    return this.currentClaims.name
  }

  /** The member this connection is for (SPEC I1), absent for a shared token. */
  get memberId(): string | undefined {
    return this.currentClaims.sub
  }

  /** The room is loaded: join it and play back what arrived meanwhile. */
  attach(room: Room): void {
    if (this.closed) return
    this.room = room
    room.join(this)
    const queued = this.queue
    this.queue = []
    for (const message of queued) {
      if (this.closed) return
      this.dispatch(message)
    }
  }

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    // A socket that does not take what it is sent gets no more: its backlog stays within the
    // limit plus one message, and the close frame waits behind it (SPEC H7).
    if (this.socket.bufferedAmount > this.limits.maxUnsentBytes) return this.close(CloseCode.backlogged)
    this.metrics.bytesOut.inc(message.byteLength)
    this.outbound.hold(this.socket)
    this.unwritten++
    this.socket.send(message, { binary: true }, this.written)
  }

  /** Sends what this connection asked for, charged to its reply budget (SPEC H7). */
  reply(message: Uint8Array): void {
    this.refill()
    this.replyTokens -= message.byteLength
    this.replyBudget.charge(message.byteLength)
    this.send(message)
  }

  /** May this connection ask for another reply? Not while its reply budget is in debt (SPEC H7). */
  hasReplyBudget(): boolean {
    this.refill()
    // Its own budget (H7) and its token's across every connection of that token (H10).
    return this.replyTokens > 0 && this.replyBudget.available()
  }

  /** Runs `callback` once everything sent so far is written to the network (now, if it is). */
  whenDrained(callback: () => void): void {
    if (this.closed) return
    if (this.unwritten === 0) callback()
    else this.drainWaiters.push(callback)
  }

  /** Bytes handed to the socket and not yet written (for the `minutes_unsent_bytes` gauge). */
  get unsentBytes(): number {
    return this.closed ? 0 : this.socket.bufferedAmount
  }

  private readonly written = (): void => {
    this.unwritten--
    if (this.unwritten > 0 || this.closed || this.drainWaiters.length === 0) return
    const waiting = this.drainWaiters
    this.drainWaiters = []
    for (const callback of waiting) callback()
  }

  close(code: CloseCode): void {
    if (this.closed) return
    this.closeCode = code
    this.metrics.closes.inc({ reason: reasonOf(code) })
    this.socket.close(code, reasonOf(code))
    this.handleClosed()
  }

  /** Closes the connection if its token has expired (checked periodically; SPEC A5). */
  closeIfExpired(nowSeconds: number): void {
    if (this.currentClaims.exp <= nowSeconds) this.close(CloseCode.tokenExpired)
  }

  /**
   * A renewal (SPEC I6), handled here and never by the room, also while the room loads. The
   * connection goes on under its old claims until the new ones are checked.
   */
  private renew(token: string): void {
    const renewal = ++this.renewals
    this.renewAccess(this.currentClaims, token).then(
      (outcome) => {
        if (this.closed || renewal !== this.renewals) return
        if (!outcome.ok) return this.close(outcome.close)
        this.currentClaims = outcome.claims
      },
      (error: unknown) => {
        this.log.error({ code: (error as NodeJS.ErrnoException).code }, 'renewal could not be checked')
        this.close(CloseCode.internalError)
      },
    )
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return
    this.metrics.bytesIn.inc(data.byteLength)
    if (!this.takeTokens(data.byteLength)) return this.close(CloseCode.rateLimited)
    if (!isBinary) return this.close(CloseCode.malformedMessage)
    const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    const renewal = renewalToken(message)
    if (renewal === 'malformed') return this.close(CloseCode.malformedMessage)
    if (renewal !== null) return this.renew(renewal)
    if (this.room === null) {
      if (this.queue.length >= this.limits.maxQueuedMessages) return this.close(CloseCode.rateLimited)
      this.queue.push(message)
      return
    }
    this.dispatch(message)
  }

  private dispatch(message: Uint8Array): void {
    const outcome = this.room!.receive(this, message)
    if (!outcome.ok) this.close(outcome.close)
  }

  /**
   * Two token buckets: messages (`messagesPerSecond` sustained, `messageBurst` at once; SPEC H3)
   * and bytes (`bytesPerSecond` sustained, one maximal message at once), because decoding cost
   * grows with bytes, not messages (SPEC H5).
   */
  private takeTokens(bytes: number): boolean {
    this.refill()
    if (this.tokens < 1 || this.byteTokens < bytes) return false
    this.tokens -= 1
    this.byteTokens -= bytes
    return true
  }

  private refill(): void {
    const now = performance.now()
    const seconds = (now - this.lastRefill) / 1000
    this.lastRefill = now
    const { messagesPerSecond, messageBurst, bytesPerSecond, maxMessageBytes } = this.limits
    this.tokens = Math.min(messageBurst, this.tokens + seconds * messagesPerSecond)
    this.byteTokens = Math.min(maxMessageBytes, this.byteTokens + seconds * bytesPerSecond)
    this.replyTokens = Math.min(maxMessageBytes, this.replyTokens + seconds * bytesPerSecond)
  }

  private handleClosed(): void {
    if (this.closed) {
      return
    }
    this.closed = true
    this.replyBudget.release()
    this.queue = []
    this.drainWaiters = []
    this.metrics.connections.dec()
    this.room?.leave(this)
    this.onClosed(this)
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Why it ended: the server's close code (or the protocol error's), null if the peer left or it is open. */
  get closedWith(): number | null {
    return this.closeCode
  }

  /** Ends the connection at once (shutdown after the close frame had its chance). */
  terminate(): void {
    this.socket.terminate()
    this.handleClosed()
  }

  get currentRoom(): Room | null {
    return this.room
  }
}

import type { WebSocket } from 'ws'
import { CloseCode, CloseReason, type Role, type TokenClaims } from '../src/protocol'
import type { PeerIdentity } from './access'
import type { ServerLimits } from './config'
import type { Logger } from './logger'
import type { Metrics } from './metrics'
import type { OutboundBatch } from './outbound-batch'
import type { Room, RoomPeer } from './room'

const reasonOf = (code: CloseCode): string => {
  const entry = Object.entries(CloseCode).find(([, value]) => value === code)
  return entry === undefined ? '' : CloseReason[entry[0] as keyof typeof CloseCode]
}

/**
 * One WebSocket: the rate limit, the queue of messages that arrive while its room loads, the
 * bound on what it leaves unread, and the named close codes. What it receives goes to its
 * room; nothing it receives can throw out of here (SPEC H1–H3, H7).
 */
export class ClientConnection implements RoomPeer {
  readonly role: Role
  readonly name?: string
  readonly memberId?: string
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

  constructor(
    private readonly socket: WebSocket,
    readonly claims: TokenClaims,
    wantsAck: boolean,
    identity: PeerIdentity,
    private readonly limits: ServerLimits,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly outbound: OutboundBatch,
    private readonly onClosed: (connection: ClientConnection) => void,
  ) {
    this.role = claims.role
    if (claims.name !== undefined) this.name = claims.name
    if (claims.sub !== undefined) this.memberId = claims.sub
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
      this.metrics.closes.inc({ reason: error.code ?? 'socket error' })
      this.log.debug({ code: error.code }, 'socket error')
    })
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary))
    socket.on('close', () => this.handleClosed())
    metrics.connections.inc()
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
    this.send(message)
  }

  /** May this connection ask for another reply? Not while its reply budget is in debt (SPEC H7). */
  hasReplyBudget(): boolean {
    this.refill()
    return this.replyTokens > 0
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
    this.metrics.closes.inc({ reason: reasonOf(code) })
    this.socket.close(code, reasonOf(code))
    this.handleClosed()
  }

  /** Closes the connection if its token has expired (checked periodically; SPEC A5). */
  closeIfExpired(nowSeconds: number): void {
    if (this.claims.exp <= nowSeconds) this.close(CloseCode.tokenExpired)
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return
    this.metrics.bytesIn.inc(data.byteLength)
    if (!this.takeTokens(data.byteLength)) return this.close(CloseCode.rateLimited)
    if (!isBinary) return this.close(CloseCode.malformedMessage)
    const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
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
    this.queue = []
    this.drainWaiters = []
    this.metrics.connections.dec()
    this.room?.leave(this)
    this.onClosed(this)
  }

  get isClosed(): boolean {
    return this.closed
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

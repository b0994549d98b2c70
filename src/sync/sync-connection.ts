import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { ObservableV2 } from 'lib0/observable'
import { Awareness } from 'y-protocols/awareness'
import { writeSyncStep1 } from 'y-protocols/sync'
import { WebsocketProvider } from 'y-websocket'
import { MessageType, QueryParam, SyncMessageType, encodeAdjustmentRequest, encodeRenewAccess, type AdjustmentRequest } from '../protocol'
import { alwaysOnline, type NetworkState } from './network-state'
import { sendOnlyOwnAwareness } from './own-awareness-sender'
import { SaveTracker, type ServerConfirmed } from './save-tracker'
import { fetchServerProbe, type ServerProbe } from './server-probe'
import {
  deriveSyncStatus,
  interpretCloseCode,
  sameStatus,
  type AuthFailure,
  type SyncFacts,
  type SyncStatus,
} from './sync-status'
import { checkTokenLocally } from './token-check'

export interface SyncConnectionOptions {
  /** `ws://` or `wss://` URL of the sync server; `null` when the space has none (status `offline`). */
  serverUrl: string | null
  /** `<space>/<meetingId>`, or `<space>/index` for the meeting list. */
  room: string
  /** A fixed token (a shared join code's), or a source that renews it (a member's access). */
  token: string | TokenSource
  doc: Y.Doc
  /** Node: `WebSocket` from `ws`. Default: the global `WebSocket`. */
  WebSocketPolyfill?: typeof WebSocket
  /** Do not talk to other pages of this profile over BroadcastChannel. */
  disableBc?: boolean
  /** Default: always online. The panel passes `browserNetworkState(window)`. */
  network?: NetworkState
  /**
   * Tells a refused upgrade from an unreachable server (see `ServerProbe`). Default: a probe on
   * the global `fetch` when there is one; `null` disables probing.
   */
  probe?: ServerProbe | null
  /** Sockets in a row that close before opening, on a reachable server, that mean "refused". Default 3. */
  refusalsBeforeAuthFailure?: number
  /** Own awareness updates (cursor moves) go out at most this often. Default 80 ms. */
  awarenessThrottleMs?: number
  /** Longest wait between reconnect attempts. Default 2,500 ms (the provider's). */
  maxBackoffTime?: number
  /** Milliseconds since the epoch; used to check a token's expiry before connecting. */
  now?: () => number
  /** What an earlier session last knew to be on the server (`confirmed()` of that session). */
  known?: ServerConfirmed
  /**
   * False: announce no presence (a background fetch is no attendee; the server would otherwise
   * name the member in the room's presence, SPEC I7). Default true.
   */
  presence?: boolean
}

export interface SyncConnectionEvents {
  status: (status: SyncStatus) => void
  /** The server confirmed more (an acknowledgement, or content it sent): `confirmed()` moved. */
  confirmed: () => void
  /** The server refused an adjustment request (message 105) with this reason code. */
  adjustmentRefused: (reason: string) => void
}

/**
 * Where a connection gets its access token when it is renewed while connected (a member's
 * short-lived access): `current()` now, and `subscribe` for each renewal. The connection sends
 * a renewal on the open socket (message 106) and uses the newest token for every reconnect.
 */
export interface TokenSource {
  /** The token now; '' while none has been fetched yet (the connection then waits for one). */
  current(): string
  subscribe(listener: (token: string) => void): () => void
  /** Asked when the server says the token expired (a laptop that slept through a renewal). */
  retry?(): void
  /** The server's clock minus this machine's (ms): tokens are checked for expiry on the server's clock. */
  clockOffsetMs?(): number
}


const REFUSED_STATUS = /Unexpected server response: (\d{3})/

/**
 * The panel's connection for one document: `y-websocket`'s `WebsocketProvider` with Minutes'
 * additions around it: durable acknowledgements (`?ack=1`), a status that is always derivable
 * (`status`, event `status`), an end to retrying when the token is refused, and presence that
 * sends only this client's own awareness entry.
 *
 * Auth failures. A refused upgrade reaches a browser as close 1006 with no status, the same as
 * an unreachable server, and the provider retries forever. So: (1) before connecting, a token
 * whose `exp` has passed or whose `room` claim does not grant this room fails at once, without
 * a socket; (2) where the socket library reports the HTTP status (Node's `ws`), 401/403 fail at
 * once; (3) otherwise, after `refusalsBeforeAuthFailure` sockets in a row that never opened,
 * the server's `/healthz` is probed: if the server answers HTTP, the refusal is about the token
 * and retrying stops; if not, the server is down and retrying continues. Close codes 4401/4403
 * after opening fail at once. In every case `provider.shouldConnect` is set to false and the
 * status becomes `auth-failed`; `reconnect(newToken)` starts again.
 */
export class SyncConnection extends ObservableV2<SyncConnectionEvents> {
  readonly doc: Y.Doc
  readonly room: string
  /** This page's presence; destroyed with the connection. */
  readonly awareness: Awareness
  /** `null` when no server is configured. */
  readonly provider: WebsocketProvider | null
  /** Resolves the first time the document is synced with the server. */
  readonly whenSynced: Promise<void>
  status: SyncStatus

  private readonly tracker: SaveTracker
  private readonly network: NetworkState
  private readonly probe: ServerProbe | null
  private readonly refusalsBeforeAuthFailure: number
  private readonly serverUrl: string | null
  private authFailure: AuthFailure | null = null
  private readonly source: TokenSource | null
  /** Now on the server's clock, as far as the token source knows it (SPEC I3). */
  private readonly serverNow: () => number
  /** A member's connection before its first access token: it connects when one arrives. */
  private waitingForToken: boolean
  private lastError: SyncFacts['lastError'] = null
  private openedThisAttempt = false
  private refusedInARow = 0
  private lastRefusedStatus: number | null = null
  private barrierScheduled = false
  private destroyed = false
  private resolveSynced: () => void = () => {}
  private readonly cleanups: Array<() => void> = []

  constructor(options: SyncConnectionOptions) {
    super()
    this.doc = options.doc
    this.room = options.room
    this.serverUrl = options.serverUrl
    this.network = options.network ?? alwaysOnline
    this.probe =
      options.probe !== undefined ? options.probe : typeof fetch === 'function' ? fetchServerProbe(fetch) : null
    this.refusalsBeforeAuthFailure = options.refusalsBeforeAuthFailure ?? 3
    this.tracker = new SaveTracker(this.doc, options.known)
    this.awareness = new Awareness(this.doc)
    if (options.presence === false) this.awareness.setLocalState(null)
    this.whenSynced = new Promise((resolve) => (this.resolveSynced = resolve))

    const source = typeof options.token === 'string' ? null : options.token
    const localNow = options.now ?? Date.now
    this.serverNow = () => localNow() + (source?.clockOffsetMs?.() ?? 0)
    const token = source === null ? (options.token as string) : source.current()
    this.source = source
    this.waitingForToken = source !== null && token === ''
    const problem = this.waitingForToken ? null : checkTokenLocally(token, options.room, Math.floor(this.serverNow() / 1000))
    if (problem !== null) {
      this.authFailure = problem === 'expired' ? 'token-expired' : problem === 'wrong-room' ? 'wrong-room' : 'token-rejected'
    }

    this.provider =
      options.serverUrl === null
        ? null
        : new WebsocketProvider(options.serverUrl, options.room, this.doc, {
            connect: false,
            awareness: this.awareness,
            params: { [QueryParam.token]: token, [QueryParam.ack]: '1' },
            disableBc: options.disableBc ?? false,
            maxBackoffTime: options.maxBackoffTime ?? 2500,
            shouldReconnect: (event) => {
              const meaning = interpretCloseCode(event.code)
              return meaning === null || ('error' in meaning && meaning.retry)
            },
            ...(options.WebSocketPolyfill !== undefined ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
          })

    this.doc.on('afterTransaction', this.onAfterTransaction)
    this.cleanups.push(() => this.doc.off('afterTransaction', this.onAfterTransaction))
    this.cleanups.push(this.network.subscribe(() => this.update()))
    if (this.provider !== null) this.wireProvider(this.provider, options.awarenessThrottleMs ?? 80)
    if (source !== null) this.cleanups.push(source.subscribe((renewed) => this.renew(renewed)))
    this.status = deriveSyncStatus(this.facts())
    if (this.provider !== null && this.authFailure === null && !this.waitingForToken) this.provider.connect()
    if (this.authFailure === 'token-expired') source?.retry?.()
  }

  /** Local changes not yet on the server's disk (see `SaveTracker` for what is counted). */
  get unsavedCount(): number {
    return this.tracker.unsavedCount
  }

  /** Everything known to be on the server's disk, to remember for the next session. */
  confirmed(): ServerConfirmed {
    return this.tracker.confirmed()
  }

  /**
   * Starts again after `auth-failed` or a non-retrying `error`, optionally with a new token
   * (from a new join code).
   */
  reconnect(token?: string): void {
    if (this.destroyed || this.provider === null) return
    if (token !== undefined) {
      this.provider.params = { ...this.provider.params, [QueryParam.token]: token }
      const problem = checkTokenLocally(token, this.room, Math.floor(this.serverNow() / 1000))
      if (problem === 'expired' || problem === 'wrong-room') {
        this.failAuth(problem === 'expired' ? 'token-expired' : 'wrong-room')
        return
      }
    }
    this.authFailure = null
    this.lastError = null
    this.refusedInARow = 0
    this.lastRefusedStatus = null
    this.provider.connect()
    this.update()
  }

  /**
   * Asks the server to reopen this adjusted, locked meeting, with a reason (SPEC L3): the
   * server records who, when and why in the document and unlocks it. False when there is no
   * open connection to send it on.
   */
  reopen(reason: string, name?: string): boolean {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.reopen)
    encoding.writeVarString(encoder, reason)
    if (name !== undefined) encoding.writeVarString(encoder, name)
    return this.sendRaw(encoding.toUint8Array(encoder))
  }

  /**
   * Asks the server to mark the minutes final or draft, or to record this member's approval
   * (SPEC J): the server checks who is asking and writes the record; a refusal comes back as
   * the event `adjustmentRefused`. False when there is no open connection to send it on.
   */
  requestAdjustment(request: AdjustmentRequest): boolean {
    return this.sendRaw(encodeAdjustmentRequest(request))
  }

  /** Is there an open connection to the server right now? */
  get connected(): boolean {
    const ws = this.provider?.ws
    return !this.destroyed && this.provider?.wsconnected === true && ws != null && ws.readyState === ws.OPEN
  }

  private sendRaw(message: Uint8Array): boolean {
    if (!this.connected) return false
    this.provider!.ws!.send(message)
    return true
  }

  /**
   * A renewed access token: every later reconnect uses it, an open connection carries on under
   * it (message 106), and a connection that stopped because the old one expired starts again.
   */
  private renew(token: string): void {
    if (this.destroyed || this.provider === null) return
    this.provider.params = { ...this.provider.params, [QueryParam.token]: token }
    if (this.waitingForToken || this.authFailure === 'token-expired') {
      this.waitingForToken = false
      return this.reconnect(token)
    }
    this.sendRaw(encodeRenewAccess(token))
  }

  /** Closes the socket, stops every timer and listener, and destroys the awareness. */
  override destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    // The provider's disconnect tells the room this client left, then its listeners go.
    this.provider?.destroy()
    this.awareness.destroy()
    super.destroy()
  }

  private wireProvider(provider: WebsocketProvider, throttleMs: number): void {
    this.cleanups.push(sendOnlyOwnAwareness(provider, { throttleMs }))

    provider.messageHandlers[MessageType.durableAck] = (_encoder, decoder, _provider, fromServer) => {
      if (!fromServer) return
      try {
        this.tracker.ack(Y.decodeStateVector(decoding.readVarUint8Array(decoder)))
        this.emit('confirmed', [])
      } catch {
        // A malformed acknowledgement proves nothing; the status stays where it was.
      }
      this.update()
    }

    provider.messageHandlers[MessageType.adjustmentRefused] = (_encoder, decoder, _provider, fromServer) => {
      if (!fromServer) return
      try {
        this.emit('adjustmentRefused', [decoding.readVarString(decoder)])
      } catch {
        this.emit('adjustmentRefused', [''])
      }
    }

    const handleSync = provider.messageHandlers[MessageType.sync]
    if (handleSync === undefined) throw new Error('y-websocket has no sync message handler')
    provider.messageHandlers[MessageType.sync] = (encoder, decoder, p, fromServer, type) => {
      const subType = decoding.peekVarUint(decoder)
      const carried = subType === SyncMessageType.step1 ? null : peekUpdateEnd(decoder)
      handleSync(encoder, decoder, p, fromServer, type)
      // Messages relayed over BroadcastChannel (fromServer false) say nothing about the server.
      if (!fromServer) return
      if (carried !== null) {
        this.tracker.receivedFromServer(carried)
        this.emit('confirmed', [])
      }
      if (subType === SyncMessageType.step2) {
        this.tracker.step2Received()
        if (this.tracker.needsBarrier()) this.scheduleBarrier()
      }
      // The provider answers the server's step 1 with our step 2 (which carries deletions the
      // server may lack); a barrier after it confirms them.
      if (subType === SyncMessageType.step1 && this.tracker.needsBarrier()) this.scheduleBarrier()
      this.update()
    }

    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
      if (status === 'connecting') this.openedThisAttempt = false
      if (status === 'connected') {
        this.openedThisAttempt = true
        this.refusedInARow = 0
        // The provider sends its sync step 1 right after announcing 'connected'.
        this.tracker.step1Sent()
      }
      this.update()
    }
    const onSync = (synced: boolean): void => {
      if (synced) {
        this.lastError = null
        this.resolveSynced()
      }
      this.update()
    }
    const onConnectionError = (event: Event): void => {
      const match = REFUSED_STATUS.exec(String((event as { message?: unknown }).message ?? ''))
      if (match !== null) this.lastRefusedStatus = Number(match[1])
    }
    const onConnectionClose = (event: CloseEvent | null): void => {
      this.tracker.connectionLost()
      if (event !== null) this.onServerClose(provider, event)
      this.update()
    }
    provider.on('status', onStatus)
    provider.on('sync', onSync)
    provider.on('connection-error', onConnectionError)
    provider.on('connection-close', onConnectionClose)
    this.cleanups.push(() => {
      provider.off('status', onStatus)
      provider.off('sync', onSync)
      provider.off('connection-error', onConnectionError)
      provider.off('connection-close', onConnectionClose)
    })
  }

  private onServerClose(provider: WebsocketProvider, event: CloseEvent): void {
    const meaning = interpretCloseCode(event.code)
    if (meaning !== null && 'auth' in meaning) return this.failAuth(meaning.auth)
    if (meaning !== null) {
      this.lastError = { reason: meaning.error, code: event.code, retrying: meaning.retry }
      return
    }
    if (this.openedThisAttempt) return
    // Closed before it ever opened: refused, or nobody there.
    this.refusedInARow++
    const status = this.lastRefusedStatus
    this.lastRefusedStatus = null
    if (status === 401 || status === 403) return this.failAuth('token-rejected')
    if (status !== null || this.refusedInARow < this.refusalsBeforeAuthFailure || this.probe === null) return
    const refusals = this.refusedInARow
    void this.probe(provider.serverUrl).then((reachable) => {
      // Only if nothing opened meanwhile: a server that came back is not an auth failure.
      if (reachable && !this.destroyed && this.refusedInARow >= refusals && !provider.wsconnected) {
        this.failAuth('token-rejected')
      }
    })
  }

  private failAuth(reason: AuthFailure): void {
    this.authFailure = reason
    // A member's access says why: renewed (expired), or refused for good (revoked).
    if (reason === 'token-expired' || reason === 'revoked') this.source?.retry?.()
    // Stop the provider's retry loop. Not `disconnect()`: this may run inside the provider's
    // own close handling; with `shouldConnect` false its scheduled reconnect does nothing.
    if (this.provider !== null) this.provider.shouldConnect = false
    this.update()
  }

  private readonly onAfterTransaction = (tr: Y.Transaction): void => {
    if (this.provider !== null && tr.origin === this.provider) return
    const deletedOnly = tr.deleteSet.clients.size > 0 && sameClocks(tr.beforeState, tr.afterState)
    if (deletedOnly) {
      this.tracker.deletionOnly()
      this.scheduleBarrier()
    }
    this.update()
  }

  /** Sends a sync step 1 after what is already on the wire; its answer confirms earlier deletions. */
  private scheduleBarrier(): void {
    if (this.barrierScheduled) return
    this.barrierScheduled = true
    queueMicrotask(() => {
      this.barrierScheduled = false
      const ws = this.provider?.ws
      if (this.destroyed || !this.provider?.wsconnected || ws == null || ws.readyState !== ws.OPEN) return
      if (!this.tracker.needsBarrier() || this.tracker.step1Pending) return
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.sync)
      writeSyncStep1(encoder, this.doc)
      ws.send(encoding.toUint8Array(encoder))
      this.tracker.step1Sent()
    })
  }

  private facts(): SyncFacts {
    const provider = this.provider
    return {
      serverConfigured: this.serverUrl !== null,
      online: this.network.online,
      authFailure: this.authFailure,
      lastError: this.lastError,
      connected: provider?.wsconnected ?? false,
      synced: provider?.synced ?? false,
      ackedThisConnection: this.tracker.ackedThisConnection,
      unsaved: this.tracker.unsavedCount,
      attempt: provider?.wsUnsuccessfulReconnects ?? 0,
    }
  }

  private update(): void {
    if (this.destroyed) return
    const next = deriveSyncStatus(this.facts())
    if (sameStatus(next, this.status)) return
    this.status = next
    this.emit('status', [next])
  }
}

const sameClocks = (a: Map<number, number>, b: Map<number, number>): boolean => {
  if (a.size !== b.size) return false
  for (const [client, clock] of a) if (b.get(client) !== clock) return false
  return true
}

/** The end clocks of the update in a sync step 2 / update message, read without consuming it. */
const peekUpdateEnd = (decoder: decoding.Decoder): Map<number, number> | null => {
  try {
    const peek = decoding.clone(decoder)
    decoding.readVarUint(peek)
    return Y.parseUpdateMeta(decoding.readVarUint8Array(peek)).to
  } catch {
    return null
  }
}

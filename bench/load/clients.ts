import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { WebSocket } from 'ws'
import * as decoding from 'lib0/decoding'
import { WebsocketProvider } from 'y-websocket'
import { MessageType } from '../../src/protocol'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'

/** WebSocket messages seen by the clients of one load process: the server's in and out. */
export interface MessageCounters {
  sent: number
  received: number
}

export const newCounters = (): MessageCounters => ({ sent: 0, received: 0 })

/**
 * A `ws` WebSocket that counts the frames its client sends and receives. Both client
 * libraries accept a WebSocket class (`WebSocketPolyfill`), so presence traffic is counted
 * the same way for every server.
 */
const countingWebSocket = (counters: MessageCounters) =>
  class CountingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols)
      this.on('message', () => {
        counters.received++
      })
      const send = this.send.bind(this)
      this.send = ((...args: Parameters<typeof send>) => {
        counters.sent++
        return send(...args)
      }) as typeof this.send
    }
  }

export type ClientKind = 'y-websocket' | 'hocuspocus'

/** One attendee: a document, its presence, its connection. */
export interface BenchClient {
  doc: Y.Doc
  awareness: Awareness
  readonly synced: boolean
  whenSynced(timeoutMs: number): Promise<void>
  destroy(): void
}

export interface ConnectOptions {
  kind: ClientKind
  url: string
  room: string
  /** Our server's token (ignored by the peers). */
  token: string
  counters: MessageCounters
  doc?: Y.Doc
  /** y-websocket only: connect with `?ack=1` and receive each durable acknowledgement's state vector (SPEC P5). */
  onAck?: (stateVector: Map<number, number>) => void
  /** y-websocket only: the close code of every connection the client loses (it reconnects on its own). */
  onClose?: (code: number) => void
}

const waitFor = (ready: () => boolean, subscribe: (done: () => void) => () => void, timeoutMs: number, what: string): Promise<void> =>
  ready()
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          unsubscribe()
          reject(new Error(`${what} not synced within ${timeoutMs} ms`))
        }, timeoutMs)
        const unsubscribe = subscribe(() => {
          if (!ready()) return
          clearTimeout(timer)
          unsubscribe()
          resolve()
        })
      })

export const connectClient = (options: ConnectOptions): BenchClient => {
  const doc = options.doc ?? new Y.Doc()
  const WebSocketPolyfill = countingWebSocket(options.counters)
  if (options.kind === 'y-websocket') {
    // The stock client, as the panel and any y-websocket app would use it.
    const provider = new WebsocketProvider(options.url, options.room, doc, {
      WebSocketPolyfill: WebSocketPolyfill as unknown as typeof globalThis.WebSocket,
      params: options.onAck === undefined ? { token: options.token } : { token: options.token, ack: '1' },
      disableBc: true,
    })
    const { onAck, onClose } = options
    if (onAck !== undefined) {
      provider.messageHandlers[MessageType.durableAck] = (_encoder, decoder) => onAck(Y.decodeStateVector(decoding.readVarUint8Array(decoder)))
    }
    if (onClose !== undefined) provider.on('connection-close', (event) => onClose(event?.code ?? 1006))
    return {
      doc,
      awareness: provider.awareness,
      get synced() {
        return provider.synced
      },
      whenSynced: (timeoutMs) =>
        waitFor(
          () => provider.synced,
          (done) => {
            provider.on('sync', done)
            return () => provider.off('sync', done)
          },
          timeoutMs,
          options.room,
        ),
      destroy: () => provider.destroy(),
    }
  }
  // Hocuspocus' own client, one socket an attendee.
  const socket = new HocuspocusProviderWebsocket({ url: options.url, WebSocketPolyfill })
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: options.room, document: doc })
  provider.attach()
  return {
    doc,
    awareness: provider.awareness!,
    get synced() {
      return provider.isSynced
    },
    whenSynced: (timeoutMs) =>
      waitFor(
        () => provider.isSynced,
        (done) => {
          provider.on('synced', done)
          return () => provider.off('synced', done)
        },
        timeoutMs,
        options.room,
      ),
    destroy: () => {
      provider.destroy()
      socket.destroy()
    },
  }
}

/** Connects clients `batch` at a time, each batch synced before the next starts. */
export const connectAll = async (make: Array<() => BenchClient>, batch: number, timeoutMs: number): Promise<BenchClient[]> => {
  const clients: BenchClient[] = []
  for (let i = 0; i < make.length; i += batch) {
    const group = make.slice(i, i + batch).map((f) => f())
    clients.push(...group)
    await Promise.all(group.map((client) => client.whenSynced(timeoutMs)))
  }
  return clients
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

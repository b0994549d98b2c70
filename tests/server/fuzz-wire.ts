import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import * as encoding from 'lib0/encoding'
import { onTestFinished } from 'vitest'
import { WebSocket } from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import { MessageType, SyncMessageType } from '../../src/protocol'
import { connectClient, whenDoc, whenSynced } from '../helpers/server'
import { createRandom, type Random } from '../helpers/random'

export { createRandom, type Random }

// Byte-exact tools for the hardening and fuzz tests: messages built with lib0's encoders,
// WebSocket frames built by hand, and a raw TCP client that speaks just enough of RFC 6455 to
// send frames the `ws` client would refuse to produce.


export const seedFromEnv = (): number => {
  const fromEnv = process.env.FUZZ_SEED
  return fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 2 ** 32)
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'))

/** `encoder => void` into bytes. */
export const encode = (write: (encoder: encoding.Encoder) => void): Uint8Array => {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export const syncMessage = (subType: number, payload: Uint8Array): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MessageType.sync)
    encoding.writeVarUint(e, subType)
    encoding.writeVarUint8Array(e, payload)
  })

export const updateMessage = (update: Uint8Array): Uint8Array => syncMessage(SyncMessageType.update, update)

/** A y-protocols awareness message with the given entries (state is JSON text, or anything for malformed tests). */
export const awarenessMessage = (entries: ReadonlyArray<{ clientId: number; clock: number; state: string }>): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MessageType.awareness)
    encoding.writeVarUint8Array(
      e,
      encode((inner) => {
        encoding.writeVarUint(inner, entries.length)
        for (const { clientId, clock, state } of entries) {
          encoding.writeVarUint(inner, clientId)
          encoding.writeVarUint(inner, clock)
          encoding.writeVarString(inner, state)
        }
      }),
    )
  })

export const queryAwarenessMessage = (): Uint8Array => Uint8Array.of(MessageType.queryAwareness)

/**
 * A client-to-server WebSocket frame, masked (a server must refuse unmasked client frames).
 * `first` is the whole first byte (FIN, RSV1-3, opcode); `claimedLength` lets a header lie.
 */
export const clientFrame = (first: number, payload: Uint8Array, claimedLength = payload.byteLength, mask = Uint8Array.of(0, 0, 0, 0)): Buffer => {
  let header: Buffer
  if (claimedLength < 126) {
    header = Buffer.from([first, 0x80 | claimedLength])
  } else if (claimedLength < 0x10000) {
    header = Buffer.alloc(4)
    header[0] = first
    header[1] = 0x80 | 126
    header.writeUInt16BE(claimedLength, 2)
  } else {
    header = Buffer.alloc(10)
    header[0] = first
    header[1] = 0x80 | 127
    header.writeBigUInt64BE(BigInt(claimedLength), 2)
  }
  const masked = Buffer.from(payload)
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i % 4]!
  return Buffer.concat([header, Buffer.from(mask), masked])
}

export const Opcode = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const
export const FIN = 0x80
export const RSV1 = 0x40
export const RSV2 = 0x20
export const RSV3 = 0x10

/** A frame the server sent (servers do not mask). */
export interface ServerFrame {
  opcode: number
  payload: Buffer
}

/** Splits `buffer` into whole server frames; returns them and the unconsumed rest. */
export const parseServerFrames = (buffer: Buffer): { frames: ServerFrame[]; rest: Buffer } => {
  const frames: ServerFrame[] = []
  let offset = 0
  for (;;) {
    if (buffer.length - offset < 2) break
    const opcode = buffer[offset]! & 0x0f
    let length = buffer[offset + 1]! & 0x7f
    let headerLength = 2
    if (length === 126) {
      if (buffer.length - offset < 4) break
      length = buffer.readUInt16BE(offset + 2)
      headerLength = 4
    } else if (length === 127) {
      if (buffer.length - offset < 10) break
      length = Number(buffer.readBigUInt64BE(offset + 2))
      headerLength = 10
    }
    if (buffer.length - offset < headerLength + length) break
    frames.push({ opcode, payload: buffer.subarray(offset + headerLength, offset + headerLength + length) })
    offset += headerLength + length
  }
  return { frames, rest: buffer.subarray(offset) }
}

/** The close code of a close frame's payload (1005 when it carries none). */
export const closeCodeOf = (frame: ServerFrame): number => (frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005)

/**
 * A raw TCP connection that did the WebSocket upgrade by hand. Resolves once the server
 * answered 101; `rest` holds any frame bytes that arrived with the response.
 */
export const rawUpgrade = (port: number, path: string): Promise<{ socket: Socket; rest: Buffer }> =>
  new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const end = received.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.off('data', onData)
      socket.off('error', reject)
      const head = received.subarray(0, end).toString('latin1')
      if (!head.startsWith('HTTP/1.1 101')) {
        socket.destroy()
        reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`))
        return
      }
      resolve({ socket, rest: received.subarray(end + 4) })
    }
    socket.on('data', onData)
    socket.once('error', reject)
    socket.once('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      )
    })
  })

/**
 * What happens to a raw socket after it sent something bad: the close frame's code (if the
 * server sent one) once the server has ended the TCP connection.
 */
export const whenRawClosed = (socket: Socket, already: Buffer = Buffer.alloc(0)): Promise<{ closeCode: number | null }> =>
  new Promise((resolve) => {
    let buffer = already
    let closeCode: number | null = null
    const scan = () => {
      const { frames, rest } = parseServerFrames(buffer)
      buffer = rest
      for (const frame of frames) if (frame.opcode === Opcode.close && closeCode === null) closeCode = closeCodeOf(frame)
    }
    scan()
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      scan()
    })
    socket.on('error', () => {})
    socket.once('close', () => resolve({ closeCode }))
    // The server ended its side (after its close frame, if any): end ours.
    socket.once('end', () => socket.end())
  })

const closes = new WeakMap<WebSocket, Promise<{ code: number; reason: string }>>()
const inboxes = new WeakMap<WebSocket, { messages: Uint8Array[]; waiters: Array<() => void> }>()

/**
 * A `ws` client that sends exactly the bytes it is given. Resolves when open. What the server
 * sends and how it closes are recorded from the first moment (a close frame can arrive in the
 * same packet as the 101 response), for `whenClosed` and `whenMessage`.
 */
export const openRawClient = (url: string, room: string, token: string, options: { ack?: boolean } = {}): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/${room}?token=${encodeURIComponent(token)}${options.ack === true ? '&ack=1' : ''}`)
    ws.on('error', () => {}) // an abrupt end shows as the close event
    const inbox = { messages: [] as Uint8Array[], waiters: [] as Array<() => void> }
    inboxes.set(ws, inbox)
    ws.on('message', (data: Buffer) => {
      inbox.messages.push(new Uint8Array(data))
      for (const wake of inbox.waiters.splice(0)) wake()
    })
    closes.set(ws, new Promise((done) => ws.once('close', (code: number, reason: Buffer) => done({ code, reason: reason.toString() }))))
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)))
  })

const withTimeout = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs)
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })

/** How the server closed a client opened with `openRawClient`. */
export const whenClosed = (ws: WebSocket, timeoutMs = 10_000, label = ''): Promise<{ code: number; reason: string }> =>
  withTimeout(closes.get(ws)!, timeoutMs, `the server did not close the connection${label === '' ? '' : ` (${label})`}`)

/** Resolves with the `nth` message (received so far or later) that `matches`. */
export const whenMessage = (ws: WebSocket, matches: (message: Uint8Array) => boolean = () => true, timeoutMs = 10_000, nth = 1): Promise<Uint8Array> => {
  const inbox = inboxes.get(ws)!
  return withTimeout(
    new Promise((resolve) => {
      const check = () => {
        const found = inbox.messages.filter(matches)[nth - 1]
        if (found !== undefined) resolve(found)
        else inbox.waiters.push(check)
      }
      check()
    }),
    timeoutMs,
    'no matching message',
  )
}

/**
 * Two stock clients in one room, synced. `roundTrip` makes an edit on one and resolves when
 * the other has it: the proof that the room (and the server) still serve.
 */
export const startPair = async (url: string, room: string, token: string) => {
  const a = connectClient(url, room, token)
  const b = connectClient(url, room, token)
  onTestFinished(() => {
    a.destroy()
    b.destroy()
  })
  await Promise.all([whenSynced(a), whenSynced(b)])
  let trips = 0
  const text = (p: WebsocketProvider) => p.doc.getText('t')
  const roundTrip = async (label = ''): Promise<void> => {
    trips++
    const [from, to] = trips % 2 === 1 ? [a, b] : [b, a]
    const marker = `<${trips}${label === '' ? '' : ` ${label}`}>`
    text(from).insert(text(from).length, marker)
    await whenDoc(to.doc, () => text(to).toString().includes(marker))
  }
  return {
    a,
    b,
    roundTrip,
    get trips() {
      return trips
    },
    text: () => text(a).toString(),
    converged: () => text(a).toString() === text(b).toString(),
  }
}

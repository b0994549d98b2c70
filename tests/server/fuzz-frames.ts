import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { MessageType, SyncMessageType } from '../../src/protocol'
import { FIN, Opcode, RSV1, RSV2, RSV3, awarenessMessage, clientFrame, encode, queryAwarenessMessage, syncMessage, updateMessage, type Random } from './fuzz-wire'

// What the fuzz test (SPEC H4) sends: real y-websocket traffic built with Yjs and lib0, and
// seeded mutations of it.

/** Real traffic of three editing clients: updates, sync steps 1 and 2, awareness, query-awareness. */
export const buildRealTraffic = (random: Random): Uint8Array[] => {
  const messages: Uint8Array[] = []
  const words = ['Agenda', ' budget', ' Åsa', ' 2025-03-01', ' decided:', ' 🎉', ' action for Ola', '\n', ' ok']
  const docs = [0, 1, 2].map(() => {
    const doc = new Y.Doc()
    doc.clientID = random.int(1, 2 ** 31)
    doc.on('update', (update: Uint8Array) => messages.push(updateMessage(update)))
    return doc
  })
  for (let i = 0; i < 150; i++) {
    const doc = random.pick(docs)
    const text = doc.getText('minutes')
    switch (random.int(0, 6)) {
      case 0:
      case 1:
        text.insert(random.int(0, text.length), random.pick(words))
        break
      case 2:
        if (text.length > 0) {
          const at = random.int(0, text.length - 1)
          text.delete(at, Math.min(random.int(1, 6), text.length - at))
        }
        break
      case 3:
        doc.getMap('header').set(random.pick(['title', 'date', 'place']), random.pick(['Board', 42, null, { nested: [1, 'two'] }]))
        break
      case 4:
        doc.getArray('actions').push([{ done: random.bool(), text: random.pick(words) }])
        break
      case 5:
        if (text.length > 2) text.format(0, 2, { bold: true })
        break
      case 6: {
        const other = random.pick(docs)
        if (other !== doc) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)))
        break
      }
    }
  }
  for (const doc of docs) {
    messages.push(syncMessage(SyncMessageType.step1, Y.encodeStateVector(doc)))
    messages.push(syncMessage(SyncMessageType.step2, Y.encodeStateAsUpdate(doc)))
    messages.push(syncMessage(SyncMessageType.step2, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(random.pick(docs)))))
    const deleteSet = new Y.Doc()
    messages.push(syncMessage(SyncMessageType.step1, Y.encodeStateVector(deleteSet)))
    doc.destroy()
  }
  for (let i = 0; i < 60; i++) {
    const clientId = random.int(1, 2 ** 31)
    const entries = Array.from({ length: random.int(1, 3) }, (_, k) => ({
      clientId: clientId + k,
      clock: random.int(0, 50),
      state: random.bool(0.1)
        ? 'null'
        : JSON.stringify({
            user: { name: random.pick(['Ada', 'Bo', 'Çelik', '李']), color: `#${random.int(0, 0xffffff).toString(16).padStart(6, '0')}` },
            cursor: random.bool() ? { anchor: { type: 'minutes', index: random.int(0, 99) }, head: { index: random.int(0, 99) } } : null,
          }),
    }))
    messages.push(awarenessMessage(entries))
  }
  messages.push(queryAwarenessMessage())
  return messages
}

export type Category =
  | 'bit-flip'
  | 'byte-set'
  | 'truncated'
  | 'spliced'
  | 'random-bytes'
  | 'truncated-varint'
  | 'huge-length'
  | 'garbage-body'
  | 'bad-ws-frame'
  | 'valid'
  | 'step1-flood'
  | 'presence-flood'
  | 'pending-struct'

export interface FuzzFrame {
  category: Category
  /** The message (for the op log). */
  payload: Uint8Array
  /** What goes on the wire: the WebSocket frame, usually a well-formed masked binary frame. */
  wire: Buffer
}

const writeHugeVarUint = (encoder: encoding.Encoder, random: Random): void => {
  // 2^31 .. 2^53: lengths and counts that claim gigabytes or more.
  encoding.writeVarUint(encoder, Math.floor(2 ** random.int(31, 52) * (1 + random.next())))
}

const mutators: Array<[weight: number, category: Category, make: (random: Random, real: readonly Uint8Array[]) => Uint8Array]> = [
  [
    60,
    'bit-flip',
    (random, real) => {
      const out = Uint8Array.from(random.pick(real))
      for (let i = random.int(1, 3); i > 0; i--) {
        // Mostly in the body, where a flip keeps the framing and reaches the Yjs and JSON decoders.
        const at = random.bool(0.8) && out.length > 4 ? random.int(3, out.length - 1) : random.int(0, out.length - 1)
        out[at]! ^= 1 << random.int(0, 7)
      }
      return out
    },
  ],
  [
    10,
    'byte-set',
    (random, real) => {
      const out = Uint8Array.from(random.pick(real))
      out[random.int(0, out.length - 1)] = random.pick([0x00, 0x01, 0x7f, 0x80, 0xff, random.int(0, 255)])
      return out
    },
  ],
  [5, 'truncated', (random, real) => {
    const message = random.pick(real)
    return message.subarray(0, random.int(0, message.length - 1))
  }],
  [
    4,
    'spliced',
    (random, real) => {
      const a = random.pick(real)
      const b = random.pick(real)
      return Uint8Array.from([...a.subarray(0, random.int(1, a.length)), ...b.subarray(random.int(0, b.length - 1))])
    },
  ],
  [5, 'random-bytes', (random) => random.bytes(random.bool(0.9) ? random.int(1, 64) : random.int(65, 4096))],
  [
    4,
    'truncated-varint',
    (random, real) => {
      const prefix = random.pick([[], [MessageType.sync], [MessageType.sync, random.int(0, 2)], [MessageType.awareness], [...random.pick(real).subarray(0, 3)]])
      const continuation = Array.from({ length: random.int(1, 10) }, () => 0x80 | random.int(0, 127))
      return Uint8Array.from([...prefix, ...continuation])
    },
  ],
  [
    5,
    'huge-length',
    (random) =>
      encode((e) => {
        switch (random.int(0, 4)) {
          case 0: // a sync message whose payload claims gigabytes
            encoding.writeVarUint(e, MessageType.sync)
            encoding.writeVarUint(e, random.int(0, 2))
            writeHugeVarUint(e, random)
            break
          case 1: // an awareness message whose payload claims gigabytes
            encoding.writeVarUint(e, MessageType.awareness)
            writeHugeVarUint(e, random)
            break
          case 2: // an update claiming a huge number of clients or structs
            encoding.writeVarUint(e, MessageType.sync)
            encoding.writeVarUint(e, SyncMessageType.update)
            encoding.writeVarUint8Array(
              e,
              encode((u) => {
                if (random.bool()) encoding.writeVarUint(u, 1)
                writeHugeVarUint(u, random)
                encoding.writeVarUint(u, random.int(0, 1000))
                encoding.writeVarUint(u, 0)
              }),
            )
            break
          case 3: // an awareness entry whose state string claims gigabytes
            encoding.writeVarUint(e, MessageType.awareness)
            encoding.writeVarUint8Array(
              e,
              encode((a) => {
                encoding.writeVarUint(a, 1)
                encoding.writeVarUint(a, random.int(1, 1000))
                encoding.writeVarUint(a, 1)
                writeHugeVarUint(a, random)
              }),
            )
            break
          case 4: // a state vector claiming a huge number of clients
            encoding.writeVarUint(e, MessageType.sync)
            encoding.writeVarUint(e, SyncMessageType.step1)
            encoding.writeVarUint8Array(e, encode((s) => writeHugeVarUint(s, random)))
            break
        }
        encoding.writeUint8Array(e, random.bytes(random.int(0, 8)))
      }),
  ],
  [
    6,
    'garbage-body',
    (random) =>
      encode((e) => {
        const type = random.pick([MessageType.sync, MessageType.sync, MessageType.awareness, MessageType.queryAwareness, MessageType.auth, random.int(0, 255)])
        encoding.writeVarUint(e, type)
        if (type === MessageType.sync) encoding.writeVarUint(e, random.int(0, 3))
        encoding.writeVarUint8Array(e, random.bytes(random.int(0, 200)))
      }),
  ],
  [6, 'valid', (random, real) => random.pick(real)],
  [
    1,
    'presence-flood',
    (random) => {
      // SPEC H8, H3: more ids than a connection may introduce, ids with huge clocks, a state
      // near or past the message bound.
      const base = random.int(1, 2 ** 31)
      const ids = random.pick([random.int(5, 40), random.int(200, 300), 1])
      const clock = random.bool(0.3) ? 2 ** random.int(32, 52) : random.int(0, 5)
      const state = random.bool(0.05) ? JSON.stringify({ user: { name: 'x'.repeat(random.int(30, 70) * 1024) } }) : JSON.stringify({ user: { name: 'flood' } })
      return awarenessMessage(Array.from({ length: ids }, (_, k) => ({ clientId: base + k, clock: clock + k, state })))
    },
  ],
  [1, 'pending-struct', (random) => pendingStruct(random)],
]
const totalWeight = mutators.reduce((sum, [w]) => sum + w, 0)

/**
 * An update whose dependency the room never received (SPEC H6): a struct whose left neighbour
 * is missing, or a deletion of content that never arrived. The room keeps it pending.
 */
const pendingStruct = (random: Random): Uint8Array => {
  const doc = new Y.Doc()
  doc.clientID = random.int(1, 2 ** 31)
  const text = doc.getText(random.pick(['minutes', 't']))
  const ahead = random.int(1, 100)
  text.insert(0, 'p'.repeat(ahead))
  const before = Y.encodeStateVector(doc)
  if (random.bool(0.7)) text.insert(random.int(0, ahead), random.pick(['Z', ' planted', '🎉']))
  else text.delete(random.int(0, ahead - 1), 1) // a deletion of what the room does not have
  const update = Y.encodeStateAsUpdate(doc, before)
  doc.destroy()
  return updateMessage(update)
}

/** A frame that breaks the WebSocket layer itself: reserved bits, reserved opcodes, text, no mask, lying lengths. */
const badWsFrame = (random: Random, payload: Uint8Array): Buffer => {
  switch (random.int(0, 6)) {
    case 0:
      return clientFrame(FIN | random.pick([RSV1, RSV2, RSV3, RSV2 | RSV3]) | Opcode.binary, payload)
    case 1:
      return clientFrame(FIN | random.pick([0x3, 0x4, 0x5, 0x6, 0x7, 0xb, 0xc, 0xd, 0xe, 0xf]), payload)
    case 2:
      return clientFrame(FIN | Opcode.text, payload) // invalid UTF-8 → 1007, valid text → 4400
    case 3:
      return Buffer.from([FIN | Opcode.binary, Math.min(payload.length, 125), ...payload.subarray(0, 125)]) // unmasked
    case 4:
      return clientFrame(FIN | Opcode.binary, payload, 2 ** random.int(24, 62)).subarray(0, 10) // length over the limit
    case 5:
      return clientFrame(Opcode.ping, payload.subarray(0, 125)) // fragmented control frame
    default:
      return clientFrame(FIN | Opcode.continuation, payload) // continuation without a start
  }
}

/** A sync step 1 that asks for everything, or for what one real client lacks. */
const step1 = (random: Random, real: readonly Uint8Array[]): Uint8Array => {
  const realStep1s = real.filter((m) => m[0] === MessageType.sync && m[1] === SyncMessageType.step1)
  return random.bool(0.5) || realStep1s.length === 0 ? syncMessage(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc())) : random.pick(realStep1s)
}

/** The next fuzz frame. */
export const nextFuzzFrame = (random: Random, real: readonly Uint8Array[]): FuzzFrame => {
  if (random.bool(0.01)) {
    const payload = random.pick(real)
    return { category: 'bad-ws-frame', payload, wire: badWsFrame(random, payload) }
  }
  if (random.bool(0.004)) {
    // SPEC H7: many step 1s in one write; at most one reply may be outstanding.
    const payload = step1(random, real)
    const frame = clientFrame(FIN | Opcode.binary, payload)
    return { category: 'step1-flood', payload, wire: Buffer.concat(Array.from({ length: random.int(10, 100) }, () => frame)) }
  }
  let roll = random.next() * totalWeight
  for (const [weight, category, make] of mutators) {
    roll -= weight
    if (roll >= 0) continue
    const payload = make(random, real)
    return { category, payload, wire: clientFrame(FIN | Opcode.binary, payload) }
  }
  throw new Error('unreachable')
}

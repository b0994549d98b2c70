import type { Socket } from 'node:net'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { CloseCode, MessageType, SyncMessageType } from '../../src/protocol'
import type { Random } from '../../tests/helpers/random'
import { sleep } from './clients'

/**
 * What a member holding a valid token can throw at the server (SPEC H6–H9, H1–H3), one
 * connection (or, to fill a room, one token's many) an episode. Each attack names the close
 * codes the server is meant to answer with; anything else is reported as unexpected.
 */
export const ATTACKS = ['non-reader', 'presence-flood', 'token-filler', 'bad-frames', 'pending-struct'] as const
export type AttackKind = (typeof ATTACKS)[number]

/** How one hostile connection ended: the server's close code, `kept open` (the attacker closed it), or `refused <status>` at the upgrade. */
export type Outcome = number | 'kept open' | `refused ${number}`

/**
 * The outcomes each attack may have. A non-reader passes its unsent-output bound (4504) or,
 * asking again while its last reply put it in debt, its reply budget (4429); when all its step
 * 1s arrived before that reply left, it is merely held with one reply outstanding (H7b); a
 * presence flood passes the per-connection or per-message presence bound (4413; a squatted id
 * is dropped, not closed); a token's connections past its share of a room close with 4505
 * (4503 when several fillers together reach the viewers' share), those within it are let in;
 * bad frames close with 1009, 1002 or 4400; a pending struct under `--max-pending-bytes` is
 * accepted like any update (H6).
 */
export const EXPECTED: Record<AttackKind, readonly Outcome[]> = {
  // 4503: the room is already full (of the fillers below) when it connects.
  'non-reader': [CloseCode.backlogged, CloseCode.rateLimited, CloseCode.roomFull, 'kept open'],
  'presence-flood': [CloseCode.awarenessTooLarge],
  // 4429: the token's reply budget, shared by its connections, is spent (SPEC H10).
  'token-filler': [CloseCode.tokenConnectionsFull, CloseCode.roomFull, CloseCode.rateLimited, 'kept open'],
  'bad-frames': [CloseCode.messageTooBig, 1002, CloseCode.malformedMessage],
  'pending-struct': ['kept open'],
}

export interface AttackTarget {
  url: string
  rooms: readonly string[]
  /** The room whose document is large: what a non-reader asks for. */
  bigRoom: string
  /** This attacker's own tokens (its own identity: SPEC H8, H9). */
  editorToken: string
  viewerToken: string
  /** The server's limits the attacks aim just past. */
  maxMessageBytes: number
  tokenMaxConnections: number
  /** How long an attack holds what it took before it lets go. */
  holdMs: number
  /** The honest attendees of a room (squatting targets): document client id and its clock, presence id. */
  honest(room: string): Array<{ clientId: number; clock: number; presenceId: number }>
}

export interface Episode {
  attack: AttackKind
  variant: string
  outcomes: Outcome[]
  /** Ids a squatting pending struct was planted at: (honest client id, clock). */
  planted?: [clientId: number, clock: number]
}

const encode = (write: (encoder: encoding.Encoder) => void): Uint8Array => {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

const syncMessage = (subType: number, payload: Uint8Array): Uint8Array =>
  encode((e) => {
    encoding.writeVarUint(e, MessageType.sync)
    encoding.writeVarUint(e, subType)
    encoding.writeVarUint8Array(e, payload)
  })

const awarenessMessage = (entries: ReadonlyArray<{ clientId: number; clock: number; state: string }>): Uint8Array =>
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

/** A sync step 1 with an empty state vector: four bytes that ask for the whole document. */
const STEP1_ALL = syncMessage(SyncMessageType.step1, Y.encodeStateVector(new Y.Doc()))

/** A masked client frame header (RFC 6455), with a payload length that may lie. */
const frameHeader = (first: number, length: number): Buffer => {
  const header = Buffer.alloc(14)
  header[0] = first
  header[1] = 0x80 | 127
  header.writeBigUInt64BE(BigInt(length), 2)
  return header // the mask (4 zero bytes) follows the length
}

const socketOf = (ws: WebSocket): Socket => (ws as unknown as { _socket: Socket })._socket

interface Hostile {
  ws: WebSocket
  /** The server's close code (1006 without a close frame). */
  closed: Promise<number>
  /** Resolves when the server first sends something (it let the connection into the room). */
  greeted: Promise<void>
}

/** Opens a `ws` connection; resolves once open, or with the upgrade's refusal. */
const open = (url: string, room: string, token: string): Promise<Hostile | `refused ${number}`> =>
  new Promise((resolve) => {
    const ws = new WebSocket(`${url}/${room}?token=${encodeURIComponent(token)}`)
    ws.on('error', () => {}) // an abrupt end shows as the close event
    const closed = new Promise<number>((done) => ws.once('close', (code: number) => done(code)))
    const greeted = new Promise<void>((done) => ws.once('message', () => done()))
    ws.once('open', () => resolve({ ws, closed, greeted }))
    ws.once('unexpected-response', (_request, response) => {
      resolve(`refused ${response.statusCode ?? 0}`)
      ws.terminate()
    })
  })

/** The server's code if it closes within `ms`; else the attacker closes it: `kept open`. */
const outcomeWithin = async (h: Hostile, ms: number): Promise<Outcome> => {
  const code = await Promise.race([h.closed, sleep(ms).then(() => null)])
  if (code !== null) return code
  h.ws.terminate()
  return 'kept open'
}

/** (a) Stops reading and floods sync step 1s on the big room (SPEC H7). */
const nonReader = async (t: AttackTarget, random: Random): Promise<Episode> => {
  const h = await open(t.url, t.bigRoom, t.viewerToken)
  if (typeof h === 'string') return { attack: 'non-reader', variant: 'step-1 flood', outcomes: [h] }
  await Promise.race([h.greeted, h.closed])
  socketOf(h.ws).pause()
  const count = random.int(100, 400)
  for (let i = 0; i < count; i++) h.ws.send(STEP1_ALL)
  await Promise.race([sleep(t.holdMs), h.closed])
  // Read again: the close frame, if the server sent one, waits behind everything unsent.
  socketOf(h.ws).resume()
  return { attack: 'non-reader', variant: `${count} step 1s, not reading`, outcomes: [await outcomeWithin(h, 10_000)] }
}

/** (b) Presence floods: many ids, a huge state, squatting honest ids with huge clocks (SPEC H8, H3). */
const presenceFlood = async (t: AttackTarget, random: Random): Promise<Episode> => {
  const room = random.pick(t.rooms)
  const variant = random.pick(['many ids', 'huge state', 'squat then many ids'] as const)
  const h = await open(t.url, room, t.editorToken)
  if (typeof h === 'string') return { attack: 'presence-flood', variant, outcomes: [h] }
  const base = random.int(1, 2 ** 30)
  const state = JSON.stringify({ user: { name: 'flood' } })
  if (variant === 'huge state') {
    h.ws.send(awarenessMessage([{ clientId: base, clock: 1, state: JSON.stringify({ user: { name: 'x'.repeat(70 * 1024) } }) }]))
  } else {
    if (variant === 'squat then many ids') {
      const squatted = t.honest(room).slice(0, 4)
      h.ws.send(awarenessMessage(squatted.map((s, k) => ({ clientId: s.presenceId, clock: 2 ** 40 + k, state: JSON.stringify({ user: { name: 'squatter' } }) }))))
      await sleep(200)
    }
    const ids = random.int(5, 300)
    h.ws.send(awarenessMessage(Array.from({ length: ids }, (_, k) => ({ clientId: base + k, clock: 1, state }))))
  }
  return { attack: 'presence-flood', variant, outcomes: [await outcomeWithin(h, 5_000)] }
}

/** (c) One token opens more connections to one room than a token may hold (SPEC H9). */
const tokenFiller = async (t: AttackTarget, random: Random): Promise<Episode> => {
  const room = random.pick(t.rooms)
  const wanted = t.tokenMaxConnections + random.int(3, 10)
  const held: Hostile[] = []
  const outcomes: Outcome[] = []
  for (let i = 0; i < wanted; i++) {
    const h = await open(t.url, room, t.viewerToken)
    if (typeof h === 'string') {
      outcomes.push(h)
      continue
    }
    const admitted = await Promise.race([h.greeted.then(() => true), h.closed.then(() => false)])
    if (admitted) held.push(h)
    else outcomes.push(await h.closed)
  }
  await sleep(t.holdMs)
  // Those the server let in (within the token's share) stayed open until the attacker let go.
  for (const h of held) outcomes.push(await outcomeWithin(h, 0))
  return { attack: 'token-filler', variant: `${wanted} connections, one token`, outcomes }
}

/** (d) Oversized and malformed frames (SPEC H1–H3). */
const badFrames = async (t: AttackTarget, random: Random): Promise<Episode> => {
  const room = random.pick(t.rooms)
  const variant = random.pick(['oversized', 'reserved bits', 'not the protocol', 'text frame', 'truncated update'] as const)
  const h = await open(t.url, room, t.editorToken)
  if (typeof h === 'string') return { attack: 'bad-frames', variant, outcomes: [h] }
  const socket = socketOf(h.ws)
  switch (variant) {
    case 'oversized': // a header claiming one byte over the limit, and a little of the body
      socket.write(Buffer.concat([frameHeader(0x82, t.maxMessageBytes + 1), Buffer.alloc(1024)]))
      break
    case 'reserved bits': // RSV2 set, no extension negotiated
      socket.write(Buffer.concat([frameHeader(0x80 | 0x20 | 0x2, 4), Buffer.from(STEP1_ALL)]))
      break
    case 'not the protocol':
      h.ws.send(Uint8Array.of(random.int(7, 99), ...random.bytes(random.int(0, 64))))
      break
    case 'text frame':
      h.ws.send('{"type":"hello"}')
      break
    case 'truncated update': {
      const doc = new Y.Doc()
      doc.getText('minutes').insert(0, 'truncated')
      const update = Y.encodeStateAsUpdate(doc)
      h.ws.send(syncMessage(SyncMessageType.update, update.subarray(0, random.int(1, update.length - 2))))
      break
    }
  }
  return { attack: 'bad-frames', variant, outcomes: [await outcomeWithin(h, 5_000)] }
}

/**
 * (e) An update whose dependency the room never received (SPEC H6): either at a fresh client
 * id, or at an honest attendee's own id, a little ahead of its clock, so that it fits in when
 * the attendee's typing reaches it.
 */
const pendingStruct = async (t: AttackTarget, random: Random): Promise<Episode> => {
  const room = random.pick(t.rooms)
  const targets = t.honest(room)
  const squat = random.bool() && targets.length > 0
  const victim = squat ? random.pick(targets) : { clientId: random.int(1, 2 ** 30), clock: 0 }
  const ahead = victim.clock + random.int(5, 60)
  const doc = new Y.Doc()
  doc.clientID = victim.clientId
  const text = doc.getText('minutes')
  text.insert(0, 'p'.repeat(ahead))
  const before = Y.encodeStateVector(doc)
  text.insert(ahead, 'Z')
  // Only the last struct: its left neighbour (victim, ahead − 1) is missing in the room.
  const update = Y.encodeStateAsUpdate(doc, before)
  const variant = squat ? 'at an honest id' : 'missing dependency'
  const h = await open(t.url, room, t.editorToken)
  if (typeof h === 'string') return { attack: 'pending-struct', variant, outcomes: [h] }
  h.ws.send(syncMessage(SyncMessageType.update, update))
  const outcome = await outcomeWithin(h, t.holdMs)
  return { attack: 'pending-struct', variant, outcomes: [outcome], ...(squat ? { planted: [victim.clientId, ahead] as [number, number] } : {}) }
}

const RUN: Record<AttackKind, (t: AttackTarget, random: Random) => Promise<Episode>> = {
  'non-reader': nonReader,
  'presence-flood': presenceFlood,
  'token-filler': tokenFiller,
  'bad-frames': badFrames,
  'pending-struct': pendingStruct,
}

/**
 * One attacker: from `started` until `until` (performance.now()), each attack of `attacks` in
 * turn for an equal phase, episode after episode, at least one episode a phase (a phase whose
 * end passed while the last episode ran still gets one). Every attacker is on the same attack at
 * the same time, so what honest attendees see in a phase is that attack's doing.
 */
export const runAttacker = async (t: AttackTarget, random: Random, attacks: readonly AttackKind[], started: number, until: number): Promise<Episode[]> => {
  const episodes: Episode[] = []
  const phaseMs = (until - started) / attacks.length
  for (let phase = 0; phase < attacks.length; phase++) {
    const phaseEnd = started + (phase + 1) * phaseMs
    do episodes.push(await RUN[attacks[phase]!](t, random))
    while (performance.now() < phaseEnd)
  }
  return episodes
}

/** The phase (index into the attacks) a moment of the run falls in. */
export const phaseAt = (at: number, started: number, durationMs: number, phases: number): number =>
  Math.min(phases - 1, Math.max(0, Math.floor(((at - started) / durationMs) * phases)))

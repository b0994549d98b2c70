import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { AwarenessEntry } from './awareness'

/**
 * What the servers of a cluster tell each other (SPEC C7–C10). The store (PostgreSQL) is the
 * record: an update is published only after its COMMIT, with the sequence numbers the commit
 * gave it, so a server that misses a message (Redis restarted, a slow subscriber) notices the gap
 * and reads the room's log instead. Nothing here is ever the only copy of a document update.
 */
export type FanoutMessage =
  /** Rows `firstSeq … firstSeq + count - 1` of a room's log, as one or more Yjs updates. */
  | { type: 'update'; room: string; firstSeq: number; count: number; updates: Uint8Array[] }
  /** Rows too large to carry (past `MAX_PUBLISHED_BYTES`): the others read them from the store. */
  | { type: 'rows'; room: string; firstSeq: number; count: number }
  /** Presence a connection on the sending server announced (already checked and shaped there). */
  | { type: 'presence'; room: string; source: PresenceSource; entries: AwarenessEntry[] }
  /** A server opened the room: the others send the presence of their connections to it. */
  | { type: 'presence-query'; room: string }
  /** A member was revoked: every server closes its connections (SPEC I5). */
  | { type: 'revoked'; memberId: string }
  /** The sender is alive (SPEC C10: its presence vanishes when these stop). */
  | { type: 'heartbeat' }

/** The connection on another server that presence belongs to, and who it is (SPEC H8). */
export interface PresenceSource {
  connection: number
  tokenId: string
  address: string
}

export interface FanoutEvents {
  /** A message from another server (never one of this server's own). */
  message(from: string, message: FanoutMessage): void
  /** Another server has not been heard for the liveness timeout: it died or lost its link. */
  serverGone(server: string): void
  /** The link was down and is back: anything published meanwhile may be lost. */
  reconnected(): void
}

/** The link between the servers of a cluster. */
export interface Fanout {
  /** This server's id among the others (random per process). */
  readonly serverId: string
  /** Sends to every other server; lost when the link is down (the store is the record). */
  publish(message: FanoutMessage): void
  /** Resolves once messages are received; rejects when the link cannot be set up. */
  start(events: FanoutEvents): Promise<void>
  destroy(): Promise<void>
}

/**
 * The most update bytes one message carries. Redis cuts a subscriber whose unread output passes
 * its pub/sub buffer limit (8 MiB for a minute by default), so a larger commit is announced by
 * its numbers only and read from the store (SPEC C7).
 */
export const MAX_PUBLISHED_BYTES = 256 * 1024

/** A single server: nobody to tell. */
export const noFanout = (): Fanout => ({
  serverId: 'single',
  publish: () => {},
  start: async () => {},
  destroy: async () => {},
})

const MessageTag = { update: 0, presence: 1, presenceQuery: 2, revoked: 3, heartbeat: 4, rows: 5 } as const

/** The wire form of a message on the link: the sender's id, then the message. */
export const encodeFanoutMessage = (from: string, message: FanoutMessage): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarString(encoder, from)
  switch (message.type) {
    case 'update':
      encoding.writeVarUint(encoder, MessageTag.update)
      encoding.writeVarString(encoder, message.room)
      encoding.writeVarUint(encoder, message.firstSeq)
      encoding.writeVarUint(encoder, message.count)
      encoding.writeVarUint(encoder, message.updates.length)
      for (const update of message.updates) encoding.writeVarUint8Array(encoder, update)
      break
    case 'rows':
      encoding.writeVarUint(encoder, MessageTag.rows)
      encoding.writeVarString(encoder, message.room)
      encoding.writeVarUint(encoder, message.firstSeq)
      encoding.writeVarUint(encoder, message.count)
      break
    case 'presence':
      encoding.writeVarUint(encoder, MessageTag.presence)
      encoding.writeVarString(encoder, message.room)
      encoding.writeVarUint(encoder, message.source.connection)
      encoding.writeVarString(encoder, message.source.tokenId)
      encoding.writeVarString(encoder, message.source.address)
      encoding.writeVarUint(encoder, message.entries.length)
      for (const { clientId, clock, state } of message.entries) {
        encoding.writeVarUint(encoder, clientId)
        encoding.writeVarUint(encoder, clock)
        encoding.writeVarString(encoder, state)
      }
      break
    case 'presence-query':
      encoding.writeVarUint(encoder, MessageTag.presenceQuery)
      encoding.writeVarString(encoder, message.room)
      break
    case 'revoked':
      encoding.writeVarUint(encoder, MessageTag.revoked)
      encoding.writeVarString(encoder, message.memberId)
      break
    case 'heartbeat':
      encoding.writeVarUint(encoder, MessageTag.heartbeat)
      break
    default: {
      const unknown: never = message
      void unknown
    }
  }
  return encoding.toUint8Array(encoder)
}

/** Reads a message of the link; throws on bytes that are not one (a programming error elsewhere). */
export const decodeFanoutMessage = (bytes: Uint8Array): { from: string; message: FanoutMessage } => {
  const decoder = decoding.createDecoder(bytes)
  const from = decoding.readVarString(decoder)
  const tag = decoding.readVarUint(decoder)
  switch (tag) {
    case MessageTag.update: {
      const room = decoding.readVarString(decoder)
      const firstSeq = decoding.readVarUint(decoder)
      const count = decoding.readVarUint(decoder)
      const updates: Uint8Array[] = []
      for (let n = decoding.readVarUint(decoder); n > 0; n--) updates.push(decoding.readVarUint8Array(decoder))
      return { from, message: { type: 'update', room, firstSeq, count, updates } }
    }
    case MessageTag.rows: {
      const room = decoding.readVarString(decoder)
      const firstSeq = decoding.readVarUint(decoder)
      return { from, message: { type: 'rows', room, firstSeq, count: decoding.readVarUint(decoder) } }
    }
    case MessageTag.presence: {
      const room = decoding.readVarString(decoder)
      const source = { connection: decoding.readVarUint(decoder), tokenId: decoding.readVarString(decoder), address: decoding.readVarString(decoder) }
      const entries: AwarenessEntry[] = []
      for (let n = decoding.readVarUint(decoder); n > 0; n--) {
        entries.push({ clientId: decoding.readVarUint(decoder), clock: decoding.readVarUint(decoder), state: decoding.readVarString(decoder) })
      }
      return { from, message: { type: 'presence', room, source, entries } }
    }
    case MessageTag.presenceQuery:
      return { from, message: { type: 'presence-query', room: decoding.readVarString(decoder) } }
    case MessageTag.revoked:
      return { from, message: { type: 'revoked', memberId: decoding.readVarString(decoder) } }
    case MessageTag.heartbeat:
      return { from, message: { type: 'heartbeat' } }
    default:
      throw new Error(`unknown fan-out message tag ${tag}`)
  }
}

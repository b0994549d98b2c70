/**
 * The wire contract between the Minutes panel and the sync server.
 *
 * The server speaks the y-websocket protocol unchanged (message types 0–3 below are
 * y-websocket's own). What Minutes adds sits around it: one extra message type that only
 * clients which opted in receive, and named close codes. Both sides import this module so the
 * numbers live in one place. Rule ids refer to `sync-server/SPEC.md`.
 */

import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** Top-level message types. 0–3 are y-websocket's; `durableAck` is ours (SPEC P5). */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server → client, only when the client connected with `?ack=1`: a Yjs state vector that is on disk (SPEC P5). */
  durableAck: 100,
  /**
   * Client → server: reopen an adjusted, locked meeting (SPEC L3, J9). Payload: a varString
   * reason (may be empty), optionally followed by a varString display name, which the server
   * reads and ignores. Only editors and owners whose token names them; the server records the
   * token's name and member id, and when, in the document.
   */
  reopen: 101,
  /**
   * Client → server, member tokens only (SPEC J1, J2): the adjustment is a request, and the
   * server writes the record. `markFinal` and `markDraft` carry nothing; `approve` a varString
   * person id (the person of the attendance the sender is linked to), optionally followed by a
   * varString `contentHash` of the minutes the sender saw (SPEC J4). The server answers a refused
   * request with `adjustmentRefused`, never by closing. Encode with `encodeAdjustmentRequest`.
   */
  markFinal: 102,
  approve: 103,
  markDraft: 104,
  /**
   * Server → client: a request of 102–104 was refused (SPEC J1); payload a varString
   * `AdjustmentRefusal`. Sent only to a connection that sent such a request (SPEC P4).
   */
  adjustmentRefused: 105,
  /**
   * Client → server, member connections only (SPEC I6): a fresh access token (varString) for
   * the same member. From then on the connection's expiry and role are the new token's. The
   * server does not answer; a token it refuses closes the connection (4401, or 4402 when the
   * member was revoked). Encode it with `encodeRenewAccess`.
   */
  renewAccess: 106,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** Sub-types of a `sync` message (y-protocols/sync). */
export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType]

/** Query parameters the server reads from the connection URL. */
export const QueryParam = {
  token: 'token',
  /** `ack=1` opts in to `MessageType.durableAck`. A stock client never sends it. */
  ack: 'ack',
} as const

/**
 * Close codes. The stock y-websocket client does not reconnect after 4400–4499 ("the server
 * decided; retrying cannot fix it") and does reconnect after everything else, so the range a
 * code sits in is part of its meaning.
 */
export const CloseCode = {
  normal: 1000,
  /** The frame was larger than the server's limit. Set by the WebSocket layer. */
  messageTooBig: 1009,
  internalError: 1011,
  /** The server is restarting or shutting down; reconnect (possibly to another server). */
  serviceRestart: 1012,
  /** The message could not be parsed as y-websocket protocol or Yjs content. */
  malformedMessage: 4400,
  /** The token expired while connected (SPEC A5), or a renewal's token was refused (SPEC I6). A member fetches a new token; a shared code needs a new join code. */
  tokenExpired: 4401,
  /** The member was revoked by an owner (SPEC I5): this connection closes, and every later `/access` or connect gets 401. */
  revoked: 4402,
  /** The connection tried something its role does not allow. */
  forbidden: 4403,
  /** One awareness message had too many bytes or client ids. */
  awarenessTooLarge: 4413,
  /** The meeting is adjusted and locked: the server accepts no more changes to it (SPEC L2). */
  meetingLocked: 4423,
  /** The connection sent more messages than the rate limit allows. */
  rateLimited: 4429,
  /** Applying one update took longer than the server allows (a crafted update; SPEC H5). */
  updateTooExpensive: 4430,
  /** The store could not write; nothing of the unsaved change was acknowledged. Retry later. */
  storageFailure: 4500,
  /** The room was reloaded from the store (after a failed write or a half-applied bad update). Reconnect. */
  roomReset: 4501,
  /** The room's stored data could not be read; the server will not serve it as empty. */
  roomUnavailable: 4502,
  /** The room already has as many connections as the server allows. Retry later. */
  roomFull: 4503,
  /** The connection did not take what it was sent: its unsent output passed the limit (SPEC H7). Reconnect. */
  backlogged: 4504,
  /** This token already holds as many connections to the room as one token may (SPEC H9). Retry later. */
  tokenConnectionsFull: 4505,
  /** This address already holds as many connections to the room as one address may (SPEC H9). Retry later. */
  addressConnectionsFull: 4506,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** Close reasons sent with the codes above (short: a close reason is at most 123 bytes). */
export const CloseReason: { readonly [K in keyof typeof CloseCode]: string } = {
  normal: 'normal closure',
  messageTooBig: 'message too big',
  internalError: 'internal error',
  serviceRestart: 'server restarting',
  malformedMessage: 'malformed message',
  tokenExpired: 'token expired',
  forbidden: 'forbidden',
  awarenessTooLarge: 'awareness message too large',
  meetingLocked: 'meeting adjusted and locked',
  rateLimited: 'rate limit exceeded',
  revoked: 'membership revoked',
  updateTooExpensive: 'update too expensive to apply',
  storageFailure: 'storage failure, retry later',
  roomReset: 'room reloaded, reconnect',
  roomUnavailable: 'room data unreadable',
  roomFull: 'room full, retry later',
  backlogged: 'not reading what is sent, reconnect',
  tokenConnectionsFull: 'too many connections with this token, retry later',
  addressConnectionsFull: 'too many connections from this address, retry later',
}

/** Does the stock client give up after this close code? (It gives up on 4400–4499.) */
export const isPermanentClose = (code: number): boolean => code >= 4400 && code < 4500

/**
 * Roles a token can grant. An owner is an editor who may also invite and revoke the space's
 * members (SPEC I1, I5).
 */
export const Role = { owner: 'owner', editor: 'editor', viewer: 'viewer' } as const
export type Role = (typeof Role)[keyof typeof Role]

export const isRole = (value: unknown): value is Role => value === Role.owner || value === Role.editor || value === Role.viewer

/** May this role change a meeting's content? Owners and editors may; viewers only read. */
export const canEdit = (role: Role): boolean => role === Role.owner || role === Role.editor

const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 }

/** The lesser of two roles: a member's token never grants more than the member's stored role (SPEC I4). */
export const lesserRole = (a: Role, b: Role): Role => (ROLE_RANK[a] <= ROLE_RANK[b] ? a : b)

/** Claims of a Minutes access token (an HS256 JWT). */
export interface TokenClaims {
  /** A room id, or a prefix ending in `*` that grants every room of a space (`space-1/*`). */
  room: string
  role: Role
  /** Expiry, seconds since the epoch. */
  exp: number
  /** Display name, optional. In a member's token it is the member's name, the server's word. */
  name?: string
  /** The member id (SPEC I1), in tokens issued to a member; absent in the older shared tokens. */
  sub?: string
}

/** Member keys (SPEC I2) start with this, then 32 random bytes in base64url. */
export const MEMBER_KEY_PREFIX = 'mk1_'

/** The server's HTTP paths for identity (SPEC I3, I5), beside `/healthz` and `/metrics`. */
export const HttpPath = {
  /** `POST`, `Authorization: Bearer <member key>` → `AccessGrant`. */
  access: '/access',
  /** `GET ?space=` → `{ members: MemberInfo[] }`; `POST { space, name, role }` → `{ member, joinCode }`. Owners only. */
  members: '/members',
  /** `POST { space, id }` → `{ member }`. Owners only. */
  revokeMember: '/members/revoke',
  /**
   * `GET ?space=`, `Authorization: Bearer <access token>` → `StampsAnswer`: a stamp for each
   * stored room of the space that the token grants (SPEC R1). Any member or shared token.
   */
  stamps: '/stamps',
} as const

/**
 * The answer of `GET /stamps` (SPEC R1): room id → a stamp that changes whenever what the server
 * stores for the room changes. Only rooms the token's room claim grants, and only stored ones.
 */
export interface StampsAnswer {
  rooms: Record<string, string>
}

/** A member as the server shows it: never its key or the key's hash. */
export interface MemberInfo {
  id: string
  name: string
  role: Role
}

/** A member in the owners' list (`GET /members`): when it was created and revoked (ms since the epoch). */
export interface MemberListEntry extends MemberInfo {
  createdAt: number
  revokedAt: number | null
}

/** The answer of `POST /access` (SPEC I3). */
export interface AccessGrant {
  /** An access token for the member's whole space (`room: "<space>/*"`). */
  token: string
  /** The token's `exp`: seconds since the epoch. */
  expiresAt: number
  /**
   * The server's clock when it answered, milliseconds since the epoch: the panel times the
   * renewal and checks expiry on this clock, not on its own, which may be hours off (SPEC I3).
   * Absent from servers before 2026-12.
   */
  serverTime?: number
  member: MemberInfo
  space: string
}

/** The body of every refused identity request: a code a program can switch on, and a sentence. */
export interface HttpError {
  error: 'unauthorized' | 'forbidden' | 'bad-request' | 'not-found' | 'last-owner' | 'origin-not-allowed' | 'internal'
  message: string
}

/** The wire bytes of a `renewAccess` message (SPEC I6), the one codec both sides use. */
export const encodeRenewAccess = (token: string): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.renewAccess)
  encoding.writeVarString(encoder, token)
  return encoding.toUint8Array(encoder)
}

/**
 * Room ids: what may follow the first `/` of the connection path, written as is (SPEC P1).
 * Segments are non-empty and never `.` or `..`, so no URL normalisation can give a room a
 * second spelling.
 */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:@-]*(\/(?!\.\.?(?:\/|$))[A-Za-z0-9._~:@-]+)*$/
export const ROOM_ID_MAX_LENGTH = 200

/** Does a token's `room` claim grant `room`? Exact match, or a prefix claim ending in `*`. */
export const roomClaimGrants = (claim: string, room: string): boolean =>
  claim.endsWith('*') ? room.startsWith(claim.slice(0, -1)) : claim === room

/**
 * The part of a meeting document the server reads (SPEC L1): the `adjustment` map. When its
 * `locked` key is `true`, the meeting is adjusted and the server refuses further changes;
 * `reopenings` is a Y.Array of `{ by, memberId, at, reason }` records the server appends on a
 * reopen. The rest of the adjustment record (approvals, the adjusted state) is `src/doc`'s
 * model, which the server writes through `src/doc/adjustment.ts` (SPEC J3).
 */
export const LockShape = {
  root: 'adjustment',
  locked: 'locked',
  reopenings: 'reopenings',
} as const

/**
 * Why the server refused an adjustment request (message 105, SPEC J1–J7). The panel says each in
 * words; an older panel meeting a newer code shows it as is.
 */
export const ADJUSTMENT_REFUSALS = [
  /** The token names no member (no `sub`) or no name: only a member can adjust (SPEC J2). */
  'not-a-member',
  /** A viewer's token: viewers read, they do not adjust. */
  'viewer',
  /** Mark final / back to draft: neither an owner nor the member linked as the secretary. */
  'not-secretary',
  /** Approve: the minutes are not marked final. */
  'not-final',
  /** Approve: the person is not an appointed adjuster of this meeting (or no such person). */
  'not-an-adjuster',
  /** Approve: the person is not linked to the sender's member id. */
  'not-linked',
  /** Approve: the content hash the sender saw is not the server's (SPEC J4): look again. */
  'stale',
  /** The meeting is adjusted and locked. */
  'locked',
  /** Approve: this person already approved these minutes in this round. */
  'already-approved',
] as const
export type AdjustmentRefusal = (typeof ADJUSTMENT_REFUSALS)[number]

export const isAdjustmentRefusal = (value: unknown): value is AdjustmentRefusal =>
  typeof value === 'string' && (ADJUSTMENT_REFUSALS as readonly string[]).includes(value)

/** An adjustment request as data (messages 102–104, SPEC J1). */
export type AdjustmentRequest =
  | { type: typeof MessageType.markFinal }
  | { type: typeof MessageType.markDraft }
  | { type: typeof MessageType.approve; personId: string; contentHash?: string }

/** The bytes of an adjustment request, as the panel sends them. */
export const encodeAdjustmentRequest = (request: AdjustmentRequest): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, request.type)
  if (request.type === MessageType.approve) {
    encoding.writeVarString(encoder, request.personId)
    if (request.contentHash !== undefined) encoding.writeVarString(encoder, request.contentHash)
  }
  return encoding.toUint8Array(encoder)
}

/**
 * Reads the payload of an adjustment request whose type was read already. Throws on anything
 * that is not the format (trailing bytes, a truncated string): the server closes with 4400.
 */
export const readAdjustmentRequest = (
  type: typeof MessageType.markFinal | typeof MessageType.approve | typeof MessageType.markDraft,
  decoder: decoding.Decoder,
): AdjustmentRequest => {
  let request: AdjustmentRequest
  if (type === MessageType.approve) {
    const personId = decoding.readVarString(decoder)
    request = decoding.hasContent(decoder) ? { type, personId, contentHash: decoding.readVarString(decoder) } : { type, personId }
  } else {
    request = { type }
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after an adjustment request')
  return request
}

export const encodeAdjustmentRefused = (reason: AdjustmentRefusal): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.adjustmentRefused)
  encoding.writeVarString(encoder, reason)
  return encoding.toUint8Array(encoder)
}

/** The reason of a whole message 105 as received, or null when the message is not one. */
export const decodeAdjustmentRefused = (message: Uint8Array): string | null => {
  try {
    const decoder = decoding.createDecoder(message)
    if (decoding.readVarUint(decoder) !== MessageType.adjustmentRefused) return null
    return decoding.readVarString(decoder)
  } catch {
    return null
  }
}

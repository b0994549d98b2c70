import type { IncomingMessage } from 'node:http'
import { QueryParam, ROOM_ID_MAX_LENGTH, ROOM_ID_PATTERN, roomClaimGrants, type TokenClaims } from '../src/protocol'
import type { Identity } from './identity'
import type { TokenVerifier } from './tokens'

/** Who a connection is for the per-member limits (SPEC H8, H9): its token's id and its address. */
export interface PeerIdentity {
  tokenId: string
  address: string
}

/** What the upgrade decided: a connection to open, or the HTTP status to refuse it with. */
export type AccessDecision =
  | { ok: true; room: string; claims: TokenClaims; wantsAck: boolean; identity: PeerIdentity }
  | { ok: false; status: 400 | 401 | 403; reason: string }

/** Does `origin` match one of the patterns? A pattern ending in `*` matches any suffix. */
export const originAllowed = (origin: string | undefined, patterns: readonly string[]): boolean => {
  // Browsers always send Origin on a WebSocket upgrade; programs (the y-websocket client in
  // Node, our tests, a CLI) usually do not. The token is the real gate (SPEC A6).
  if (origin === undefined) return true
  return patterns.some((p) => (p.endsWith('*') ? origin.startsWith(p.slice(0, -1)) : origin === p))
}

/**
 * The room of an upgrade, read from the request target exactly as the client wrote it (SPEC
 * P1): everything after the first `/` up to the query. Nothing is decoded or normalised, since
 * every character a room id may hold is legal in a path as is: an encoded character, a `.` or
 * `..` segment, an empty segment or a backslash would be a second spelling of some room.
 */
export const roomFromTarget = (target: string): { ok: true; room: string } | { ok: false; reason: string } => {
  const query = target.indexOf('?')
  const path = query < 0 ? target : target.slice(0, query)
  if (!path.startsWith('/')) return { ok: false, reason: 'the path must start with /' }
  const room = path.slice(1)
  if (room.length === 0) return { ok: false, reason: 'the room id is empty' }
  if (room.includes('%')) return { ok: false, reason: 'the room id is percent-encoded; write it as is (each room has one spelling)' }
  const segments = room.split('/')
  if (segments.includes('')) return { ok: false, reason: 'the room id has an empty segment' }
  if (segments.some((s) => s === '.' || s === '..')) return { ok: false, reason: "the room id has a '.' or '..' segment" }
  if (room.length > ROOM_ID_MAX_LENGTH) return { ok: false, reason: `the room id is longer than ${ROOM_ID_MAX_LENGTH} characters` }
  if (!ROOM_ID_PATTERN.test(room)) {
    return { ok: false, reason: 'the room id has a character other than letters, digits and . _ ~ : @ - (or starts with one of . _ ~ : @ -)' }
  }
  return { ok: true, room }
}

/** Decides an upgrade request before any WebSocket exists (SPEC A1–A6, and the member check of I4). */
export const decideAccess = async (
  req: IncomingMessage,
  verify: TokenVerifier,
  identity: Identity,
  allowedOrigins: readonly string[],
): Promise<AccessDecision> => {
  if (!originAllowed(req.headers.origin, allowedOrigins)) {
    return { ok: false, status: 403, reason: 'origin not allowed' }
  }
  const target = roomFromTarget(req.url ?? '')
  if (!target.ok) return { ok: false, status: 400, reason: target.reason }
  const room = target.room
  const queryAt = (req.url ?? '').indexOf('?')
  const query = new URLSearchParams(queryAt < 0 ? '' : req.url!.slice(queryAt + 1))
  const result = await verify(query.get(QueryParam.token))
  if (!result.ok) return { ok: false, status: 401, reason: `token ${result.problem}` }
  if (!roomClaimGrants(result.claims.room, room)) return { ok: false, status: 403, reason: 'token for another room' }
  const member = await identity.memberClaims(result.claims)
  if (!member.ok) return { ok: false, status: 401, reason: `member token: ${member.problem}` }
  const peer = { tokenId: result.tokenId, address: req.socket.remoteAddress ?? '' }
  return { ok: true, room, claims: member.claims, wantsAck: query.get(QueryParam.ack) === '1', identity: peer }
}

import type { IncomingMessage } from 'node:http'
import { QueryParam, ROOM_ID_MAX_LENGTH, ROOM_ID_PATTERN, roomClaimGrants, type TokenClaims } from '../src/protocol'
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

/** Parses the room out of the upgrade path: everything after the first `/` (SPEC P1). */
export const roomFromPath = (pathname: string): string | null => {
  let room: string
  try {
    room = decodeURIComponent(pathname.slice(1))
  } catch {
    return null
  }
  if (room.length === 0 || room.length > ROOM_ID_MAX_LENGTH || !ROOM_ID_PATTERN.test(room)) return null
  return room
}

/** Decides an upgrade request before any WebSocket exists (SPEC A1–A6). */
export const decideAccess = async (
  req: IncomingMessage,
  verify: TokenVerifier,
  allowedOrigins: readonly string[],
): Promise<AccessDecision> => {
  if (!originAllowed(req.headers.origin, allowedOrigins)) {
    return { ok: false, status: 403, reason: 'origin not allowed' }
  }
  const url = new URL(req.url ?? '/', 'http://localhost')
  const room = roomFromPath(url.pathname)
  if (room === null) return { ok: false, status: 400, reason: 'bad room id' }
  const result = await verify(url.searchParams.get(QueryParam.token))
  if (!result.ok) return { ok: false, status: 401, reason: `token ${result.problem}` }
  if (!roomClaimGrants(result.claims.room, room)) return { ok: false, status: 403, reason: 'token for another room' }
  const identity = { tokenId: result.tokenId, address: req.socket.remoteAddress ?? '' }
  return { ok: true, room, claims: result.claims, wantsAck: url.searchParams.get(QueryParam.ack) === '1', identity }
}

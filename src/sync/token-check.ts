import { roomClaimGrants } from '../protocol'

/** Why a token cannot work for a room, as far as the client can tell without the secret. */
export type TokenProblem = 'malformed' | 'expired' | 'wrong-room'

/**
 * Reads a token's claims WITHOUT verifying its signature (the client has no secret) and says
 * whether it obviously cannot open `room`: expired, or granted for another room. Catching
 * these before connecting saves a refused upgrade, which a browser reports only as close code
 * 1006 with no status. A wrong signature is still only found by the server.
 */
export const checkTokenLocally = (token: string, room: string, nowSeconds: number): TokenProblem | null => {
  const payload = token.split('.')[1]
  if (payload === undefined) return 'malformed'
  let claims: unknown
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (payload.length % 4)) % 4)
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
    claims = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return 'malformed'
  }
  if (typeof claims !== 'object' || claims === null) return 'malformed'
  const { exp, room: claim } = claims as { exp?: unknown; room?: unknown }
  if (typeof exp === 'number' && exp <= nowSeconds) return 'expired'
  if (typeof claim === 'string' && !roomClaimGrants(claim, room)) return 'wrong-room'
  return null
}

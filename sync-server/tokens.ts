import { createHash } from 'node:crypto'
import { SignJWT, errors, jwtVerify } from 'jose'
import { isRole, type Role, type TokenClaims } from '../src/protocol'

const encodeSecret = (secret: string): Uint8Array => new TextEncoder().encode(secret)

export interface TokenRequest {
  /** A room id, or a space prefix ending in `*`. */
  room: string
  role: Role
  /** Lifetime in seconds from now; ignored when `exp` is given. */
  ttlSeconds?: number
  /** Absolute expiry, seconds since the epoch. */
  exp?: number
  name?: string
  /** The member id, for a member's token. */
  sub?: string
}

/** Signs a Minutes access token (HS256). */
export const signToken = async (secret: string, request: TokenRequest): Promise<string> => {
  const exp = request.exp ?? Math.floor(Date.now() / 1000) + (request.ttlSeconds ?? 3600)
  const claims: Record<string, unknown> = { room: request.room, role: request.role }
  if (request.name !== undefined) claims.name = request.name
  if (request.sub !== undefined) claims.sub = request.sub
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime(exp).sign(encodeSecret(secret))
}

/**
 * What identifies a token for the per-token limits (SPEC H8, H9): its `sub` or `jti` claim when
 * it has one, else a hash of the token. Never the token itself, so it can be kept and counted.
 */
const tokenIdOf = (token: string, payload: { sub?: unknown; jti?: unknown }): string => {
  if (typeof payload.sub === 'string' && payload.sub !== '') return `sub:${payload.sub}`
  if (typeof payload.jti === 'string' && payload.jti !== '') return `jti:${payload.jti}`
  return `sha256:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`
}

export type TokenProblem = 'missing' | 'malformed' | 'expired' | 'bad-signature' | 'bad-claims'

/** A verifier bound to one secret (the key is encoded once). */
export const createTokenVerifier = (secret: string) => {
  const key = encodeSecret(secret)
  return async (token: string | null): Promise<{ ok: true; claims: TokenClaims; tokenId: string } | { ok: false; problem: TokenProblem }> => {
    if (token === null || token === '') return { ok: false, problem: 'missing' }
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] })
      const { room, role, exp, name, sub } = payload
      if (typeof room !== 'string' || room === '' || !isRole(role) || typeof exp !== 'number') {
        return { ok: false, problem: 'bad-claims' }
      }
      const claims: TokenClaims = { room, role, exp }
      if (typeof name === 'string') claims.name = name
      if (typeof sub === 'string' && sub !== '') claims.sub = sub
      return { ok: true, claims, tokenId: tokenIdOf(token, payload) }
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, problem: 'expired' }
      if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, problem: 'bad-signature' }
      if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, problem: 'bad-claims' }
      return { ok: false, problem: 'malformed' }
    }
  }
}
export type TokenVerifier = ReturnType<typeof createTokenVerifier>

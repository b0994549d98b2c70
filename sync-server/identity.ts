import { createHash, randomBytes } from 'node:crypto'
import {
  CloseCode,
  MEMBER_KEY_PREFIX,
  Role,
  isRole,
  lesserRole,
  roomClaimGrants,
  type AccessGrant,
  type MemberInfo,
  type MemberListEntry,
  type TokenClaims,
} from '../src/protocol'
import type { Member, MemberStore } from './persistence/store'
import { signToken, type TokenVerifier } from './tokens'

/** A new member key (SPEC I2): the prefix and 32 random bytes. Shown once; only its hash is kept. */
export const newMemberKey = (): string => MEMBER_KEY_PREFIX + randomBytes(32).toString('base64url')

/** What the store keeps of a member key: its SHA-256, hex. */
export const hashMemberKey = (key: string): string => createHash('sha256').update(key).digest('hex')

export const newMemberId = (): string => `m_${randomBytes(12).toString('base64url')}`

/** A space id: one room-id segment (SPEC P1), so `<space>/*` is a space claim and `<space>/<room>` its rooms. */
export const SPACE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~:@-]{0,99}$/
export const MEMBER_NAME_MAX_LENGTH = 100

export interface MemberInput {
  space: string
  name: string
  role: Role
}

/** Checks what an owner or the CLI asks for; returns the problem in a sentence, or the cleaned input. */
export const checkMemberInput = (input: { space?: unknown; name?: unknown; role?: unknown }): MemberInput | string => {
  const { space, name, role } = input
  if (typeof space !== 'string' || !SPACE_ID_PATTERN.test(space)) {
    return 'space must be a space id: letters, digits and . _ ~ : @ -, starting with a letter or digit, at most 100 characters'
  }
  if (typeof name !== 'string' || name.trim() === '') return 'name must be a non-empty string'
  if (name.trim().length > MEMBER_NAME_MAX_LENGTH) return `name must be at most ${MEMBER_NAME_MAX_LENGTH} characters`
  if (!isRole(role)) return 'role must be owner, editor or viewer'
  return { space, name: name.trim(), role }
}

/** Adds a member with a new key; the key is returned once and exists nowhere else (SPEC I2). */
export const addMember = async (store: MemberStore, input: MemberInput, now = Date.now()): Promise<{ member: Member; key: string }> => {
  const key = newMemberKey()
  const member: Member = { id: newMemberId(), space: input.space, name: input.name, role: input.role, createdAt: now, revokedAt: null }
  await store.addMember({ ...member, keyHash: hashMemberKey(key) })
  return { member, key }
}

export const memberInfo = (member: Member): MemberInfo => ({ id: member.id, name: member.name, role: member.role })

export const memberListEntry = (member: Member): MemberListEntry => ({ ...memberInfo(member), createdAt: member.createdAt, revokedAt: member.revokedAt })

/** Could a token with this room claim open some room of `space` (`<space>/…`)? */
export const claimReachesSpace = (claim: string, space: string): boolean => {
  const rooms = `${space}/`
  if (!claim.endsWith('*')) return claim.startsWith(rooms)
  const prefix = claim.slice(0, -1)
  return prefix.startsWith(rooms) || rooms.startsWith(prefix)
}

/** Why a member's token does not open anything: the member is gone or revoked, or the token is for another space. */
export type MemberProblem = 'unknown-member' | 'revoked' | 'other-space'

/** What an owner-API request is refused with: 401 without a working member token, 403 when it is not an owner's of the space. */
export type OwnerRefusal = { status: 401 | 403; message: string }

export interface IdentityOptions {
  secret: string
  accessTtlSeconds: number
}

/**
 * The identity policy (SPEC I1–I6): member keys traded for short-lived access tokens, the
 * member check of a token with `sub` (at the upgrade, at renewal, for the owner API), and the
 * owners' invite, list and revoke. No HTTP and no sockets here: `identity-http.ts` and the
 * connection call it.
 */
export class Identity {
  constructor(
    private readonly store: MemberStore,
    private readonly verify: TokenVerifier,
    private readonly options: IdentityOptions,
  ) {}

  /**
   * The claims a verified token grants now (SPEC I4). A token without `sub` (a shared token)
   * is as it was signed. A member's token must name an existing, unrevoked member of the
   * space its room claim is in; its role becomes the lesser of the token's and the member's
   * stored role, and its name the stored name.
   */
  async memberClaims(claims: TokenClaims): Promise<{ ok: true; claims: TokenClaims; member: Member | null } | { ok: false; problem: MemberProblem }> {
    if (claims.sub === undefined) return { ok: true, claims, member: null }
    const member = await this.store.member(claims.sub)
    if (member === null) return { ok: false, problem: 'unknown-member' }
    if (member.revokedAt !== null) return { ok: false, problem: 'revoked' }
    if (!claims.room.startsWith(`${member.space}/`)) return { ok: false, problem: 'other-space' }
    return { ok: true, claims: { ...claims, role: lesserRole(claims.role, member.role), name: member.name }, member }
  }

  /** `POST /access` (SPEC I3): the grant for a member key, or `null` when the key is unknown or revoked. */
  async issueAccess(key: string): Promise<AccessGrant | null> {
    if (!key.startsWith(MEMBER_KEY_PREFIX)) return null
    const member = await this.store.memberByKeyHash(hashMemberKey(key))
    if (member === null || member.revokedAt !== null) return null
    const serverTime = Date.now()
    const expiresAt = Math.floor(serverTime / 1000) + this.options.accessTtlSeconds
    const token = await signToken(this.options.secret, { room: `${member.space}/*`, role: member.role, name: member.name, sub: member.id, exp: expiresAt })
    return { token, expiresAt, serverTime, member: memberInfo(member), space: member.space }
  }

  /**
   * A renewal on an open connection to `room` (SPEC I6): the new claims, or the close code. The
   * new token must be valid, name the connection's member and grant the room; the member must
   * still be there (4402 when revoked or gone).
   */
  async renew(room: string, current: TokenClaims, token: string): Promise<{ ok: true; claims: TokenClaims } | { ok: false; close: CloseCode }> {
    if (current.sub === undefined) return { ok: false, close: CloseCode.tokenExpired }
    const verified = await this.verify(token)
    if (!verified.ok || verified.claims.sub !== current.sub || !roomClaimGrants(verified.claims.room, room)) {
      return { ok: false, close: CloseCode.tokenExpired }
    }
    const checked = await this.memberClaims(verified.claims)
    if (!checked.ok) return { ok: false, close: checked.problem === 'other-space' ? CloseCode.tokenExpired : CloseCode.revoked }
    return { ok: true, claims: checked.claims }
  }

  /** The owner an owner-API request is made by (SPEC I5), from its bearer access token. */
  async owner(bearer: string | null, space: string): Promise<{ ok: true; owner: Member } | ({ ok: false } & OwnerRefusal)> {
    const verified = await this.verify(bearer)
    if (!verified.ok) return { ok: false, status: 401, message: `access token ${verified.problem}` }
    if (verified.claims.sub === undefined) return { ok: false, status: 403, message: 'a shared token is no member: ask an owner for a personal join code' }
    const checked = await this.memberClaims(verified.claims)
    if (!checked.ok) {
      return checked.problem === 'other-space'
        ? { ok: false, status: 403, message: 'this token is for another space' }
        : { ok: false, status: 401, message: 'no such member, or revoked' }
    }
    if (checked.member!.space !== space) return { ok: false, status: 403, message: 'this token is for another space' }
    if (checked.claims.role !== Role.owner) return { ok: false, status: 403, message: 'only an owner of the space may do this' }
    return { ok: true, owner: checked.member! }
  }

  /**
   * A reader of `space` for `GET /stamps` (SPEC R1): the claims of a bearer access token that
   * would open some room of the space, checked as at the upgrade (A2, I4). A bad or expired
   * token, or a revoked or unknown member's → 401; a token whose room claim reaches no room of
   * the space → 403.
   */
  async reader(bearer: string | null, space: string): Promise<{ ok: true; claims: TokenClaims } | ({ ok: false } & OwnerRefusal)> {
    const verified = await this.verify(bearer)
    if (!verified.ok) return { ok: false, status: 401, message: `access token ${verified.problem}` }
    if (!claimReachesSpace(verified.claims.room, space)) return { ok: false, status: 403, message: 'this token is for another space' }
    const checked = await this.memberClaims(verified.claims)
    if (!checked.ok) {
      return checked.problem === 'other-space'
        ? { ok: false, status: 403, message: 'this token is for another space' }
        : { ok: false, status: 401, message: 'no such member, or revoked' }
    }
    return { ok: true, claims: checked.claims }
  }

  members(space: string): Promise<Member[]> {
    return this.store.members(space)
  }

  invite(input: MemberInput): Promise<{ member: Member; key: string }> {
    return addMember(this.store, input)
  }

  /** Revokes a member; the caller closes its connections (SPEC I5). */
  async revoke(space: string, id: string): Promise<{ ok: true; member: Member } | { ok: false; problem: 'not-found' | 'last-owner' }> {
    const change = await this.store.revokeMember(space, id, Date.now())
    if (change !== 'done') return { ok: false, problem: change }
    return { ok: true, member: (await this.store.member(id))! }
  }
}

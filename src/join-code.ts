import { MEMBER_KEY_PREFIX } from './protocol'

/**
 * Join codes: what one attendee gives another to enter a space. One pasteable string that
 * carries the server address, the space id and a credential.
 *
 * Two forms. `minutes1:` followed by base64url of `{"server":…,"space":…,"token":…}`: a shared
 * code holding an access token, the same for everyone it is given to. `minutes2:` followed by
 * base64url of `{"server":…,"space":…,"key":…}`: a personal code holding one member's key
 * (SPEC I2), which the panel trades for short-lived access tokens at the server's `/access`.
 * The prefix makes a pasted code recognisable and versions the format.
 */

export interface JoinCode {
  /** WebSocket URL of the sync server, `ws://` or `wss://`. */
  server: string
  /** Space id: rooms of this space are `<space>/<room>`. */
  space: string
  token: string
}

/** A personal join code's content: one member's key instead of a token (SPEC I2). */
export interface PersonalJoinCode {
  server: string
  space: string
  /** The member key, `mk1_…`. Never an access token. */
  key: string
}

const PREFIX = 'minutes1:'
const PERSONAL_PREFIX = 'minutes2:'

const toBase64Url = (text: string): string => {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const fromBase64Url = (text: string): string => {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)
  const binary = atob(padded)
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
}

export const encodeJoinCode = (code: JoinCode): string =>
  PREFIX + toBase64Url(JSON.stringify({ server: code.server, space: code.space, token: code.token }))

export const encodePersonalJoinCode = (code: PersonalJoinCode): string =>
  PERSONAL_PREFIX + toBase64Url(JSON.stringify({ server: code.server, space: code.space, key: code.key }))

export type JoinCodeError = 'empty' | 'not-a-join-code' | 'damaged'

/** The `server`, `space` and `field` strings of a code's JSON, or `null` when any is missing or empty. */
const readFields = <F extends string>(encoded: string, field: F): ({ server: string; space: string } & Record<F, string>) | null => {
  try {
    const parsed: unknown = JSON.parse(fromBase64Url(encoded))
    if (typeof parsed !== 'object' || parsed === null) return null
    const record = parsed as Record<string, unknown>
    const { server, space } = record
    const value = record[field]
    if (typeof server !== 'string' || typeof space !== 'string' || typeof value !== 'string') return null
    if (!/^wss?:\/\//.test(server) || space === '' || value === '') return null
    return { server, space, [field]: value } as { server: string; space: string } & Record<F, string>
  } catch {
    return null
  }
}

/** Parses a pasted shared (`minutes1:`) join code. Never throws: bad input is a value, not an exception. */
export const decodeJoinCode = (
  input: string,
): { ok: true; value: JoinCode } | { ok: false; error: JoinCodeError } => {
  const text = input.replace(/\s+/g, '')
  if (text === '') return { ok: false, error: 'empty' }
  if (!text.startsWith(PREFIX)) return { ok: false, error: 'not-a-join-code' }
  const value = readFields(text.slice(PREFIX.length), 'token')
  return value === null ? { ok: false, error: 'damaged' } : { ok: true, value }
}

/** Either kind of join code: a shared one with a token, or a personal one with a member key. */
export type AnyJoinCode = ({ kind: 'token' } & JoinCode) | ({ kind: 'member' } & PersonalJoinCode)

/**
 * Parses a pasted join code of either form (`minutes1:` → kind `token`, `minutes2:` → kind
 * `member`). Never throws. A personal code whose key does not look like a member key is
 * `damaged`: an access token pasted into one would otherwise be sent as a key.
 */
export const decodeAnyJoinCode = (input: string): { ok: true; value: AnyJoinCode } | { ok: false; error: JoinCodeError } => {
  const text = input.replace(/\s+/g, '')
  if (!text.startsWith(PERSONAL_PREFIX)) {
    const shared = decodeJoinCode(text)
    return shared.ok ? { ok: true, value: { kind: 'token', ...shared.value } } : shared
  }
  const value = readFields(text.slice(PERSONAL_PREFIX.length), 'key')
  if (value === null || !value.key.startsWith(MEMBER_KEY_PREFIX)) return { ok: false, error: 'damaged' }
  return { ok: true, value: { kind: 'member', ...value } }
}

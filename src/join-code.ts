/**
 * Join codes: what one attendee gives another to enter a space. One pasteable string that
 * carries the server address, the space id and a token.
 *
 * Form: `minutes1:` followed by base64url of `{"server":…,"space":…,"token":…}`. The prefix
 * makes a pasted code recognisable and versions the format.
 */

export interface JoinCode {
  /** WebSocket URL of the sync server, `ws://` or `wss://`. */
  server: string
  /** Space id: rooms of this space are `<space>/<room>`. */
  space: string
  token: string
}

const PREFIX = 'minutes1:'

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

export type JoinCodeError = 'empty' | 'not-a-join-code' | 'damaged'

/** Parses a pasted join code. Never throws: bad input is a value, not an exception. */
export const decodeJoinCode = (
  input: string,
): { ok: true; value: JoinCode } | { ok: false; error: JoinCodeError } => {
  const text = input.replace(/\s+/g, '')
  if (text === '') return { ok: false, error: 'empty' }
  if (!text.startsWith(PREFIX)) return { ok: false, error: 'not-a-join-code' }
  try {
    const parsed: unknown = JSON.parse(fromBase64Url(text.slice(PREFIX.length)))
    if (typeof parsed !== 'object' || parsed === null) return { ok: false, error: 'damaged' }
    const { server, space, token } = parsed as Record<string, unknown>
    if (typeof server !== 'string' || typeof space !== 'string' || typeof token !== 'string') {
      return { ok: false, error: 'damaged' }
    }
    if (!/^wss?:\/\//.test(server) || space === '' || token === '') return { ok: false, error: 'damaged' }
    return { ok: true, value: { server, space, token } }
  } catch {
    return { ok: false, error: 'damaged' }
  }
}

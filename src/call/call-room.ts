import type { CallAddress } from './call-address'

/** The subset of WebCrypto's `SubtleCrypto` used here (tests may pass Node's). */
export type Digest = Pick<SubtleCrypto, 'digest'>

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'

const base32 = (bytes: Uint8Array, length: number): string => {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < length) {
      out += BASE32[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
    buffer &= (1 << bits) - 1
    if (out.length >= length) break
  }
  return out
}

/** 20 base32 characters carry 100 bits of the hash: no two calls of a space meet by chance. */
const ID_LENGTH = 20

/**
 * `prefix` + 20 base32 characters of SHA-256 over `parts` joined by newlines: an id others
 * derive from the same parts, and nobody derives without all of them.
 */
export const derivedId = async (prefix: string, parts: readonly string[], subtle: Digest = crypto.subtle): Promise<string> => {
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\n')))
  return `${prefix}${base32(new Uint8Array(digest), ID_LENGTH)}`
}

/** A date as `YYYY-MM-DD` in the local time zone (what the attendees call "today"). */
export const localDate = (now: Date): string => {
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/**
 * The meeting id of a call on a date, within a space: SHA-256 of space, call key and date.
 *
 * Every attendee of the call in the same space derives the same id without sharing anything,
 * so they land in one meeting. It is not guessable from the call address alone (it needs the
 * space id, which only holders of a join code have), and a recurring call gets a new meeting
 * the next day. The id is also the meeting's room (`<space>/<id>`), within `ROOM_ID_PATTERN`.
 */
export const callMeetingId = (
  space: string,
  call: CallAddress,
  date: string,
  subtle: Digest = crypto.subtle,
): Promise<string> => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`callMeetingId: date must be YYYY-MM-DD, got ${date}`)
  return derivedId('call-', [space, call.key, date], subtle)
}

/**
 * The series the meetings of one recurring call belong to: the same call address on any
 * date, within a space. Used as the meetings' `series` so "next meeting" and follow-up work
 * across the days of a standing call.
 */
export const callSeriesId = (space: string, call: CallAddress, subtle: Digest = crypto.subtle): Promise<string> =>
  derivedId('callseries-', [space, call.key], subtle)

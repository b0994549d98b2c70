/**
 * A short random id for people, agenda items, decisions and actions.
 *
 * Ids are created on one client and must not collide with ids another client creates at the
 * same moment, so they are random rather than counters: 16 characters of base 36 carry about
 * 82 bits.
 */
export const newId = (): string => {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  let id = ''
  for (const byte of bytes) id += (byte % 36).toString(36)
  return id
}

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

/**
 * A stable 32-bit hash (FNV-1a) of a text: the same on every client and platform. Used for
 * deterministic Yjs client ids, so content written identically on several clients merges into
 * one copy. It only needs to spread, not to be secret.
 */
export const stableHash32 = (text: string): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

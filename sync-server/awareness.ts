import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** One entry of a y-protocols awareness update. `state` is the JSON text; `'null'` removes. */
export interface AwarenessEntry {
  clientId: number
  clock: number
  state: string
}

/** Thrown for awareness payloads that are not y-protocols awareness updates. */
export class MalformedAwarenessError extends Error {
  override name = 'MalformedAwarenessError'
}

/** Decodes an awareness update, checking every state is JSON so no client gets one it cannot parse. */
export const decodeAwarenessUpdate = (update: Uint8Array, maxClients: number): AwarenessEntry[] | 'too-many-clients' => {
  const decoder = decoding.createDecoder(update)
  try {
    const count = decoding.readVarUint(decoder)
    if (count > maxClients) return 'too-many-clients'
    const entries: AwarenessEntry[] = []
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const state = decoding.readVarString(decoder)
      JSON.parse(state)
      entries.push({ clientId, clock, state })
    }
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
    return entries
  } catch (error) {
    throw new MalformedAwarenessError((error as Error).message)
  }
}

export const encodeAwarenessUpdate = (entries: readonly AwarenessEntry[]): Uint8Array => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, state)
  }
  return encoding.toUint8Array(encoder)
}

/** What one room's presence may hold (SPEC H8). */
export interface PresenceLimits {
  /** Client ids one connection may introduce. */
  perConnection: number
  /** Entries shown at once, and the bytes of their states: what a joiner's greeting can be. */
  entries: number
  bytes: number
}

/**
 * The presence of one room as the server knows it. The server forwards an entry only when its
 * clock advanced (SPEC P3): the stock client re-sends every entry it receives, and without this
 * filter an idle room of N attendees costs N² messages.
 *
 * A client id belongs to the identity (`identityOf`: token and address) that announced it
 * first, for as long as the room is loaded, even after that connection left: anyone else's
 * entry for it is dropped, so nobody can take a departed attendee's id with a huge clock and
 * hide them when they come back (SPEC H8).
 */
export class AwarenessTable<Owner> {
  private readonly entries = new Map<number, { clock: number; state: string; owner: Owner }>()
  /** Who announced each id first. Bounded: the oldest claims without a present entry go first. */
  private readonly claims = new Map<number, string>()
  private readonly maxClaims: number
  /** The ids each connection introduced. */
  private readonly introduced = new Map<Owner, Set<number>>()
  private bytes = 0

  constructor(
    private readonly limits: PresenceLimits,
    private readonly identityOf: (owner: Owner) => string,
  ) {
    this.maxClaims = 4 * limits.entries
  }

  /**
   * Keeps the entries that are news and returns them; the rest are echoes, someone else's ids,
   * or past the room's bound. `'too-many-ids'` (nothing kept) when `owner` would introduce
   * more ids than one connection may.
   */
  accept(incoming: readonly AwarenessEntry[], owner: Owner): AwarenessEntry[] | 'too-many-ids' {
    const identity = this.identityOf(owner)
    const mine = this.introduced.get(owner) ?? new Set<number>()
    const news = incoming.filter((entry) => this.isNews(entry, identity))
    const added = new Set(news.filter((e) => e.state !== 'null' && !mine.has(e.clientId)).map((e) => e.clientId))
    if (mine.size + added.size > this.limits.perConnection) return 'too-many-ids'
    const fresh: AwarenessEntry[] = []
    for (const entry of news) {
      const known = this.entries.get(entry.clientId)
      if (entry.state === 'null') {
        if (known === undefined) continue
        this.entries.delete(entry.clientId)
        this.bytes -= byteLength(known.state)
        fresh.push(entry)
        continue
      }
      const bytes = this.bytes - (known === undefined ? 0 : byteLength(known.state)) + byteLength(entry.state)
      // The room's bound: a newcomer past it is not shown (its document still syncs).
      if ((known === undefined && this.entries.size >= this.limits.entries) || bytes > this.limits.bytes) continue
      this.claim(entry.clientId, identity)
      mine.add(entry.clientId)
      this.entries.set(entry.clientId, { clock: entry.clock, state: entry.state, owner })
      this.bytes = bytes
      fresh.push(entry)
    }
    if (mine.size > 0) this.introduced.set(owner, mine)
    return fresh
  }

  /** Removes every entry `owner` holds (its connection closed) and returns the removals to send. Its claims stay. */
  removeOwner(owner: Owner): AwarenessEntry[] {
    this.introduced.delete(owner)
    const removals: AwarenessEntry[] = []
    for (const [clientId, entry] of this.entries) {
      if (entry.owner !== owner) continue
      this.entries.delete(clientId)
      this.bytes -= byteLength(entry.state)
      removals.push({ clientId, clock: entry.clock + 1, state: 'null' })
    }
    return removals
  }

  /** Does `owner` hold any present entry? */
  holds(owner: Owner): boolean {
    for (const entry of this.entries.values()) if (entry.owner === owner) return true
    return false
  }

  /** Every present entry, by the connection that holds it. */
  byOwner(): Map<Owner, AwarenessEntry[]> {
    const owners = new Map<Owner, AwarenessEntry[]>()
    for (const [clientId, { clock, state, owner }] of this.entries) {
      let list = owners.get(owner)
      if (list === undefined) owners.set(owner, (list = []))
      list.push({ clientId, clock, state })
    }
    return owners
  }

  /** Every present entry, for a newly connected client or a query-awareness message. */
  snapshot(): AwarenessEntry[] {
    return [...this.entries].map(([clientId, { clock, state }]) => ({ clientId, clock, state }))
  }

  get size(): number {
    return this.entries.size
  }

  private isNews(entry: AwarenessEntry, identity: string): boolean {
    const claim = this.claims.get(entry.clientId)
    // Someone else's id; this also stops the stock client's echoes of other attendees.
    if (claim !== undefined && claim !== identity) return false
    const known = this.entries.get(entry.clientId)
    const removal = entry.state === 'null'
    if (known === undefined) return !removal
    // Same identity: its own echo (same clock), or the attendee on a new connection (clock advanced).
    return entry.clock > known.clock || (entry.clock === known.clock && removal)
  }

  private claim(clientId: number, identity: string): void {
    if (this.claims.has(clientId)) return
    if (this.claims.size >= this.maxClaims) {
      for (const id of this.claims.keys()) {
        if (this.entries.has(id)) continue
        this.claims.delete(id)
        break
      }
    }
    this.claims.set(clientId, identity)
  }
}

const byteLength = (state: string): number => Buffer.byteLength(state)

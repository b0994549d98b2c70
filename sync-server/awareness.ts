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

/**
 * The presence of one room as the server knows it. The server forwards an entry only when its
 * clock advanced (SPEC P3): the stock client re-sends every entry it receives, and without this
 * filter an idle room of N attendees costs N² messages.
 */
export class AwarenessTable<Owner> {
  private readonly entries = new Map<number, { clock: number; state: string; owner: Owner }>()

  /** Keeps the entries that are news and returns them; the rest are echoes. */
  accept(incoming: readonly AwarenessEntry[], owner: Owner): AwarenessEntry[] {
    const fresh: AwarenessEntry[] = []
    for (const entry of incoming) {
      const known = this.entries.get(entry.clientId)
      const removal = entry.state === 'null'
      const isNews =
        known === undefined ? !removal : entry.clock > known.clock || (entry.clock === known.clock && removal)
      if (!isNews) continue
      // A client may only speak for ids it introduced; echoes of others never pass the clock test.
      if (known !== undefined && known.owner !== owner) continue
      if (removal) this.entries.delete(entry.clientId)
      else this.entries.set(entry.clientId, { clock: entry.clock, state: entry.state, owner })
      fresh.push(entry)
    }
    return fresh
  }

  /** Removes every entry `owner` introduced (its connection closed) and returns the removals to send. */
  removeOwner(owner: Owner): AwarenessEntry[] {
    const removals: AwarenessEntry[] = []
    for (const [clientId, entry] of this.entries) {
      if (entry.owner !== owner) continue
      this.entries.delete(clientId)
      removals.push({ clientId, clock: entry.clock + 1, state: 'null' })
    }
    return removals
  }

  /** Every present entry, for a newly connected client or a query-awareness message. */
  snapshot(): AwarenessEntry[] {
    return [...this.entries].map(([clientId, { clock, state }]) => ({ clientId, clock, state }))
  }

  get size(): number {
    return this.entries.size
  }
}

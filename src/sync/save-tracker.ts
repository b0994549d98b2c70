import * as Y from 'yjs'

/**
 * Knows what of a document is durably on the server, from the server's acknowledgements.
 *
 * An acknowledgement (`MessageType.durableAck`) carries a Yjs state vector whose content is all
 * on the server's disk. A state vector counts insertions only, so:
 * - inserted content is saved when, for every client id, the local clock is ≤ the acked clock;
 * - a change that only deletes does not move any clock. It is confirmed by a barrier: the
 *   server answers a sync step 1 with its step 2 only once everything received before that
 *   step 1 is stored (SPEC D1), so a step 2 that answers a step 1 sent after the deletion
 *   proves the deletion is on disk. At most one barrier is in flight at a time.
 *
 * `unsavedCount` = Σ over client ids of max(0, local clock − acked clock), i.e. the number of
 * inserted items (characters, list entries, map values) the server has not confirmed, plus one
 * per deletion-only change not yet confirmed. It is 0 exactly when everything local is on the
 * server's disk; it is not a count of keystrokes (a paste of 500 characters counts 500).
 */
/**
 * What this browser last knew to be on the server's disk for one document, kept across
 * sessions (IndexedDB) so a panel reopened offline can still count what the server lacks.
 */
export interface ServerConfirmed {
  /** Per Yjs client id, the clock up to which the server had confirmed content. */
  vector: Map<number, number>
  /** Deletion-only changes made here that the server had not confirmed yet. */
  pendingDeletions: number
}

export class SaveTracker {
  private acked: Map<number, number> | null = null
  /**
   * What the server has sent us. The server forwards and answers only what is already on its
   * disk (SPEC D1), so content received from it is saved without an ack. Kept across lost
   * connections (and, through `confirmed()`, across sessions): what others wrote must not
   * turn into "changes not yet on the server" the moment the server goes away.
   */
  private received = new Map<number, number>()
  /** Deletion-only local changes so far, and how many of them the server has confirmed. */
  private deletions = 0
  private confirmedDeletions = 0
  /** For each sync step 1 on the wire, in order: the deletions it will confirm when answered. */
  private step1InFlight: number[] = []

  /**
   * `known`: what an earlier session last saw confirmed. It stands in for an acknowledgement
   * until this session's first one (which replaces it: the server's disk now is what counts).
   */
  constructor(
    private readonly doc: Y.Doc,
    known?: ServerConfirmed,
  ) {
    if (known !== undefined) {
      this.acked = new Map(known.vector)
      this.deletions = known.pendingDeletions
    }
  }

  /** Has an acknowledgement arrived since the last `connectionLost`? */
  ackedThisConnection = false

  /** A local change that deleted without inserting. */
  deletionOnly(): void {
    this.deletions++
  }

  /** Is a sync step 1 on the wire? (At most one barrier at a time: its answer sends the next.) */
  get step1Pending(): boolean {
    return this.step1InFlight.length > 0
  }

  /** Whether deletions exist that no step 1 on the wire will confirm. */
  needsBarrier(): boolean {
    const covered = this.step1InFlight.reduce((max, d) => Math.max(max, d), this.confirmedDeletions)
    return covered < this.deletions
  }

  /** Any sync step 1 went to the server (the provider's on open, or a barrier). */
  step1Sent(): void {
    this.step1InFlight.push(this.deletions)
  }

  /** A sync step 2 arrived: it answers the oldest step 1 on the wire. */
  step2Received(): void {
    const confirms = this.step1InFlight.shift()
    if (confirms !== undefined) this.confirmedDeletions = Math.max(this.confirmedDeletions, confirms)
  }

  ack(stateVector: Map<number, number>): void {
    // The latest acknowledgement describes the server's disk now; do not merge with older ones
    // (a server that lost data must not be believed to still hold it).
    this.acked = stateVector
    this.ackedThisConnection = true
  }

  /** An update (step 2 or update message) arrived from the server; `to` is its end state per client. */
  receivedFromServer(to: Map<number, number>): void {
    for (const [client, clock] of to) this.received.set(client, Math.max(clock, this.received.get(client) ?? 0))
  }

  connectionLost(): void {
    this.step1InFlight = []
    this.ackedThisConnection = false
  }

  /** What to remember for the next session: everything known to be on the server's disk. */
  confirmed(): ServerConfirmed {
    const vector = new Map(this.acked ?? [])
    for (const [client, clock] of this.received) vector.set(client, Math.max(clock, vector.get(client) ?? 0))
    return { vector, pendingDeletions: this.deletions - this.confirmedDeletions }
  }

  get unsavedCount(): number {
    let unsaved = this.deletions - this.confirmedDeletions
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) {
      const saved = Math.max(this.acked?.get(client) ?? 0, this.received.get(client) ?? 0)
      unsaved += Math.max(0, clock - saved)
    }
    return unsaved
  }
}

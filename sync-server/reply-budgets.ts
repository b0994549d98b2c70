/**
 * What the server sends on request (a sync step 2, presence on query) is charged to a budget
 * of the token that asked, shared by all of that token's connections (SPEC H10): a new
 * connection does not come with a fresh budget, so one token opening and closing connections
 * to a large room is served at most `perSecond` bytes a second of replies, however many
 * sockets it cycles through. Connections of other tokens are not charged.
 */
export interface ReplyBudget {
  charge(bytes: number): void
  /** Not while the budget is in debt. */
  available(): boolean
  /** The connection that held it is gone; a full budget with no holder is forgotten. */
  release(): void
}

interface Bucket {
  tokens: number
  last: number
  holders: number
}

export class ReplyBudgets {
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The budget of `tokenId`, for one more connection. */
  acquire(tokenId: string): ReplyBudget {
    let bucket = this.buckets.get(tokenId)
    if (bucket === undefined) {
      bucket = { tokens: this.capacity, last: this.now(), holders: 0 }
      this.buckets.set(tokenId, bucket)
    }
    bucket.holders++
    const held = bucket
    let released = false
    return {
      charge: (bytes) => {
        this.refill(held)
        held.tokens -= bytes
      },
      available: () => {
        this.refill(held)
        return held.tokens > 0
      },
      release: () => {
        if (released) return
        released = true
        held.holders--
        this.refill(held)
        // Forgotten only when nothing is owed: a token must not shed its debt by disconnecting.
        if (held.holders === 0 && held.tokens >= this.capacity) this.buckets.delete(tokenId)
      },
    }
  }

  /** Tokens with a budget kept (for tests and metrics). */
  get size(): number {
    for (const [id, bucket] of this.buckets) {
      this.refill(bucket)
      if (bucket.holders === 0 && bucket.tokens >= this.capacity) this.buckets.delete(id)
    }
    return this.buckets.size
  }

  private refill(bucket: Bucket): void {
    const now = this.now()
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.last) / 1000) * this.perSecond)
    bucket.last = now
  }
}

import { CloseCode } from '../src/protocol'

/**
 * The close codes that say a connection broke a limit with what it sent or opened (SPEC H11):
 * a WebSocket protocol error (1002, 1007, 1009), bytes that are not the protocol (4400), a write
 * its role may not make (4403), oversized presence (4413), a rate (4429), an update too costly
 * to apply (4430), output it left unread (4504), and more connections than its token or address
 * may hold (4505, 4506). Not among them: what an honest client meets through no doing of its
 * own (a full room, 4503; a locked meeting, 4423; a reset, an expiry, a shutdown).
 */
export const MISCONDUCT: ReadonlySet<number> = new Set<number>([
  1002,
  1007,
  CloseCode.messageTooBig,
  CloseCode.malformedMessage,
  CloseCode.forbidden,
  CloseCode.awarenessTooLarge,
  CloseCode.rateLimited,
  CloseCode.updateTooExpensive,
  CloseCode.backlogged,
  CloseCode.tokenConnectionsFull,
  CloseCode.addressConnectionsFull,
])

interface Record {
  /** Closes it may still have before its connections wait; below 1, the next one waits. */
  balance: number
  last: number
  /** Upgrades of this identity waiting now. */
  waiting: number
}

/**
 * Connections closed for misconduct, by identity (token and address, as SPEC H8): each costs
 * one from a balance of `burst` that refills at `perSecond`. While the balance is below one, a
 * new connection of that identity waits until it would be one again before it is let in, so
 * an identity that reconnects as fast as it is closed is let in at `perSecond`, however fast
 * it tries, and an identity that never misbehaves never waits.
 */
export class Misconduct {
  private readonly records = new Map<string, Record>()

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A connection of `identity` was closed with `code`; counted if it is misconduct. */
  closed(identity: string, code: number): void {
    if (!MISCONDUCT.has(code)) return
    const record = this.refilled(identity)
    // However many connections broke the rules at once, the debt is at most one burst: the
    // longest wait is `burst / perSecond`.
    record.balance = Math.max(1 - this.burst, record.balance - 1)
  }

  /**
   * How long a new connection of `identity` waits before it is let in, in milliseconds (0: at
   * once), or `null` when `burst` of its connections already wait (refuse it). `done` must be
   * called when a waiting connection stops waiting.
   */
  admission(identity: string): { waitMs: number; done: () => void } | null {
    const record = this.records.get(identity)
    if (record === undefined) return { waitMs: 0, done: () => {} }
    this.refill(record)
    if (record.balance >= 1) {
      this.forgetIfClean(identity, record)
      return { waitMs: 0, done: () => {} }
    }
    if (record.waiting >= this.burst) return null
    record.waiting++
    let done = false
    return {
      waitMs: ((1 - record.balance) / this.perSecond) * 1000,
      done: () => {
        if (done) return
        done = true
        record.waiting--
      },
    }
  }

  /** Identities with a record kept (for tests). */
  get size(): number {
    for (const [identity, record] of this.records) {
      this.refill(record)
      this.forgetIfClean(identity, record)
    }
    return this.records.size
  }

  private refilled(identity: string): Record {
    let record = this.records.get(identity)
    if (record === undefined) {
      record = { balance: this.burst, last: this.now(), waiting: 0 }
      this.records.set(identity, record)
    }
    this.refill(record)
    return record
  }

  private refill(record: Record): void {
    const now = this.now()
    record.balance = Math.min(this.burst, record.balance + ((now - record.last) / 1000) * this.perSecond)
    record.last = now
  }

  /** A record back at a full balance with nobody waiting says nothing: forget it. */
  private forgetIfClean(identity: string, record: Record): void {
    if (record.balance >= this.burst && record.waiting === 0) this.records.delete(identity)
  }
}

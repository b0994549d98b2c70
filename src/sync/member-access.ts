import { HttpPath, encodeRenewAccess, type AccessGrant } from '../protocol'

/**
 * Why a member key gave no access token. `revoked`: the server does not (or no longer) know
 * the key, so asking again will not help; `unreachable`: no usable answer now (offline, the
 * server down or failing with a 5xx): try again later; `refused`: the server answered with
 * something else (an origin it does not allow, a malformed answer).
 */
export type AccessFailure = 'revoked' | 'unreachable' | 'refused'

/** `ws(s)://host/...` → `http(s)://host/access`, as `healthUrl` does for `/healthz`. */
export const accessUrl = (serverUrl: string): string => {
  const url = new URL(serverUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  url.pathname = HttpPath.access
  url.search = ''
  return url.toString()
}

const isGrant = (value: unknown): value is AccessGrant => {
  if (typeof value !== 'object' || value === null) return false
  const { token, expiresAt, member, space } = value as Record<string, unknown>
  if (typeof token !== 'string' || typeof expiresAt !== 'number' || typeof space !== 'string') return false
  if (typeof member !== 'object' || member === null) return false
  const { id, name, role } = member as Record<string, unknown>
  return typeof id === 'string' && typeof name === 'string' && typeof role === 'string'
}

/**
 * Trades a member key (from a personal join code) for a short-lived access token (SPEC I3).
 * The key travels only in the Authorization header, never in a URL. Never throws.
 */
export const fetchAccess = async (
  serverUrl: string,
  memberKey: string,
  fetchFn: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<{ ok: true; value: AccessGrant } | { ok: false; error: AccessFailure }> => {
  let response: Response
  try {
    response = await fetchFn(accessUrl(serverUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${memberKey}` },
      cache: 'no-store',
      credentials: 'omit',
    })
  } catch {
    return { ok: false, error: 'unreachable' }
  }
  if (response.status === 401) return { ok: false, error: 'revoked' }
  if (response.status >= 500) return { ok: false, error: 'unreachable' }
  if (!response.ok) return { ok: false, error: 'refused' }
  try {
    const body: unknown = await response.json()
    return isGrant(body) ? { ok: true, value: body } : { ok: false, error: 'refused' }
  } catch {
    return { ok: false, error: 'refused' }
  }
}

/**
 * Hands a fresh access token to an open connection (SPEC I6), so it stays open past the old
 * token's expiry: `sendRenewAccess((bytes) => provider.ws?.send(bytes), grant.token)`.
 */
export const sendRenewAccess = (send: (message: Uint8Array) => void, token: string): void => send(encodeRenewAccess(token))

/** Where a member's access stands: waiting for the first token, granted, revoked, or unreachable for now. */
export type MemberAccessState =
  | { kind: 'pending' }
  | { kind: 'granted'; grant: AccessGrant }
  | { kind: 'revoked' }
  | { kind: 'unreachable'; retryInMs: number }
  | { kind: 'refused'; retryInMs: number }

export interface MemberAccessOptions {
  serverUrl: string
  memberKey: string
  fetchFn?: typeof fetch
  /** Milliseconds since the epoch. */
  now?: () => number
  /** Renew this long before the token expires, at most a quarter of its life. Default 2 minutes. */
  renewAheadMs?: number
  /** First wait after a failed fetch, doubled up to `maxRetryMs`. Default 2 s and 60 s. */
  retryMs?: number
  maxRetryMs?: number
}

/**
 * A member's access, kept fresh: trades the member key for an access token at once, renews it
 * ahead of its expiry, retries with growing waits while the server cannot be reached, and
 * stops for good when the key is refused (revoked). Connections take it as their
 * `TokenSource`: `current()` is '' until the first token, and each renewal reaches them.
 */
export class MemberAccess {
  state: MemberAccessState = { kind: 'pending' }
  private readonly tokenListeners = new Set<(token: string) => void>()
  private readonly stateListeners = new Set<(state: MemberAccessState) => void>()
  private timer: ReturnType<typeof setTimeout> | null = null
  private failures = 0
  private destroyed = false
  private inFlight = false
  /** The server's clock minus this panel's, from the last grant (SPEC I3). */
  private offsetMs = 0
  private renewAt: number | null = null

  constructor(private readonly options: MemberAccessOptions) {
    void this.fetchNow()
  }

  current(): string {
    return this.state.kind === 'granted' ? this.state.grant.token : ''
  }

  /**
   * The server's clock minus this panel's, in milliseconds, as of the last grant (a few seconds
   * of network time aside): a connection checks a token's expiry on `Date.now() + offset`.
   */
  clockOffsetMs(): number {
    return this.offsetMs
  }

  /** Milliseconds until the next fetch (a renewal or a retry); `null` when none is planned. */
  renewsInMs(): number | null {
    return this.renewAt === null ? null : this.renewAt - this.now()
  }

  subscribe(listener: (token: string) => void): () => void {
    this.tokenListeners.add(listener)
    return () => this.tokenListeners.delete(listener)
  }

  onState(listener: (state: MemberAccessState) => void): () => void {
    this.stateListeners.add(listener)
    return () => this.stateListeners.delete(listener)
  }

  /** Tries again now (the browser came back online, or the user asked). */
  retry(): void {
    if (this.destroyed || this.state.kind === 'revoked') return
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    void this.fetchNow()
  }

  destroy(): void {
    this.destroyed = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.tokenListeners.clear()
    this.stateListeners.clear()
  }

  private async fetchNow(): Promise<void> {
    if (this.inFlight) return
    this.inFlight = true
    const result = await fetchAccess(this.options.serverUrl, this.options.memberKey, this.options.fetchFn)
    this.inFlight = false
    if (this.destroyed) return
    if (result.ok) {
      this.failures = 0
      const { serverTime, expiresAt } = result.value
      const now = this.now()
      // The token's life on the server's clock: a panel whose clock is off by more than that
      // would otherwise find every token expired, or renew it too late (SPEC I3).
      this.offsetMs = serverTime === undefined ? 0 : serverTime - now
      const lifeMs = expiresAt * 1000 - (serverTime ?? now)
      this.setState({ kind: 'granted', grant: result.value })
      for (const listener of [...this.tokenListeners]) listener(result.value.token)
      const ahead = Math.min(this.options.renewAheadMs ?? 120_000, Math.max(0, lifeMs / 4))
      this.schedule(Math.max(1_000, lifeMs - ahead))
      return
    }
    if (result.error === 'revoked') return this.setState({ kind: 'revoked' })
    const wait = Math.min((this.options.retryMs ?? 2_000) * 2 ** this.failures, this.options.maxRetryMs ?? 60_000)
    this.failures += 1
    // A token still valid keeps working meanwhile; only the state says the renewal failed.
    if (this.state.kind !== 'granted') this.setState({ kind: result.error, retryInMs: wait })
    this.schedule(wait)
  }

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  private schedule(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.renewAt = this.now() + ms
    this.timer = setTimeout(() => {
      this.timer = null
      this.renewAt = null
      void this.fetchNow()
    }, ms)
  }

  private setState(state: MemberAccessState): void {
    this.state = state
    for (const listener of [...this.stateListeners]) listener(state)
  }
}

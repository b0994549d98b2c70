/**
 * Answers "does the sync server answer HTTP at all?" A browser reports a refused WebSocket
 * upgrade (401/403) exactly like an unreachable server: close code 1006, no status. When the
 * server answers its health check but our sockets never open, the refusal is about us: the
 * token (or the origin).
 */
export type ServerProbe = (serverUrl: string) => Promise<boolean>

/** `ws(s)://host/...` → `http(s)://host/healthz`. */
export const healthUrl = (serverUrl: string): string => {
  const url = new URL(serverUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  url.pathname = '/healthz'
  url.search = ''
  return url.toString()
}

/**
 * A probe on `fetch`. `no-cors`: the answer's body is not needed, only that one came, so the
 * server needs no CORS headers. Any HTTP answer counts as reachable; a network error does not.
 */
export const fetchServerProbe =
  (fetchFn: typeof fetch): ServerProbe =>
  async (serverUrl) => {
    try {
      await fetchFn(healthUrl(serverUrl), { mode: 'no-cors', cache: 'no-store' })
      return true
    } catch {
      return false
    }
  }

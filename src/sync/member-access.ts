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

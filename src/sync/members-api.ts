import { HttpPath, type HttpError, type MemberInfo, type MemberListEntry, type Role } from '../protocol'

/**
 * The owner API of a space (SPEC I5), for the panel's Members section: list the members,
 * invite one (the answer carries the personal join code to hand over), revoke one. Each call
 * sends the owner's current access token in the Authorization header. Never throws: a failure
 * is a value the panel can name.
 */
export type MembersFailure = HttpError['error'] | 'unreachable'

export type MembersResult<T> = { ok: true; value: T } | { ok: false; error: MembersFailure }

const httpUrl = (serverUrl: string, path: string, query?: Record<string, string>): string => {
  const url = new URL(serverUrl)
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
  url.pathname = path
  url.search = query === undefined ? '' : new URLSearchParams(query).toString()
  return url.toString()
}

const call = async <T>(
  fetchFn: typeof fetch,
  url: string,
  token: string,
  body: unknown,
  read: (json: Record<string, unknown>) => T | null,
): Promise<MembersResult<T>> => {
  let response: Response
  try {
    response = await fetchFn(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      credentials: 'omit',
    })
  } catch {
    return { ok: false, error: 'unreachable' }
  }
  let json: Record<string, unknown> = {}
  try {
    json = (await response.json()) as Record<string, unknown>
  } catch {
    // A body that is not JSON: the status decides below.
  }
  if (!response.ok) {
    const error = typeof json.error === 'string' ? (json.error as HttpError['error']) : response.status >= 500 ? 'internal' : 'bad-request'
    return { ok: false, error }
  }
  const value = read(json)
  return value === null ? { ok: false, error: 'internal' } : { ok: true, value }
}

const isEntry = (value: unknown): value is MemberListEntry =>
  typeof value === 'object' && value !== null && typeof (value as MemberListEntry).id === 'string' && typeof (value as MemberListEntry).name === 'string'

export interface MembersApi {
  list(): Promise<MembersResult<MemberListEntry[]>>
  invite(name: string, role: Role): Promise<MembersResult<{ member: MemberInfo; joinCode: string }>>
  revoke(id: string): Promise<MembersResult<MemberListEntry>>
}

export const membersApi = (options: { serverUrl: string; space: string; token: () => string | null; fetchFn?: typeof fetch }): MembersApi => {
  const fetchFn = options.fetchFn ?? globalThis.fetch.bind(globalThis)
  const withToken = async <T>(run: (token: string) => Promise<MembersResult<T>>): Promise<MembersResult<T>> => {
    const token = options.token()
    return token === null ? { ok: false, error: 'unauthorized' } : run(token)
  }
  return {
    list: () =>
      withToken((token) =>
        call(fetchFn, httpUrl(options.serverUrl, HttpPath.members, { space: options.space }), token, undefined, (json) =>
          Array.isArray(json.members) ? json.members.filter(isEntry) : null,
        ),
      ),
    invite: (name, role) =>
      withToken((token) =>
        call(fetchFn, httpUrl(options.serverUrl, HttpPath.members), token, { space: options.space, name, role }, (json) =>
          isEntry(json.member) && typeof json.joinCode === 'string' ? { member: json.member, joinCode: json.joinCode } : null,
        ),
      ),
    revoke: (id) =>
      withToken((token) =>
        call(fetchFn, httpUrl(options.serverUrl, HttpPath.revokeMember), token, { space: options.space, id }, (json) =>
          isEntry(json.member) ? (json.member as MemberListEntry) : null,
        ),
      ),
  }
}

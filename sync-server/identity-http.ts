import type { IncomingMessage, ServerResponse } from 'node:http'
import { encodePersonalJoinCode } from '../src/join-code'
import { HttpPath, roomClaimGrants, type HttpError, type StampsAnswer } from '../src/protocol'
import { originAllowed } from './access'
import { errorSummary } from './commit-queue'
import { SPACE_ID_PATTERN, checkMemberInput, memberInfo, memberListEntry, type Identity } from './identity'
import type { Logger } from './logger'

/** The largest JSON body an identity request may have. */
const MAX_BODY_BYTES = 16 * 1024

export interface IdentityHttpOptions {
  allowedOrigins: readonly string[]
  /**
   * The server's address as clients reach it (`wss://minutes.example.org`), for the join codes
   * `POST /members` makes; `null` derives it from the request (its `Host`, TLS or
   * `X-Forwarded-Proto`).
   */
  publicUrl: string | null
  tls: boolean
  /** The stored rooms under a prefix and their stamps (`UpdateStore.stamps`, SPEC R1). */
  stamps(prefix: string): Promise<Map<string, string>>
}

const PATHS = new Set<string>(Object.values(HttpPath))

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpError['error'],
    message: string,
  ) {
    super(message)
  }
}

const bearerOf = (req: IncomingMessage): string | null => {
  const header = req.headers.authorization
  if (header === undefined) return null
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match === null ? null : match[1]!
}

const readJson = (req: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let bytes = 0
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.byteLength
      // Past the limit the rest is read and dropped, so the 413 still reaches the client.
      if (bytes > MAX_BODY_BYTES) return reject(new RequestError(413, 'bad-request', `the body is larger than ${MAX_BODY_BYTES} bytes`))
      chunks.push(chunk)
    })
    req.on('error', reject)
    req.on('end', () => {
      if (bytes > MAX_BODY_BYTES) return
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
        resolve(parsed as Record<string, unknown>)
      } catch {
        reject(new RequestError(400, 'bad-request', 'the body must be a JSON object'))
      }
    })
  })

/**
 * The server's JSON endpoints (SPEC I3, I5, R1): `POST /access`, `GET` and `POST /members`,
 * `POST /members/revoke`, `GET /stamps`. JSON in and out, `Cache-Control: no-store` (answers hold tokens and
 * keys), CORS for the allowed origins (SPEC A6; the panel is an extension page). Returns
 * `false` for a path that is not one of these, so the caller answers it.
 */
export const createIdentityHttp = (identity: Identity, options: IdentityHttpOptions, onRevoked: (memberId: string) => void, log: Logger) => {
  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    if (res.headersSent) return
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body))
  }
  const fail = (res: ServerResponse, status: number, error: HttpError['error'], message: string): void =>
    answer(res, status, { error, message } satisfies HttpError)

  const serverUrlOf = (req: IncomingMessage): string => {
    if (options.publicUrl !== null) return options.publicUrl
    const forwarded = req.headers['x-forwarded-proto']
    const secure = options.tls || (typeof forwarded === 'string' && forwarded.split(',')[0]!.trim() === 'https')
    return `${secure ? 'wss' : 'ws'}://${req.headers.host ?? '127.0.0.1'}`
  }

  const route = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> => {
    if (path === HttpPath.access) {
      if (req.method !== 'POST') throw new RequestError(405, 'bad-request', 'use POST')
      const key = bearerOf(req)
      const grant = key === null ? null : await identity.issueAccess(key)
      if (grant === null) return fail(res, 401, 'unauthorized', 'unknown or revoked member key')
      return answer(res, 200, grant)
    }
    if (path === HttpPath.stamps) {
      if (req.method !== 'GET') throw new RequestError(405, 'bad-request', 'use GET')
      const space = query.get('space') ?? ''
      if (!SPACE_ID_PATTERN.test(space)) throw new RequestError(400, 'bad-request', 'space must be a space id')
      const auth = await identity.reader(bearerOf(req), space)
      if (!auth.ok) return fail(res, auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message)
      // Only what the token would open at the upgrade (A3): a room's name and stamp are room bytes too (PRODUCT 5).
      const rooms: StampsAnswer['rooms'] = {}
      for (const [room, stamp] of await options.stamps(`${space}/`)) if (roomClaimGrants(auth.claims.room, room)) rooms[room] = stamp
      return answer(res, 200, { rooms } satisfies StampsAnswer)
    }
    if (path === HttpPath.members && req.method === 'GET') {
      const space = query.get('space') ?? ''
      const auth = await identity.owner(bearerOf(req), space)
      if (!auth.ok) return fail(res, auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message)
      return answer(res, 200, { members: (await identity.members(space)).map(memberListEntry) })
    }
    if (req.method !== 'POST') throw new RequestError(405, 'bad-request', path === HttpPath.members ? 'use GET or POST' : 'use POST')
    const body = await readJson(req)
    const space = typeof body.space === 'string' ? body.space : ''
    const auth = await identity.owner(bearerOf(req), space)
    if (!auth.ok) return fail(res, auth.status, auth.status === 401 ? 'unauthorized' : 'forbidden', auth.message)
    if (path === HttpPath.members) {
      const input = checkMemberInput(body)
      if (typeof input === 'string') throw new RequestError(400, 'bad-request', input)
      const { member, key } = await identity.invite(input)
      log.info({ member: member.id, role: member.role, by: auth.owner.id }, 'member invited')
      return answer(res, 200, { member: memberInfo(member), joinCode: encodePersonalJoinCode({ server: serverUrlOf(req), space, key }) })
    }
    if (typeof body.id !== 'string') throw new RequestError(400, 'bad-request', 'id must be a member id')
    const revoked = await identity.revoke(space, body.id)
    if (!revoked.ok) {
      return revoked.problem === 'last-owner'
        ? fail(res, 409, 'last-owner', 'this is the last owner of the space: make another member owner first')
        : fail(res, 404, 'not-found', 'no unrevoked member with this id in this space')
    }
    log.info({ member: revoked.member.id, by: auth.owner.id }, 'member revoked')
    onRevoked(revoked.member.id)
    return answer(res, 200, { member: memberListEntry(revoked.member) })
  }

  /** Handles `req` if it is an identity request; `false` leaves it to the caller. */
  return (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): boolean => {
    if (!PATHS.has(path)) return false
    const origin = req.headers.origin
    if (!originAllowed(origin, options.allowedOrigins)) {
      fail(res, 403, 'origin-not-allowed', 'this origin may not use the server')
      return true
    }
    if (origin !== undefined) {
      res.setHeader('access-control-allow-origin', origin)
      res.setHeader('vary', 'Origin')
    }
    if (req.method === 'OPTIONS') {
      // The preflight of a request with an Authorization header and a JSON body.
      res
        .writeHead(204, {
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'authorization, content-type',
          'access-control-max-age': '600',
        })
        .end()
      return true
    }
    route(req, res, path, query).catch((error: unknown) => {
      if (error instanceof RequestError) return fail(res, error.status, error.code, error.message)
      log.error({ err: errorSummary(error) }, 'identity request failed')
      fail(res, 500, 'internal', 'the server could not answer; try again')
    })
    return true
  }
}

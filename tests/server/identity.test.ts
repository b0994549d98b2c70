import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { decodeJwt } from 'jose'
import { describe, expect, it, onTestFinished } from 'vitest'
import { WebSocket } from 'ws'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { decodeAnyJoinCode } from '../../src/join-code'
import { CloseCode, HttpPath, type AccessGrant, type MemberListEntry } from '../../src/protocol'
import { fetchAccess, sendRenewAccess } from '../../src/sync/member-access'
import { ConfigError, parseConfig } from '../../sync-server/config'
import { createLogger } from '../../sync-server/logger'
import {
  TEST_SECRET,
  connectClient,
  createMember,
  makeToken,
  startTestServer,
  tempDir,
  whenDoc,
  whenSynced,
} from '../helpers/server'

const SPACE = 'space-1'
const ROOM = `${SPACE}/meeting`

/** A server on a real SQLite store in a temporary directory. */
const startServer = async (options: Parameters<typeof startTestServer>[0] = {}) => {
  const dir = tempDir()
  const server = await startTestServer({ dataDir: dir.path, ...options })
  onTestFinished(async () => {
    await server.close()
    dir.remove()
  })
  return Object.assign(server, { dataDir: dir.path })
}

const REPOSITORY = join(import.meta.dirname, '..', '..')

const httpUrl = (wsUrl: string, path: string): string => wsUrl.replace(/^ws/, 'http') + path

/** A request to the server's HTTP side: status and parsed JSON body (or `null`). */
const request = async (
  wsUrl: string,
  path: string,
  init: { method?: string; bearer?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> => {
  const headers: Record<string, string> = { ...init.headers }
  if (init.bearer !== undefined) headers.authorization = `Bearer ${init.bearer}`
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(httpUrl(wsUrl, path), {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers }
}

/** A stock client in `room`, destroyed when the test ends. */
const client = (url: string, token: string, room = ROOM, doc?: Y.Doc): WebsocketProvider => {
  const provider = connectClient(url, room, token, doc === undefined ? {} : { doc })
  onTestFinished(() => provider.destroy())
  return provider
}

/** The close code of the provider's next closed connection; rejects when none comes within `timeoutMs`. */
const nextClose = (provider: WebsocketProvider, timeoutMs = 10_000): Promise<number> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no close within ${timeoutMs} ms`)), timeoutMs)
    const onClose = (event: CloseEvent | null) => {
      clearTimeout(timer)
      provider.off('connection-close', onClose)
      resolve(event?.code ?? 0)
    }
    provider.on('connection-close', onClose)
  })

/** What an upgrade with this token gets: an HTTP status, or `'open'`. */
const upgrade = (url: string, room: string, token: string) =>
  new Promise<number | 'open'>((resolve) => {
    const ws = new WebSocket(`${url}/${room}?token=${encodeURIComponent(token)}`)
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
    })
    ws.on('open', () => {
      resolve('open')
      ws.close()
    })
    ws.on('error', () => {})
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('identity', () => {
  it('I3: an owner invites a member, whose personal join code gives a short-lived token for the space, which a stock client connects with', async () => {
    const server = await startServer({ accessTtlSeconds: 600 })
    const owner = await createMember(server, { space: SPACE, name: 'Olga Owner', role: 'owner' })
    const invited = await request(server.url, HttpPath.members, { bearer: owner.token, body: { space: SPACE, name: ' Anna Andersson ', role: 'editor' } })
    expect(invited.status).toBe(200)
    expect(invited.body.member).toEqual({ id: expect.stringMatching(/^m_[A-Za-z0-9_-]+$/), name: 'Anna Andersson', role: 'editor' })
    const code = decodeAnyJoinCode(invited.body.joinCode)
    if (!code.ok || code.value.kind !== 'member') throw new Error(`not a personal join code: ${JSON.stringify(code)}`)
    expect(code.value).toMatchObject({ server: server.url, space: SPACE, key: expect.stringMatching(/^mk1_[A-Za-z0-9_-]{43}$/) })

    const before = Math.floor(Date.now() / 1000)
    const access = await fetchAccess(code.value.server, code.value.key)
    if (!access.ok) throw new Error(access.error)
    const grant: AccessGrant = access.value
    expect(grant).toEqual({ token: expect.any(String), expiresAt: expect.any(Number), serverTime: expect.any(Number), member: invited.body.member, space: SPACE })
    expect(grant.expiresAt - before).toBeGreaterThanOrEqual(599)
    expect(grant.expiresAt - before).toBeLessThanOrEqual(601)
    expect(decodeJwt(grant.token)).toMatchObject({ room: `${SPACE}/*`, role: 'editor', name: 'Anna Andersson', sub: invited.body.member.id, exp: grant.expiresAt })

    const anna = client(server.url, grant.token)
    const olga = client(server.url, owner.token)
    await Promise.all([whenSynced(anna), whenSynced(olga)])
    anna.doc.getText('t').insert(0, 'hej')
    await whenDoc(olga.doc, (d) => d.getText('t').toString() === 'hej')
  })

  it('I3: an unknown key, a token instead of a key and no key get 401 with a JSON error; CORS answers the allowed origins only', async () => {
    const server = await startServer()
    for (const bearer of ['mk1_' + 'x'.repeat(43), await makeToken({ room: `${SPACE}/*` }), undefined]) {
      const answer = await request(server.url, HttpPath.access, { method: 'POST', ...(bearer === undefined ? {} : { bearer }) })
      expect(answer.status).toBe(401)
      expect(answer.body).toEqual({ error: 'unauthorized', message: expect.any(String) })
      expect(answer.headers.get('cache-control')).toBe('no-store')
    }
    expect(await fetchAccess(server.url, 'mk1_unknown')).toEqual({ ok: false, error: 'revoked' })
    expect(await fetchAccess('ws://127.0.0.1:1', 'mk1_unknown')).toEqual({ ok: false, error: 'unreachable' })

    const origin = 'chrome-extension://abcdefghijklmnop'
    const preflight = await request(server.url, HttpPath.access, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin)
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization')
    const member = await createMember(server, { space: SPACE, name: 'Anna', role: 'editor' })
    const fromPanel = await request(server.url, HttpPath.access, { method: 'POST', bearer: member.key, headers: { origin } })
    expect(fromPanel.status).toBe(200)
    expect(fromPanel.headers.get('access-control-allow-origin')).toBe(origin)
    const fromSite = await request(server.url, HttpPath.access, { method: 'POST', bearer: member.key, headers: { origin: 'https://evil.example.com' } })
    expect(fromSite.status).toBe(403)
    expect(fromSite.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('I3: the access lifetime is 15 min unless set, and the server refuses one longer than its maximum (12 h unless set)', () => {
    const env = { MINUTES_SECRET: TEST_SECRET }
    const config = (argv: string[], extra: Record<string, string> = {}) => parseConfig(argv, { ...env, ...extra })
    expect(config([])).toMatchObject({ accessTtlSeconds: 900, maxAccessTtlSeconds: 43_200 })
    expect(config(['--access-ttl', '2h'])).toMatchObject({ accessTtlSeconds: 7200 })
    expect(config([], { MINUTES_ACCESS_TTL: '30m' })).toMatchObject({ accessTtlSeconds: 1800 })
    expect(config(['--access-ttl', '60'], { MINUTES_ACCESS_TTL: '30m' })).toMatchObject({ accessTtlSeconds: 60 })
    expect(() => config(['--access-ttl', '13h'])).toThrow(/--access-ttl .* longer than --max-access-ttl/)
    expect(() => config(['--access-ttl', '2h', '--max-access-ttl', '1h'])).toThrow(ConfigError)
    expect(config(['--access-ttl', '1d'], { MINUTES_MAX_ACCESS_TTL: '2d' })).toMatchObject({ accessTtlSeconds: 86_400, maxAccessTtlSeconds: 172_800 })
    expect(() => config(['--access-ttl', 'soon'])).toThrow(/--access-ttl must be a duration/)
  })

  it('I4: a token with sub for no member is refused at the upgrade; a shared token without sub works as before', async () => {
    const server = await startServer()
    expect(await upgrade(server.url, ROOM, await makeToken({ room: `${SPACE}/*`, sub: 'm_nobody' }))).toBe(401)
    const member = await createMember(server, { space: 'space-2', name: 'Bo', role: 'editor' })
    // A token (signed with the secret) that names a member of another space opens nothing of this one.
    expect(await upgrade(server.url, ROOM, await makeToken({ room: `${SPACE}/*`, sub: member.member.id }))).toBe(401)
    expect(await upgrade(server.url, 'space-2/x', member.token)).toBe('open')
    const shared = client(server.url, await makeToken({ room: `${SPACE}/*` }))
    await whenSynced(shared)
  })

  it('I4: a viewer member cannot edit, even with a token that says editor', async () => {
    const server = await startServer()
    const editor = await createMember(server, { space: SPACE, name: 'Eva', role: 'editor' })
    const viewer = await createMember(server, { space: SPACE, name: 'Vera', role: 'viewer' })
    expect(decodeJwt(viewer.token).role).toBe('viewer')
    const inflated = await makeToken({ room: `${SPACE}/*`, role: 'editor', sub: viewer.member.id })
    const eva = client(server.url, editor.token)
    const vera = client(server.url, viewer.token)
    const vera2 = client(server.url, inflated)
    await Promise.all([whenSynced(eva), whenSynced(vera), whenSynced(vera2)])
    vera.doc.getText('t').insert(0, 'from the viewer ')
    vera2.doc.getText('t').insert(0, 'from the inflated token ')
    eva.doc.getText('t').insert(0, 'editor')
    await whenDoc(vera.doc, (d) => d.getText('t').toString().includes('editor'))
    await whenDoc(vera2.doc, (d) => d.getText('t').toString().includes('editor'))
    expect(eva.doc.getText('t').toString()).toBe('editor')
  })

  it('I4: a role lowered in the store applies at the next connect, whatever the token says', async () => {
    const server = await startServer()
    const owner = await createMember(server, { space: SPACE, name: 'Olga', role: 'owner' })
    const member = await createMember(server, { space: SPACE, name: 'Eva', role: 'editor' })
    const olga = client(server.url, owner.token)
    await whenSynced(olga)
    expect(await server.members.setMemberRole(SPACE, member.member.id, 'viewer')).toBe('done')
    const eva = client(server.url, member.token)
    await whenSynced(eva)
    eva.doc.getText('t').insert(0, 'demoted edit ')
    olga.doc.getText('t').insert(0, 'owner')
    await whenDoc(eva.doc, (d) => d.getText('t').toString().includes('owner'))
    expect(olga.doc.getText('t').toString()).toBe('owner')
    const access = await fetchAccess(server.url, member.key)
    expect(access.ok && access.value.member.role).toBe('viewer')
  })

  it('I5: a revoked member is closed with 4402 at once, then gets 401 from /access and at the upgrade', async () => {
    const server = await startServer()
    const owner = await createMember(server, { space: SPACE, name: 'Olga', role: 'owner' })
    const anna = await createMember(server, { space: SPACE, name: 'Anna', role: 'editor' })
    const other = await createMember(server, { space: SPACE, name: 'Bo', role: 'editor' })
    const annaA = client(server.url, anna.token)
    const annaB = client(server.url, anna.token, `${SPACE}/other-meeting`)
    const bo = client(server.url, other.token)
    await Promise.all([whenSynced(annaA), whenSynced(annaB), whenSynced(bo)])
    const closes = Promise.all([nextClose(annaA, 2_000), nextClose(annaB, 2_000)])
    const started = performance.now()
    const revoked = await request(server.url, HttpPath.revokeMember, { bearer: owner.token, body: { space: SPACE, id: anna.member.id } })
    expect(revoked.status).toBe(200)
    expect(revoked.body.member).toMatchObject({ id: anna.member.id, name: 'Anna', revokedAt: expect.any(Number) })
    expect(await closes).toEqual([CloseCode.revoked, CloseCode.revoked])
    expect(performance.now() - started).toBeLessThan(2_000)
    expect((await request(server.url, HttpPath.access, { method: 'POST', bearer: anna.key })).status).toBe(401)
    expect(await fetchAccess(server.url, anna.key)).toEqual({ ok: false, error: 'revoked' })
    expect(await upgrade(server.url, ROOM, anna.token)).toBe(401)
    // Nobody else was touched.
    bo.doc.getText('t').insert(0, 'still here')
    const check = client(server.url, owner.token)
    await whenDoc(check.doc, (d) => d.getText('t').toString() === 'still here')
    expect(bo.wsconnected).toBe(true)
  })

  it('I5: the owner API wants an owner of the space: 401 without a working token, 403 for an editor, a shared token or another space', async () => {
    const server = await startServer()
    const owner = await createMember(server, { space: SPACE, name: 'Olga', role: 'owner' })
    const editor = await createMember(server, { space: SPACE, name: 'Eva', role: 'editor' })
    const otherOwner = await createMember(server, { space: 'space-2', name: 'Otto', role: 'owner' })
    const shared = await makeToken({ room: `${SPACE}/*`, role: 'owner' })
    const list = (bearer?: string) => request(server.url, `${HttpPath.members}?space=${SPACE}`, bearer === undefined ? {} : { bearer })
    expect((await list()).status).toBe(401)
    expect((await list('not.a.token')).status).toBe(401)
    expect((await list(owner.key)).status).toBe(401) // a member key is no access token
    expect((await list(editor.token)).status).toBe(403)
    expect((await list(shared)).status).toBe(403)
    expect((await list(otherOwner.token)).status).toBe(403)
    const invite = (bearer: string) => request(server.url, HttpPath.members, { bearer, body: { space: SPACE, name: 'X', role: 'editor' } })
    expect((await invite(editor.token)).status).toBe(403)
    expect((await request(server.url, HttpPath.members, { body: { space: SPACE, name: 'X', role: 'editor' } })).status).toBe(401)
    const revokeOwner = (bearer: string) => request(server.url, HttpPath.revokeMember, { bearer, body: { space: SPACE, id: owner.member.id } })
    expect((await revokeOwner(editor.token)).status).toBe(403)
    expect((await request(server.url, HttpPath.members, { bearer: owner.token, body: { space: SPACE, name: '', role: 'editor' } })).status).toBe(400)
    expect((await request(server.url, HttpPath.members, { bearer: owner.token, body: { space: SPACE, name: 'X', role: 'admin' } })).status).toBe(400)

    const listed = await list(owner.token)
    expect(listed.status).toBe(200)
    const members: MemberListEntry[] = listed.body.members
    expect(members.map((m) => [m.name, m.role, m.revokedAt])).toEqual([
      ['Olga', 'owner', null],
      ['Eva', 'editor', null],
    ])
    for (const m of members) expect(Object.keys(m).sort()).toEqual(['createdAt', 'id', 'name', 'revokedAt', 'role'])
    expect(JSON.stringify(listed.body)).not.toMatch(/mk1_|hash/i)

    const last = await revokeOwner(owner.token)
    expect(last.status).toBe(409)
    expect(last.body.error).toBe('last-owner')
    const unknown = await request(server.url, HttpPath.revokeMember, { bearer: owner.token, body: { space: SPACE, id: 'm_nobody' } })
    expect(unknown.status).toBe(404)
    // What a peer sends is a status and a JSON error, never a crash (the house's second kind of error).
    const raw = (method: string, path: string, body: string) =>
      fetch(httpUrl(server.url, path), { method, headers: { authorization: `Bearer ${owner.token}` }, body }).then(async (r) => [r.status, (await r.json()).error])
    expect(await raw('POST', HttpPath.members, '{not json')).toEqual([400, 'bad-request'])
    expect(await raw('POST', HttpPath.members, '[1]')).toEqual([400, 'bad-request'])
    expect(await raw('POST', HttpPath.members, JSON.stringify({ space: SPACE, name: 'x'.repeat(20_000), role: 'editor' }))).toEqual([413, 'bad-request'])
    expect(await raw('PUT', HttpPath.access, '')).toEqual([405, 'bad-request'])
    expect((await list(owner.token)).body.members).toHaveLength(2)
  })

  it('I6: a connection that renews with 106 stays open past its first token; one that does not is closed with 4401', async () => {
    const server = await startServer({ accessTtlSeconds: 3, tokenCheckIntervalMs: 100 })
    const member = await createMember(server, { space: SPACE, name: 'Anna', role: 'editor' })
    const firstExp = decodeJwt(member.token).exp!
    const renewing = client(server.url, member.token)
    const lapsing = client(server.url, member.token)
    await Promise.all([whenSynced(renewing), whenSynced(lapsing)])
    let renewingClosed = false
    renewing.on('connection-close', () => (renewingClosed = true))
    // `exp` is in whole seconds, so a 3 s token lives 2–3 s: renew a second before it ends.
    await sleep(Math.max(0, (firstExp - 1) * 1000 - Date.now()))
    const fresh = await fetchAccess(server.url, member.key)
    if (!fresh.ok) throw new Error(fresh.error)
    expect(fresh.value.expiresAt).toBeGreaterThan(firstExp)
    sendRenewAccess((bytes) => renewing.ws!.send(bytes), fresh.value.token)
    expect(await nextClose(lapsing)).toBe(CloseCode.tokenExpired)
    expect(Date.now() / 1000).toBeGreaterThanOrEqual(firstExp)
    await sleep(200)
    expect(renewingClosed).toBe(false)
    const reader = client(server.url, (await createMember(server, { space: SPACE, name: 'Bo', role: 'viewer' })).token)
    await whenSynced(reader)
    renewing.doc.getText('t').insert(0, 'after renewal')
    await whenDoc(reader.doc, (d) => d.getText('t').toString() === 'after renewal')
    expect(renewingClosed).toBe(false)
  })

  it('I6: a renewal with a bad token or another member\'s closes with 4401; a revoked member\'s renewal closes with 4402', async () => {
    const server = await startServer()
    const anna = await createMember(server, { space: SPACE, name: 'Anna', role: 'editor' })
    const bo = await createMember(server, { space: SPACE, name: 'Bo', role: 'editor' })
    const cases: Array<[string, string]> = [
      ['garbage', 'not.a.token'],
      ['another member', bo.token],
      ['a shared token', await makeToken({ room: `${SPACE}/*` })],
      ['another space', await makeToken({ room: 'space-2/*', sub: anna.member.id })],
    ]
    for (const [kind, token] of cases) {
      const connection = client(server.url, anna.token)
      await whenSynced(connection)
      const closed = nextClose(connection)
      sendRenewAccess((bytes) => connection.ws!.send(bytes), token)
      expect({ kind, code: await closed }).toEqual({ kind, code: CloseCode.tokenExpired })
      connection.destroy()
    }
    // Revoked in the store by another process: the server learns it at the renewal.
    const connection = client(server.url, anna.token)
    await whenSynced(connection)
    const stillValid = (await fetchAccess(server.url, anna.key)) as { ok: true; value: AccessGrant }
    expect(await server.members.revokeMember(SPACE, anna.member.id, Date.now())).toBe('done')
    const closed = nextClose(connection)
    sendRenewAccess((bytes) => connection.ws!.send(bytes), stillValid.value.token)
    expect(await closed).toBe(CloseCode.revoked)
  })

  it('I7: a member\'s presence shows its verified name and member id, whatever the client announced', async () => {
    const server = await startServer()
    const anna = await createMember(server, { space: SPACE, name: 'Anna Andersson', role: 'editor' })
    const viewer = await createMember(server, { space: SPACE, name: 'Vera', role: 'viewer' })
    const shared = await makeToken({ room: `${SPACE}/*` })
    const watcher = client(server.url, shared)
    const liar = client(server.url, anna.token)
    const quiet = client(server.url, viewer.token)
    const guest = client(server.url, shared)
    await Promise.all([whenSynced(watcher), whenSynced(liar), whenSynced(quiet), whenSynced(guest)])
    liar.awareness.setLocalState({ user: { name: 'The Chair', color: '#112233' }, cursor: { anchor: 1 } })
    quiet.awareness.setLocalState({ user: { name: 'Someone Else', color: '#445566' }, cursor: { anchor: 2 } })
    guest.awareness.setLocalState({ user: { name: 'Guest', color: '#778899' } })
    const stateOf = (provider: WebsocketProvider) => watcher.awareness.getStates().get(provider.awareness.clientID) as any
    await new Promise<void>((resolve) => {
      const check = () => {
        if (stateOf(liar) && stateOf(quiet) && stateOf(guest)) {
          watcher.awareness.off('change', check)
          resolve()
        }
      }
      watcher.awareness.on('change', check)
      check()
    })
    expect(stateOf(liar)).toEqual({ user: { name: 'Anna Andersson', color: '#112233', memberId: anna.member.id }, cursor: { anchor: 1 } })
    expect(stateOf(quiet)).toEqual({ user: { name: 'Vera', color: '#445566', memberId: viewer.member.id }, viewer: true })
    // A shared token has no verified name: its presence is as announced (SPEC P3).
    expect(stateOf(guest)).toEqual({ user: { name: 'Guest', color: '#778899' } })
  })

  it('A7, I2: member keys and access tokens never reach the logs', async () => {
    const lines: string[] = []
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) })
    const server = await startServer({ logger })
    const owner = await createMember(server, { space: SPACE, name: 'Olga', role: 'owner' })
    const invited = await request(server.url, HttpPath.members, { bearer: owner.token, body: { space: SPACE, name: 'Anna', role: 'editor' } })
    const code = decodeAnyJoinCode(invited.body.joinCode)
    const key = code.ok && code.value.kind === 'member' ? code.value.key : ''
    await request(server.url, HttpPath.revokeMember, { bearer: owner.token, body: { space: SPACE, id: invited.body.member.id } })
    await request(server.url, HttpPath.access, { method: 'POST', bearer: key })
    expect(lines.some((l) => l.includes('member revoked'))).toBe(true)
    const text = lines.join('\n')
    for (const secret of [owner.key, owner.token, key, invited.body.joinCode]) expect(text).not.toContain(secret)
  })

  it('I1: npm run invite adds a member beside the running server and prints a personal join code that works', async () => {
    const server = await startServer()
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'sync-server/invite-cli.ts', ...args], { cwd: REPOSITORY, env: { ...process.env, MINUTES_SECRET: '' } })
    const { stdout } = await run(['--data', server.dataDir, '--space', SPACE, '--name', 'Anna Andersson', '--role', 'viewer', '--public-url', server.url, '--json'])
    const printed = JSON.parse(stdout) as { member: { id: string; name: string; role: string }; joinCode: string }
    expect(printed.member).toMatchObject({ name: 'Anna Andersson', role: 'viewer' })
    const code = decodeAnyJoinCode(printed.joinCode)
    if (!code.ok || code.value.kind !== 'member') throw new Error('not a personal join code')
    expect(stdout).not.toContain(code.value.key) // only inside the join code
    const access = await fetchAccess(code.value.server, code.value.key)
    expect(access.ok && access.value.member).toEqual(printed.member)
    await expect(run(['--data', join(server.dataDir, 'elsewhere'), '--space', SPACE, '--name', 'X'])).rejects.toMatchObject({ stderr: expect.stringContaining('no store in') })
    await expect(run(['--data', server.dataDir, '--space', SPACE, '--name', 'X', '--role', 'boss'])).rejects.toMatchObject({ stderr: expect.stringContaining('role must be') })
  })
})

import * as Y from 'yjs'
import { describe, expect, it, onTestFinished } from 'vitest'
import { Origin } from '../../src/doc/origins'
import { MemberAccess, type MemberAccessState } from '../../src/sync'
import { addMember } from '../../sync-server/identity'
import { connect, kindIs, recordStatuses, startServer, whenStatus } from './sync-helpers'
import { startTestServer, whenDoc } from '../helpers/server'

const whenAccess = (access: MemberAccess, kind: MemberAccessState['kind'], timeoutMs = 10_000): Promise<MemberAccessState> =>
  access.state.kind === kind
    ? Promise.resolve(access.state)
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`access not ${kind} within ${timeoutMs} ms: ${JSON.stringify(access.state)}`)), timeoutMs)
        const stop = access.onState((state) => {
          if (state.kind !== kind) return
          clearTimeout(timer)
          stop()
          resolve(state)
        })
      })

describe('a member’s access in the panel (SPEC I3, I5, I6)', () => {
  it('I6: an access token that expires every 3 s is renewed on the open socket: the connection never closes and edits keep arriving', async () => {
    const server = await startTestServer({ accessTtlSeconds: 3, tokenCheckIntervalMs: 100 })
    onTestFinished(() => server.close())
    const { key } = await addMember(server.members, { space: 'space-1', name: 'Anna Andersson', role: 'editor' })
    // `exp` is whole seconds: a 3 s token lives 2–3 s, renewed a quarter of that (0.5–0.75 s) ahead.
    const access = new MemberAccess({ serverUrl: server.url, memberKey: key, renewAheadMs: 1_000 })
    onTestFinished(() => access.destroy())
    const renewals: string[] = []
    access.subscribe((token) => renewals.push(token))

    const a = await connect(server, 'space-1/m1', { token: access })
    const seen = recordStatuses(a)
    await whenStatus(a, kindIs('saved'))
    const b = await connect(server, 'space-1/m1')
    // 7 s: the first token and at least two more have expired meanwhile.
    for (let second = 0; second < 7; second++) {
      a.doc.transact(() => a.doc.getText('t').insert(a.doc.getText('t').length, String(second)), Origin.localForm)
      await whenDoc(b.doc, (doc) => doc.getText('t').toString().endsWith(String(second)))
      await new Promise((resolve) => setTimeout(resolve, 1_000))
    }
    expect(renewals.length).toBeGreaterThanOrEqual(3)
    expect(seen.filter((status) => status.kind === 'connecting' || status.kind === 'auth-failed')).toEqual([{ kind: 'connecting', attempt: 0, unsaved: 0 }])
    expect(a.status.kind).toBe('saved')
  })

  it('I5: a revoked member’s access turns revoked: its open connection is closed (4402) and no new token comes', async () => {
    const server = await startServer()
    const { member, key } = await addMember(server.members, { space: 'space-1', name: 'Bo Berg', role: 'editor' })
    const access = new MemberAccess({ serverUrl: server.url, memberKey: key })
    onTestFinished(() => access.destroy())
    const a = await connect(server, 'space-1/m1', { token: access, doc: new Y.Doc() })
    await whenStatus(a, kindIs('saved'))
    expect(await server.members.revokeMember('space-1', member.id, Date.now())).toBe('done')
    server.closeMemberConnections(member.id)
    await whenStatus(a, (status) => status.kind === 'auth-failed' && status.reason === 'revoked')
    await whenAccess(access, 'revoked')
    expect(access.current()).toBe('')
  })

  it('waits for its first token without failing while the server cannot be reached, and connects when it can', async () => {
    let reachable = false
    const server = await startServer()
    const { key } = await addMember(server.members, { space: 'space-1', name: 'Cia Dahl', role: 'editor' })
    const fetchFn: typeof fetch = (input, init) => (reachable ? fetch(input, init) : Promise.reject(new TypeError('network down')))
    const access = new MemberAccess({ serverUrl: server.url, memberKey: key, fetchFn, retryMs: 50, maxRetryMs: 100 })
    onTestFinished(() => access.destroy())
    const a = await connect(server, 'space-1/m1', { token: access })
    await whenAccess(access, 'unreachable')
    expect(a.status.kind).toBe('connecting')
    reachable = true
    await whenStatus(a, kindIs('saved'))
  })

  it('I3: a panel whose clock is two hours off still connects and renews on the server’s clock, not every second', async () => {
    const server = await startServer()
    const { key } = await addMember(server.members, { space: 'space-1', name: 'Dan Ek', role: 'editor' })
    for (const skewMs of [2 * 3_600_000, -2 * 3_600_000]) {
      let fetches = 0
      const fetchFn: typeof fetch = (input, init) => {
        fetches++
        return fetch(input, init)
      }
      const now = () => Date.now() + skewMs
      const access = new MemberAccess({ serverUrl: server.url, memberKey: key, fetchFn, now })
      onTestFinished(() => access.destroy())
      const a = await connect(server, 'space-1/m1', { token: access, now })
      await whenStatus(a, kindIs('saved'))
      // A 15-minute token: renewed about 13 minutes from now on the server's clock, whatever the panel's says.
      expect(access.renewsInMs()).toBeGreaterThan(10 * 60_000)
      expect(access.renewsInMs()).toBeLessThan(15 * 60_000)
      expect(fetches).toBe(1)
      a.destroy()
      access.destroy()
    }
  })
})

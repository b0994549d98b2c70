import { describe, expect, it, onTestFinished } from 'vitest'
import * as Y from 'yjs'
import { HttpPath, type StampsAnswer } from '../../src/protocol'
import { fetchStamps } from '../../src/sync/replication'
import { connectClient, createMember, makeToken, startTestServer, tempDir, whenDoc, whenSynced } from '../helpers/server'

const SPACE = 'space-1'

const startServer = async () => {
  const dir = tempDir()
  const server = await startTestServer({ dataDir: dir.path })
  onTestFinished(async () => {
    await server.close()
    dir.remove()
  })
  return server
}

/** Writes `text` into `room` through a stock client and waits until the server has stored it (its echo to a second client). */
const write = async (url: string, room: string, text: string): Promise<void> => {
  const token = await makeToken({ room })
  const writer = connectClient(url, room, token)
  const reader = connectClient(url, room, token)
  try {
    await Promise.all([whenSynced(writer), whenSynced(reader)])
    writer.doc.getText('t').insert(0, text)
    // The server forwards only what is on disk (SPEC D1): the reader has it, so the store has it.
    await whenDoc(reader.doc, (d) => d.getText('t').toString().includes(text))
  } finally {
    writer.destroy()
    reader.destroy()
  }
}

const stamps = async (url: string, space: string, bearer?: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${url.replace(/^ws/, 'http')}${HttpPath.stamps}?space=${space}`, {
    headers: { ...headers, ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }) },
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as StampsAnswer & { error?: string } }
}

describe('stamps endpoint', () => {
  it('R1: lists every stored room of the space with a stamp that changes when the room changes, and no room of another space', async () => {
    const server = await startServer()
    await write(server.url, `${SPACE}/a`, 'one')
    await write(server.url, `${SPACE}/b`, 'two')
    await write(server.url, 'space-10/c', 'elsewhere')
    const token = await makeToken({ room: `${SPACE}/*`, role: 'viewer' })
    const first = await stamps(server.url, SPACE, token)
    expect(first.status).toBe(200)
    expect(first.headers.get('cache-control')).toBe('no-store')
    expect(Object.keys(first.body.rooms).sort()).toEqual([`${SPACE}/a`, `${SPACE}/b`])

    await write(server.url, `${SPACE}/a`, 'more')
    const second = await stamps(server.url, SPACE, token)
    expect(second.body.rooms[`${SPACE}/a`]).not.toBe(first.body.rooms[`${SPACE}/a`])
    expect(second.body.rooms[`${SPACE}/b`]).toBe(first.body.rooms[`${SPACE}/b`])
    // The panel's client reads the same answer.
    const read = await fetchStamps(server.url, SPACE, token)
    expect(read).toEqual({ ok: true, rooms: new Map(Object.entries(second.body.rooms)) })
  })

  it('R1: a token whose room claim grants some rooms of the space lists only those, not even the names of the rest', async () => {
    const server = await startServer()
    for (const room of ['a-1', 'a-2', 'b-1']) await write(server.url, `${SPACE}/${room}`, room)
    const onlyA = await stamps(server.url, SPACE, await makeToken({ room: `${SPACE}/a-*` }))
    expect(Object.keys(onlyA.body.rooms).sort()).toEqual([`${SPACE}/a-1`, `${SPACE}/a-2`])
    const one = await stamps(server.url, SPACE, await makeToken({ room: `${SPACE}/b-1` }))
    expect(Object.keys(one.body.rooms)).toEqual([`${SPACE}/b-1`])
  })

  it('R1: another space is refused with 403; no, a bad or an expired token with 401; a revoked member with 401', async () => {
    const server = await startServer()
    await write(server.url, `${SPACE}/a`, 'one')
    await write(server.url, 'space-2/x', 'two')
    expect((await stamps(server.url, 'space-2', await makeToken({ room: `${SPACE}/*` }))).status).toBe(403)
    const member = await createMember(server, { space: SPACE, name: 'Anna', role: 'editor' })
    expect((await stamps(server.url, 'space-2', member.token)).status).toBe(403)
    expect((await stamps(server.url, SPACE)).status).toBe(401)
    expect((await stamps(server.url, SPACE, 'not-a-token')).status).toBe(401)
    expect((await stamps(server.url, SPACE, await makeToken({ room: `${SPACE}/*`, ttlSeconds: -10 }))).status).toBe(401)

    const ok = await stamps(server.url, SPACE, member.token)
    expect(Object.keys(ok.body.rooms)).toEqual([`${SPACE}/a`])
    await server.members.revokeMember(SPACE, member.member.id, Date.now())
    const revoked = await stamps(server.url, SPACE, member.token)
    expect(revoked.status).toBe(401)
    expect(revoked.body.rooms).toBeUndefined()
    expect(await fetchStamps(server.url, SPACE, member.token)).toEqual({ ok: false, error: 'unauthorized' })
  })

  it('R1: browser pages may ask from the allowed origins only, with CORS headers and a preflight answer', async () => {
    const server = await startServer()
    const token = await makeToken({ room: `${SPACE}/*` })
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'
    const fromPanel = await stamps(server.url, SPACE, token, { origin })
    expect(fromPanel.status).toBe(200)
    expect(fromPanel.headers.get('access-control-allow-origin')).toBe(origin)
    expect((await stamps(server.url, SPACE, token, { origin: 'https://evil.example.com' })).status).toBe(403)
    const preflight = await fetch(`${server.url.replace(/^ws/, 'http')}${HttpPath.stamps}?space=${SPACE}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization')
  })

  it('R1: the stamp moves with every stored update, across compactions', async () => {
    const server = await startTestServer({ compactThreshold: 3 })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: `${SPACE}/*` })
    const room = `${SPACE}/a`
    const doc = new Y.Doc()
    const writer = connectClient(server.url, room, token, { doc })
    onTestFinished(() => writer.destroy())
    await whenSynced(writer)
    const seen = new Set<string>()
    for (let i = 0; i < 6; i++) {
      doc.getText('t').insert(0, String(i))
      await new Promise((resolve) => setTimeout(resolve, 30))
      seen.add((await stamps(server.url, SPACE, token)).body.rooms[room]!)
    }
    expect(seen.size).toBe(6)
  })
})

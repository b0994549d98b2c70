import * as encoding from 'lib0/encoding'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import * as Y from 'yjs'
import { CloseCode, LockShape, MessageType } from '../../src/protocol'
import { lockThroughServer } from '../helpers/adjustment'
import { connectClient, makeToken, memberToken, startTestServer, tempDir, whenDoc, whenSynced } from '../helpers/server'

const ROOM = 'space-1/lg-2026-11-25'

const closeCodeOf = (provider: ReturnType<typeof connectClient>): Promise<number> =>
  new Promise((resolve) => {
    const onClose = (event: { code: number } | null) => {
      provider.off('connection-close', onClose)
      resolve(event?.code ?? 0)
    }
    provider.on('connection-close', onClose)
  })

const sendReopen = (provider: ReturnType<typeof connectClient>, reason: string, name?: string): void => {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.reopen)
  encoding.writeVarString(encoder, reason)
  if (name !== undefined) encoding.writeVarString(encoder, name)
  provider.ws!.send(encoding.toUint8Array(encoder))
}

const setup = async () => {
  const data = tempDir()
  onTestFinished(data.remove)
  const server = await startTestServer({ dataDir: data.path })
  onTestFinished(() => server.close())
  const editorToken = await memberToken(server, { space: 'space-1', name: 'Sekreteraren', sub: 'm-sekreteraren' })
  const open = (token = editorToken) => {
    const provider = connectClient(server.url, ROOM, token)
    onTestFinished(() => provider.destroy())
    return provider
  }
  /** The lock as the server writes it (SPEC J7), once `provider`'s content is on the server. */
  const lock = async (provider: ReturnType<typeof connectClient>): Promise<void> => {
    await lockThroughServer(server, ROOM)
    await whenDoc(provider.doc, (d) => d.getMap(LockShape.root).get(LockShape.locked) === true)
  }
  return { server, data, editorToken, open, lock }
}

describe('adjusted meetings are locked on the server', () => {
  it('L1/L2, J7: after the lock the server wrote, a stock client with an editor token cannot change the meeting on the server', async () => {
    const { server, data, open, lock } = await setup()
    const secretary = open()
    await whenSynced(secretary)
    secretary.doc.getText('t').insert(0, 'Justerat protokoll')
    await lock(secretary)

    const intruder = open()
    await whenSynced(intruder)
    await whenDoc(intruder.doc, (d) => d.getMap(LockShape.root).get(LockShape.locked) === true)
    const closed = closeCodeOf(intruder)
    intruder.doc.getText('t').insert(0, 'Ändrat i efterhand: ')
    expect(await closed).toBe(CloseCode.meetingLocked)
    intruder.disconnect()

    // Not in memory, not on disk: a fresh client after a restart sees the adjusted text.
    await server.close()
    const again = await startTestServer({ dataDir: data.path })
    onTestFinished(() => again.close())
    const reader = connectClient(again.url, ROOM, await makeToken({ room: ROOM, role: 'viewer' }))
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    expect(reader.doc.getText('t').toString()).toBe('Justerat protokoll')
  })

  it('L2: attendees who changed nothing still connect and sync a locked meeting', async () => {
    const { open, lock } = await setup()
    const secretary = open()
    await whenSynced(secretary)
    secretary.doc.getText('t').insert(0, 'Justerat')
    await lock(secretary)
    const late = open()
    await whenSynced(late)
    await whenDoc(late.doc, (d) => d.getText('t').toString() === 'Justerat')
    // Reconnect: the client re-sends its whole state (nothing new) and must not be refused.
    const closes: number[] = []
    late.on('connection-close', (e: { code: number } | null) => closes.push(e?.code ?? 0))
    late.disconnect()
    late.connect()
    await whenSynced(late)
    secretary.disconnect()
    secretary.connect()
    await whenSynced(secretary)
    expect(closes.filter((c) => c === CloseCode.meetingLocked)).toEqual([])
  })

  it('L3: an editor reopens the meeting with a recorded reason, then edits are accepted again', async () => {
    const { open, lock } = await setup()
    const secretary = open()
    await whenSynced(secretary)
    secretary.doc.getText('t').insert(0, 'Justerat')
    await lock(secretary)
    const other = open()
    await whenSynced(other)
    await whenDoc(other.doc, (d) => d.getMap(LockShape.root).get(LockShape.locked) === true)

    sendReopen(secretary, 'Fel datum i rubriken')
    await whenDoc(other.doc, (d) => d.getMap(LockShape.root).get(LockShape.locked) === false)
    const reopenings = (other.doc.getMap(LockShape.root).get(LockShape.reopenings) as Y.Array<{ by: string; at: string; reason: string }>).toArray()
    expect(reopenings).toEqual([
      { by: 'Sekreteraren', memberId: 'm-sekreteraren', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), reason: 'Fel datum i rubriken' },
    ])
    other.doc.getText('t').insert(0, 'Rättat: ')
    await whenDoc(secretary.doc, (d) => d.getText('t').toString() === 'Rättat: Justerat')
  })

  it('L3, J9: who reopened is the token’s word: a name the editor sends is ignored, and a token naming nobody closes with 4403', async () => {
    const { open, lock } = await setup()
    const named = open(await makeToken({ room: 'space-1/*', name: 'Karin Berg' }))
    await whenSynced(named)
    await lock(named)
    const anonymous = open(await makeToken({ room: 'space-1/*' }))
    await whenSynced(anonymous)
    const closed = closeCodeOf(anonymous)
    sendReopen(anonymous, 'Komplettering', 'Karin Berg')
    expect(await closed).toBe(CloseCode.forbidden)
    anonymous.disconnect()
    sendReopen(named, 'Komplettering', 'Någon annan')
    await whenDoc(named.doc, (d) => d.getMap(LockShape.root).get(LockShape.locked) === false)
    const reopenings = (named.doc.getMap(LockShape.root).get(LockShape.reopenings) as Y.Array<{ by: string; memberId: string }>).toArray()
    expect(reopenings.map((r) => [r.by, r.memberId])).toEqual([['Karin Berg', '']])
  })

  it('L3: a viewer cannot reopen', async () => {
    const { open, lock } = await setup()
    const secretary = open()
    await whenSynced(secretary)
    await lock(secretary)
    const viewer = open(await makeToken({ room: ROOM, role: 'viewer' }))
    await whenSynced(viewer)
    await whenDoc(viewer.doc, (d) => d.getMap(LockShape.root).get(LockShape.locked) === true)
    const closed = closeCodeOf(viewer)
    sendReopen(viewer, 'vill ändra')
    expect(await closed).toBe(CloseCode.forbidden)
    viewer.disconnect()
    await vi.waitFor(() => expect(secretary.doc.getMap(LockShape.root).get(LockShape.locked)).toBe(true))
  })
})

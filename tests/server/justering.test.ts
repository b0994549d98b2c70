import * as decoding from 'lib0/decoding'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { getAdjustment, getAdjustmentMap, getApprovalsMap, isLocked, loadAdjustedVersion } from '../../src/doc/adjustment'
import { buildMeeting } from '../../src/doc/build'
import { contentHash } from '../../src/doc/content-hash'
import { updatePerson } from '../../src/doc/people'
import { CloseCode, MessageType, encodeAdjustmentRequest, type AdjustmentRequest } from '../../src/protocol'
import { connectClient, makeToken, memberToken, startTestServer, storedRows, tempDir, whenDoc, whenSynced } from '../helpers/server'
import { openRawClient, updateMessage, whenClosed } from './fuzz-wire'

// SPEC J: a justering no one can forge. The server marks final, records approvals and writes
// the lock; what a client writes into those roots is refused.

const SPACE = 'kommun'
const ROOM = `${SPACE}/fsg-2023-09-25`

const notes = (doc: Y.Doc): Y.Text => doc.getText('notes')

/** FSG's minutes (seed 001): Cecilia and Mounir adjust, Ingrid keeps the minutes; all three are members. */
const writeMeeting = (doc: Y.Doc): void => {
  buildMeeting(doc, {
    meta: { title: 'Samverkansgrupp FSG', secretary: 'Ingrid Nyman', secretaryMemberId: 'm-ingrid' },
    people: [
      { id: 'cc', name: 'Cecilia', adjuster: true, memberId: 'm-cecilia' },
      { id: 'mm', name: 'Mounir', adjuster: true, memberId: 'm-mounir' },
      { id: 'in', name: 'Ingrid Nyman', memberId: 'm-ingrid' },
      { id: 'gg', name: 'Gäst Gästsson', attendance: 'guest' },
    ],
    items: [{ id: 'val', title: 'Val av justerare' }],
  })
  notes(doc).insert(0, 'Cecilia och Mounir valdes till justerare.')
}

/** Every refusal (message 105) a stock client receives, in order. */
const refusalsOf = (provider: WebsocketProvider): { all: string[]; next: () => Promise<string> } => {
  const all: string[] = []
  const waiters: Array<(reason: string) => void> = []
  provider.messageHandlers[MessageType.adjustmentRefused] = (_encoder, decoder) => {
    const reason = decoding.readVarString(decoder)
    all.push(reason)
    waiters.shift()?.(reason)
  }
  return { all, next: () => new Promise((resolve) => waiters.push(resolve)) }
}

const send = (provider: WebsocketProvider, request: AdjustmentRequest): void => provider.ws!.send(encodeAdjustmentRequest(request))

const closeCodeOf = (provider: WebsocketProvider): Promise<number> =>
  new Promise((resolve) => {
    const onClose = (event: { code: number } | null) => {
      provider.off('connection-close', onClose)
      resolve(event?.code ?? 0)
    }
    provider.on('connection-close', onClose)
  })

/** What the store holds for the room, as one document. */
const storedDoc = (dataDir: string): Y.Doc => {
  const doc = new Y.Doc()
  for (const row of storedRows(dataDir, ROOM)) Y.applyUpdate(doc, row)
  return doc
}

const setup = async () => {
  const data = tempDir()
  onTestFinished(data.remove)
  const server = await startTestServer({ dataDir: data.path })
  onTestFinished(() => server.close())
  const open = async (member: { name: string; sub: string; role?: 'owner' | 'editor' | 'viewer' } | { token: string }) => {
    const token = 'token' in member ? member.token : await memberToken(server, { space: SPACE, ...member })
    const provider = connectClient(server.url, ROOM, token)
    onTestFinished(() => provider.destroy())
    await whenSynced(provider)
    return { provider, doc: provider.doc, refusals: refusalsOf(provider) }
  }
  const ingrid = await open({ name: 'Ingrid Nyman', sub: 'm-ingrid' })
  writeMeeting(ingrid.doc)
  const cecilia = await open({ name: 'Cecilia Cederström', sub: 'm-cecilia' })
  const mounir = await open({ name: 'Mounir Mansour', sub: 'm-mounir' })
  const inSync = (doc: Y.Doc) => whenDoc(doc, (d) => contentHash(d) === contentHash(ingrid.doc))
  await Promise.all([inSync(cecilia.doc), inSync(mounir.doc)])
  /** Approves as `personId` the content `who` sees. */
  const approve = (who: { provider: WebsocketProvider; doc: Y.Doc }, personId: string) =>
    send(who.provider, { type: MessageType.approve, personId, contentHash: contentHash(who.doc) })
  const markFinal = async () => {
    send(ingrid.provider, { type: MessageType.markFinal })
    await Promise.all([ingrid, cecilia, mounir].map(({ doc }) => whenDoc(doc, (d) => getAdjustment(d).final)))
  }
  return { server, data, open, ingrid, cecilia, mounir, approve, markFinal, inSync }
}

describe('J: the adjustment is the server’s word', () => {
  it('J6: an approval and the lock written as document data by an editor close it with 4403; nothing is stored, others never see it', async () => {
    const { data, open, ingrid, markFinal } = await setup()
    await markFinal()
    const forger = await open({ token: await makeToken({ room: `${SPACE}/*`, name: 'Ingrid Nyman' }) })
    await whenDoc(forger.doc, (d) => getAdjustment(d).final)
    const closed = closeCodeOf(forger.provider)
    forger.doc.transact(() => {
      getApprovalsMap(forger.doc).set('cc', { name: 'Cecilia Cederström', memberId: 'm-cecilia', at: new Date().toISOString(), round: 0, verified: true })
      getAdjustmentMap(forger.doc).set('locked', true)
    })
    expect(await closed).toBe(CloseCode.forbidden)
    forger.provider.disconnect()

    // Nested (a map inside the approvals) and a deletion of the server's record: refused the same way.
    const nested = await open({ token: await makeToken({ room: `${SPACE}/*` }) })
    const nestedClosed = closeCodeOf(nested.provider)
    const inner = new Y.Map<unknown>()
    getApprovalsMap(nested.doc).set('mm', inner)
    expect(await nestedClosed).toBe(CloseCode.forbidden)
    nested.provider.disconnect()
    const eraser = await open({ token: await makeToken({ room: `${SPACE}/*` }) })
    const eraserClosed = closeCodeOf(eraser.provider)
    getAdjustmentMap(eraser.doc).delete('finalBy')
    expect(await eraserClosed).toBe(CloseCode.forbidden)
    eraser.provider.disconnect()

    // A fresh reader and the store see the final mark only; the meeting still takes edits.
    const reader = await open({ token: await makeToken({ room: ROOM, role: 'viewer' }) })
    await whenDoc(reader.doc, (d) => getAdjustment(d).final)
    expect(getAdjustment(reader.doc)).toMatchObject({ locked: false, approvals: [], finalBy: 'Ingrid Nyman', finalMemberId: 'm-ingrid' })
    expect(getApprovalsMap(storedDoc(data.path)).size).toBe(0)
    expect(isLocked(storedDoc(data.path))).toBe(false)
    notes(ingrid.doc).insert(0, 'Rättat. ')
    await whenDoc(reader.doc, (d) => notes(d).toString().startsWith('Rättat. '))
  })

  it('J2: approving as another member’s person is refused not-linked; a member not appointed, not-an-adjuster; before the final mark, not-final', async () => {
    const { ingrid, cecilia, mounir, approve, markFinal } = await setup()
    approve(cecilia, 'cc')
    expect(await cecilia.refusals.next()).toBe('not-final')
    await markFinal()
    approve(mounir, 'cc')
    expect(await mounir.refusals.next()).toBe('not-linked')
    approve(ingrid, 'in')
    expect(await ingrid.refusals.next()).toBe('not-an-adjuster')
    approve(ingrid, 'no-such-person')
    expect(await ingrid.refusals.next()).toBe('not-an-adjuster')
    // Refusals never close: the same connections still sync, and nothing was recorded.
    notes(mounir.doc).insert(0, '.')
    await whenDoc(cecilia.doc, (d) => notes(d).toString().startsWith('.'))
    expect(getApprovalsMap(cecilia.doc).size).toBe(0)
  })

  it('J2: viewers, tokens without a member, and members other than the secretary or an owner are refused with a reason', async () => {
    const { open, cecilia, approve } = await setup()
    const viewer = await open({ name: 'Cecilia Cederström', sub: 'm-cecilia', role: 'viewer' })
    send(viewer.provider, { type: MessageType.markFinal })
    expect(await viewer.refusals.next()).toBe('viewer')
    const shared = await open({ token: await makeToken({ room: `${SPACE}/*`, name: 'Ingrid Nyman' }) })
    send(shared.provider, { type: MessageType.markFinal })
    expect(await shared.refusals.next()).toBe('not-a-member')
    send(cecilia.provider, { type: MessageType.markFinal })
    expect(await cecilia.refusals.next()).toBe('not-secretary')
    expect(getAdjustment(cecilia.doc).final).toBe(false)
    // An owner may mark final, and take the minutes back to draft.
    const owner = await open({ name: 'Olle Ägare', sub: 'm-olle', role: 'owner' })
    send(owner.provider, { type: MessageType.markFinal })
    await whenDoc(cecilia.doc, (d) => getAdjustment(d).final)
    expect(getAdjustment(cecilia.doc)).toMatchObject({ finalBy: 'Olle Ägare', finalMemberId: 'm-olle' })
    send(owner.provider, { type: MessageType.markDraft })
    await whenDoc(cecilia.doc, (d) => !getAdjustment(d).final)
    approve(viewer, 'cc')
    expect(await viewer.refusals.next()).toBe('viewer')
  })

  it('J3, J7: both adjusters approve; the server writes the lock, every client sees it, and the records carry the verified names and member ids', async () => {
    const { ingrid, cecilia, mounir, approve, markFinal } = await setup()
    await markFinal()
    approve(cecilia, 'cc')
    await whenDoc(mounir.doc, (d) => getAdjustment(d).approvals.length === 1)
    expect(isLocked(mounir.doc)).toBe(false)
    approve(cecilia, 'cc')
    expect(await cecilia.refusals.next()).toBe('already-approved')
    const visible = notes(mounir.doc).toString()
    approve(mounir, 'mm')
    await Promise.all([ingrid, cecilia, mounir].map(({ doc }) => whenDoc(doc, isLocked)))

    const hash = contentHash(ingrid.doc)
    const state = getAdjustment(ingrid.doc)
    expect(state).toMatchObject({ locked: true, lockedContentHash: hash, finalBy: 'Ingrid Nyman', finalMemberId: 'm-ingrid' })
    // The token's names, not the people's names in the document (Cecilia, Mounir).
    expect(state.approvals).toEqual([
      { personId: 'cc', name: 'Cecilia Cederström', memberId: 'm-cecilia', at: expect.any(String), round: 0, contentHash: hash, verified: true },
      { personId: 'mm', name: 'Mounir Mansour', memberId: 'm-mounir', at: expect.any(String), round: 0, contentHash: hash, verified: true },
    ])
    const adjusted = loadAdjustedVersion(ingrid.doc)!
    expect(notes(adjusted).toString()).toBe(visible)
    adjusted.destroy()
    // Written by the server under client ids none of the clients has.
    const clients = [ingrid, cecilia, mounir].map(({ doc }) => doc.clientID)
    const writers = [...ingrid.doc.store.clients.keys()].filter((id) => !clients.includes(id))
    expect(writers.length).toBeGreaterThanOrEqual(3)
  })

  it('J3: a person re-linked by a hostile editor yields an approval naming the hostile member, never the adjuster', async () => {
    const { open, cecilia, approve, markFinal } = await setup()
    await markFinal()
    const hostile = await open({ name: 'Harald Fientlig', sub: 'm-harald' })
    updatePerson(hostile.doc, 'cc', { memberId: 'm-harald' })
    await whenDoc(cecilia.doc, (d) => d.getMap('people').get('cc') instanceof Y.Map && (d.getMap('people').get('cc') as Y.Map<unknown>).get('memberId') === 'm-harald')
    approve(cecilia, 'cc')
    expect(await cecilia.refusals.next()).toBe('not-linked')
    approve(hostile, 'cc')
    await whenDoc(cecilia.doc, (d) => getAdjustment(d).approvals.length === 1)
    expect(getAdjustment(cecilia.doc).approvals[0]).toMatchObject({ personId: 'cc', name: 'Harald Fientlig', memberId: 'm-harald', verified: true })
  })

  it('J4: approvals of different content do not lock: a stale hash is refused, and an approval the text has outgrown counts again only when renewed', async () => {
    const { ingrid, cecilia, mounir, approve, markFinal, inSync } = await setup()
    await markFinal()
    approve(cecilia, 'cc')
    await whenDoc(mounir.doc, (d) => getAdjustment(d).approvals.length === 1)
    const seenByMounir = contentHash(mounir.doc)
    mounir.provider.disconnect()
    notes(ingrid.doc).insert(0, 'Ändrat efter Cecilias justering. ')
    await inSync(cecilia.doc)
    // Mounir approves what he saw before the change: stale.
    mounir.provider.connect()
    await whenSynced(mounir.provider)
    send(mounir.provider, { type: MessageType.approve, personId: 'mm', contentHash: seenByMounir })
    expect(await mounir.refusals.next()).toBe('stale')
    // He approves the text as it is now: recorded, but Cecilia's approval is of the old text.
    await inSync(mounir.doc)
    approve(mounir, 'mm')
    await whenDoc(cecilia.doc, (d) => getAdjustment(d).approvals.some((a) => a.personId === 'mm'))
    expect(isLocked(cecilia.doc)).toBe(false)
    // Cecilia approves again: now both are of the same content, and the server locks.
    approve(cecilia, 'cc')
    await Promise.all([ingrid, cecilia, mounir].map(({ doc }) => whenDoc(doc, isLocked)))
  })

  it('J7: when an adjuster is no longer appointed, the people changed: the remaining adjuster renews her approval, and that locks', async () => {
    const { ingrid, cecilia, approve, markFinal } = await setup()
    await markFinal()
    approve(cecilia, 'cc')
    await whenDoc(ingrid.doc, (d) => getAdjustment(d).approvals.length === 1)
    // The change of the people changes the content too: Cecilia renews her approval of it.
    updatePerson(ingrid.doc, 'mm', { adjuster: false })
    await whenDoc(cecilia.doc, (d) => getAdjustment(d).adjusters.length === 1)
    expect(isLocked(cecilia.doc)).toBe(false)
    approve(cecilia, 'cc')
    await whenDoc(ingrid.doc, isLocked)
  })

  it('L2, J5: after the lock, document writes close with 4423 and requests are refused locked', async () => {
    const { ingrid, cecilia, mounir, approve, markFinal } = await setup()
    await markFinal()
    approve(cecilia, 'cc')
    approve(mounir, 'mm')
    await Promise.all([ingrid, cecilia, mounir].map(({ doc }) => whenDoc(doc, isLocked)))
    send(ingrid.provider, { type: MessageType.markDraft })
    expect(await ingrid.refusals.next()).toBe('locked')
    approve(cecilia, 'cc')
    expect(await cecilia.refusals.next()).toBe('locked')
    const closed = closeCodeOf(mounir.provider)
    notes(mounir.doc).insert(0, 'Ändrat i efterhand: ')
    expect(await closed).toBe(CloseCode.meetingLocked)
  })

  it('J9, L3: a reopening records the token’s name and member id; a token that names nobody is refused with 4403; the next round needs new approvals', async () => {
    const { open, ingrid, cecilia, mounir, approve, markFinal } = await setup()
    await markFinal()
    approve(cecilia, 'cc')
    approve(mounir, 'mm')
    await whenDoc(ingrid.doc, isLocked)
    const anonymous = await open({ token: await makeToken({ room: `${SPACE}/*` }) })
    const closed = closeCodeOf(anonymous.provider)
    anonymous.provider.ws!.send(Uint8Array.of(MessageType.reopen, 3, 0x66, 0x65, 0x6c, 5, 0x4b, 0x61, 0x72, 0x69, 0x6e)) // reason "fel", name "Karin"
    expect(await closed).toBe(CloseCode.forbidden)
    anonymous.provider.disconnect()
    expect(isLocked(ingrid.doc)).toBe(true)

    ingrid.provider.ws!.send(Uint8Array.of(MessageType.reopen, 3, 0x66, 0x65, 0x6c, 5, 0x4b, 0x61, 0x72, 0x69, 0x6e))
    await whenDoc(cecilia.doc, (d) => !isLocked(d))
    const state = getAdjustment(cecilia.doc)
    // The name the client sent ("Karin") is not recorded: the token's is.
    expect(state.reopenings).toEqual([{ by: 'Ingrid Nyman', memberId: 'm-ingrid', at: expect.any(String), reason: 'fel' }])
    expect(state).toMatchObject({ final: false, round: 1, approvals: [] })
    // Pushing into the server's reopenings (a nested type of the record) is refused as well.
    const forger = await open({ token: await makeToken({ room: `${SPACE}/*` }) })
    await whenDoc(forger.doc, (d) => getAdjustment(d).reopenings.length === 1)
    const forgerClosed = closeCodeOf(forger.provider)
    ;(getAdjustmentMap(forger.doc).get('reopenings') as Y.Array<unknown>).push([{ by: 'Någon annan', at: '', reason: '' }])
    expect(await forgerClosed).toBe(CloseCode.forbidden)
  })
})

describe('J8: pending structs and the lock (#12.2)', () => {
  /**
   * An update that inserts `text` right after the item `victim`'s next write will create: the
   * server lacks that item, so the update stays pending there (SPEC H6) until the write arrives.
   */
  const plantAfterNextWriteOf = (victim: Y.Doc, root: string, text: string): Uint8Array => {
    const copy = new Y.Doc()
    copy.clientID = victim.clientID
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(victim))
    copy.getText(root).insert(copy.getText(root).length, '!') // what the victim's next keystroke would be
    const attacker = new Y.Doc()
    attacker.clientID = 777_777
    Y.applyUpdate(attacker, Y.encodeStateAsUpdate(copy))
    const before = Y.encodeStateVector(attacker)
    attacker.getText(root).insert(attacker.getText(root).length, text)
    return Y.encodeStateAsUpdate(attacker, before)
  }

  it('J8: a struct planted after the id an editor’s next write gets does not close that editor when the write arrives', async () => {
    const { server, ingrid, cecilia } = await setup()
    const planter = await openRawClient(server.url, ROOM, await makeToken({ room: `${SPACE}/*` }))
    onTestFinished(() => planter.terminate())
    planter.send(updateMessage(plantAfterNextWriteOf(cecilia.doc, 'notes', ' PLANTED')))
    const closes: number[] = []
    cecilia.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))
    notes(cecilia.doc).insert(notes(cecilia.doc).length, '!')
    await whenDoc(ingrid.doc, (d) => notes(d).toString().endsWith('! PLANTED'))
    expect(closes).toEqual([])
  })

  it('J8: the locked text is exactly the text visible before the lock, with a struct planted after the adjuster’s next id (#12.2)', async () => {
    const { server, data, open, ingrid, cecilia, mounir, approve, markFinal } = await setup()
    await markFinal()
    approve(cecilia, 'cc')
    await whenDoc(mounir.doc, (d) => getAdjustment(d).approvals.length === 1)
    const visible = notes(mounir.doc).toString()
    const planter = await openRawClient(server.url, ROOM, await makeToken({ room: `${SPACE}/*` }))
    onTestFinished(() => planter.terminate())
    planter.send(updateMessage(plantAfterNextWriteOf(mounir.doc, 'notes', ' INSMUGGLAT')))
    // The planted update is stored and forwarded (SPEC H6): wait until the readers hold it pending.
    await vi.waitFor(() => expect(ingrid.doc.store.pendingStructs).not.toBeNull())

    approve(mounir, 'mm')
    await Promise.all([ingrid, cecilia, mounir].map(({ doc }) => whenDoc(doc, isLocked)))
    // The adjuster's next write is refused (L2), so the planted struct never integrates.
    const closed = closeCodeOf(mounir.provider)
    notes(mounir.doc).insert(notes(mounir.doc).length, '!')
    expect(await closed).toBe(CloseCode.meetingLocked)
    mounir.provider.disconnect()

    const adjusted = loadAdjustedVersion(ingrid.doc)!
    expect(notes(adjusted).toString()).toBe(visible)
    expect(adjusted.store.pendingStructs).toBeNull()
    adjusted.destroy()
    // After a restart: the same text, the pile gone from the store too.
    await server.close()
    const again = await startTestServer({ dataDir: data.path })
    onTestFinished(() => again.close())
    const stored = storedDoc(data.path)
    expect(stored.store.pendingStructs).toBeNull()
    expect(notes(stored).toString()).toBe(visible)
    expect(isLocked(stored)).toBe(true)
    void open
  })
})

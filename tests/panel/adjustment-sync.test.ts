import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { buildMeeting, createMeetingDoc, getAdjustment, getMeta, isLocked } from '../../src/doc'
import { CloseCode } from '../../src/protocol'
import { interpretCloseCode } from '../../src/sync'
import { lockThroughServer } from '../helpers/adjustment'
import { memberToken, whenDoc } from '../helpers/server'
import { connect, startServer } from './sync-helpers'

const ROOM = 'space-1/fsg-2023-09-25'

const writeMeeting = (doc: Y.Doc): void =>
  buildMeeting(doc, {
    meta: { title: 'FSG' },
    people: [{ id: 'cc', name: 'Cecilia Cederström', adjuster: true }],
    items: [{ id: 'a', title: 'Val av justerare' }],
  })

/** Cecilia marks final and approves through the server (SPEC J), which writes the lock. */
const lockAsCecilia = (server: Parameters<typeof lockThroughServer>[0]): Promise<void> =>
  lockThroughServer(server, ROOM, { personId: 'cc', name: 'Cecilia Cederström', sub: 'm-cecilia' })

describe('the lock through the panel\'s connection (SPEC L2, L3)', () => {
  it('close 4423 is a named state that does not retry', () => {
    expect(interpretCloseCode(CloseCode.meetingLocked)).toEqual({ error: 'meeting-locked', retry: false })
  })

  it('changes made after the lock are refused: the status says meeting-locked and the server keeps the adjusted text', async () => {
    const server = await startServer()
    const secretary = await connect(server, ROOM, { doc: createMeetingDoc() })
    await secretary.whenSynced
    writeMeeting(secretary.doc)
    await vi.waitFor(() => expect(secretary.status.kind).toBe('saved'), { timeout: 10_000 })
    // A second attendee has the text, goes offline, and edits while the adjuster approves.
    const late = createMeetingDoc()
    Y.applyUpdate(late, Y.encodeStateAsUpdate(secretary.doc))
    late.getMap('meta').set('title', 'Ändrat i efterhand')
    await lockAsCecilia(server)
    await whenDoc(secretary.doc, isLocked)

    const connection = await connect(server, ROOM, { doc: late })
    await vi.waitFor(() => expect(connection.status).toMatchObject({ kind: 'error', reason: 'meeting-locked', retrying: false }), { timeout: 10_000 })
    expect(getMeta(secretary.doc).title).toBe('FSG')
  })

  it('reopen(reason) asks the server, which records it and unlocks for everyone', async () => {
    const server = await startServer()
    const token = await memberToken(server, { space: 'space-1', name: 'Ingrid Nyman', sub: 'm-ingrid' })
    const secretary = await connect(server, ROOM, { doc: createMeetingDoc(), token })
    await secretary.whenSynced
    writeMeeting(secretary.doc)
    await vi.waitFor(() => expect(secretary.status.kind).toBe('saved'), { timeout: 10_000 })
    await lockAsCecilia(server)
    const other = await connect(server, ROOM, { doc: createMeetingDoc() })
    await other.whenSynced
    await whenDoc(other.doc, isLocked)

    expect(secretary.reopen('Fel datum')).toBe(true)
    await whenDoc(other.doc, (doc) => !isLocked(doc))
    expect(getAdjustment(other.doc).reopenings).toEqual([{ by: 'Ingrid Nyman', memberId: 'm-ingrid', at: expect.stringMatching(/^\d{4}-/), reason: 'Fel datum' }])
    expect(getAdjustment(other.doc).hasAdjustedState).toBe(true)
  })
})

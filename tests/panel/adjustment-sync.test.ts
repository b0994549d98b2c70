import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { approve, buildMeeting, createMeetingDoc, getAdjustment, getMeta, isLocked, markFinal } from '../../src/doc'
import { CloseCode } from '../../src/protocol'
import { interpretCloseCode } from '../../src/sync'
import { whenDoc } from '../helpers/server'
import { connect, startServer } from './sync-helpers'

const ROOM = 'space-1/fsg-2023-09-25'
const NOW = new Date('2023-09-25T10:00:00Z')

const finalMeeting = (doc: Y.Doc): void => {
  buildMeeting(doc, {
    meta: { title: 'FSG' },
    people: [{ id: 'cc', name: 'Cecilia Cederström', adjuster: true }],
    items: [{ id: 'a', title: 'Val av justerare' }],
  })
  markFinal(doc, { name: 'Ingrid Nyman', now: NOW })
}

const lockedMeeting = (doc: Y.Doc): void => {
  finalMeeting(doc)
  approve(doc, 'cc', { name: 'Cecilia Cederström', now: NOW })
}

describe('the lock through the panel\'s connection (SPEC L2, L3)', () => {
  it('close 4423 is a named state that does not retry', () => {
    expect(interpretCloseCode(CloseCode.meetingLocked)).toEqual({ error: 'meeting-locked', retry: false })
  })

  it('changes made after the lock are refused: the status says meeting-locked and the server keeps the adjusted text', async () => {
    const server = await startServer()
    const secretary = await connect(server, ROOM, { doc: createMeetingDoc() })
    await secretary.whenSynced
    finalMeeting(secretary.doc)
    // A second attendee has the final text, goes offline, and edits while the adjuster approves.
    const late = createMeetingDoc()
    Y.applyUpdate(late, Y.encodeStateAsUpdate(secretary.doc))
    late.getMap('meta').set('title', 'Ändrat i efterhand')
    approve(secretary.doc, 'cc', { name: 'Cecilia Cederström', now: NOW })
    await vi.waitFor(() => expect(secretary.status.kind).toBe('saved'), { timeout: 10_000 })

    const connection = await connect(server, ROOM, { doc: late })
    await vi.waitFor(() => expect(connection.status).toMatchObject({ kind: 'error', reason: 'meeting-locked', retrying: false }), { timeout: 10_000 })
    expect(getMeta(secretary.doc).title).toBe('FSG')
  })

  it('reopen(reason) asks the server, which records it and unlocks for everyone', async () => {
    const server = await startServer()
    const secretary = await connect(server, ROOM, { doc: createMeetingDoc() })
    await secretary.whenSynced
    lockedMeeting(secretary.doc)
    const other = await connect(server, ROOM, { doc: createMeetingDoc() })
    await other.whenSynced
    await whenDoc(other.doc, isLocked)

    expect(secretary.reopen('Fel datum')).toBe(true)
    await whenDoc(other.doc, (doc) => !isLocked(doc))
    expect(getAdjustment(other.doc).reopenings).toEqual([{ by: '', at: expect.stringMatching(/^\d{4}-/), reason: 'Fel datum' }])
    expect(getAdjustment(other.doc).hasAdjustedState).toBe(true)
  })
})

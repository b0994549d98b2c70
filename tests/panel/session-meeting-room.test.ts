import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { getMeta, setMetaField } from '../../src/doc'
import { Origin } from '../../src/doc/origins'
import { ROOM_ID_PATTERN, roomClaimGrants } from '../../src/protocol'
import { createSpaceSession, LOCAL_SPACE, meetingRoom, openMeetingSession } from '../../src/session'
import { DocPersistence } from '../../src/storage'
import { spaceIndexRoom } from '../../src/sync'
import { fakePage, openTestDatabase } from './storage-helpers'

const noEditor = () => {
  throw new Error('no editor in this test')
}

/** Writes a meeting's title into the update log under `docId`, as an earlier session would. */
const storeTitle = async (db: Awaited<ReturnType<typeof openTestDatabase>>, docId: string, title: string): Promise<void> => {
  const doc = new Y.Doc()
  const persistence = new DocPersistence({ db, docId, doc, page: fakePage() })
  await persistence.whenLoaded
  setMetaField(doc, 'title', title, Origin.localForm)
  await persistence.flushNow()
  await persistence.destroy()
  doc.destroy()
}

describe('a meeting’s room', () => {
  it('is "<space>/<meeting id>": a valid room id that the space’s token claim grants, and never the meeting list’s room', () => {
    const room = meetingRoom('space-1', 'm1')
    expect(room).toBe('space-1/m1')
    expect(ROOM_ID_PATTERN.test(room)).toBe(true)
    expect(roomClaimGrants('space-1/*', room)).toBe(true)
    expect(roomClaimGrants('space-2/*', room)).toBe(false)
    expect(room).not.toBe(spaceIndexRoom('space-1'))
  })

  it('names the stored copy a meeting session opens: what was stored under the room shows', async () => {
    const db = await openTestDatabase()
    await storeTitle(db, meetingRoom('space-1', 'm1'), 'Ledningsgrupp')
    await storeTitle(db, meetingRoom('space-2', 'm1'), 'Another space')
    const session = await openMeetingSession({
      db,
      space: 'space-1',
      meetingId: 'm1',
      page: fakePage(),
      connect: null,
      mountEditor: noEditor,
      self: { name: 'Annika', color: '#000000' },
      onMeta: () => {},
    })
    expect(getMeta(session.doc).title).toBe('Ledningsgrupp')
    session.destroy()
  })

  it('names the stored copy a space session reads for the action register', async () => {
    const db = await openTestDatabase()
    const space = createSpaceSession({
      db,
      profile: { displayName: 'Annika', color: '#000000', space: null },
      page: fakePage(),
      connect: () => {
        throw new Error('the local space never connects')
      },
      mountEditor: noEditor,
      now: () => Date.UTC(2026, 2, 5),
    })
    const id = await space.createMeeting()
    await storeTitle(db, meetingRoom(LOCAL_SPACE, id), 'Stored under the room')
    const copies = await space.readMeetings()
    expect(copies.map((copy) => [copy.id, getMeta(copy.doc).title])).toEqual([[id, 'Stored under the room']])
    for (const copy of copies) copy.doc.destroy()
    space.destroy()
  })
})

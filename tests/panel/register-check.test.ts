import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { readFollowUp, readWrittenActions } from '../../src/series'
import type { MeetingSession, MemberStatus, PanelStatus, SpaceSession } from '../../src/ui/panel-services'
import { checkInFromRegister, ensureNextMeeting, loadRegister } from '../../src/ui/series-actions'
import { createStore } from '../../src/ui/store'
import { meeting } from './series-helpers'

/** A space of meetings in memory, without a server: what the register and "Next meeting" see. */
const fakeSpace = (docs: Map<string, Y.Doc>) => {
  const opened: string[] = []
  const destroyed: string[] = []
  const seeds = new Map<string, (doc: Y.Doc) => void>()
  const copy = (doc: Y.Doc): Y.Doc => {
    const out = new Y.Doc()
    Y.applyUpdate(out, Y.encodeStateAsUpdate(doc))
    return out
  }
  const space: SpaceSession = {
    status: createStore<PanelStatus>({ kind: 'local' }),
    meetings: createStore([]),
    member: createStore<MemberStatus>({ kind: 'shared' }),
    replication: createStore(null),
    storageNearlyFull: createStore<number | null>(null),
    members: null,
    search: async () => [],
    spaceId: 'space-1',
    createMeeting: async () => 'new',
    openMeeting: async (id) => {
      opened.push(id)
      const doc = docs.get(id) ?? new Y.Doc()
      docs.set(id, doc)
      seeds.get(id)?.(doc)
      const session: MeetingSession = {
        id,
        doc,
        status: createStore<PanelStatus>({ kind: 'local' }),
        presence: createStore([]),
        mountEditor: () => {
          throw new Error('no editor here')
        },
        destroy: () => void destroyed.push(id),
      }
      return session
    },
    ensureMeeting: async (id, _fields, seed) => void seeds.set(id, seed),
    readMeetings: async () => [...docs].map(([id, doc]) => ({ id, doc: copy(doc) })),
    destroy: () => {},
  }
  return { space, opened, destroyed }
}

describe('checking an action in from the register', () => {
  it('writes into the newest meeting of its chain (a follow-up) and closes that meeting again; the first meeting is untouched', async () => {
    const m1 = meeting('m1', { group: 'LG', title: 'LG', date: '2024-05-02' }, [{ id: 'a1', text: 'Boka lokal', responsible: 'AA', due: '2024-05-20' }])
    const docs = new Map([['m1', m1.doc]])
    const { space, opened, destroyed } = fakeSpace(docs)

    const nextId = await ensureNextMeeting(space, m1, new Date(2024, 5, 3))
    expect(nextId).toMatch(/^next-/)
    await (await space.openMeeting(nextId)).destroy()
    expect(readFollowUp(docs.get(nextId)!).map((e) => e.actionId)).toEqual(['a1'])

    const [entry] = await loadRegister(space, '2024-06-10')
    expect(entry).toMatchObject({ actionId: 'a1', overdue: true, target: { meetingId: nextId, kind: 'followUp' } })
    expect(await checkInFromRegister(space, entry!, 'done', { name: 'Anna', at: '2024-06-10T09:00:00Z' })).toBe(true)
    expect(readFollowUp(docs.get(nextId)!)[0]).toMatchObject({ status: 'done', checkedBy: 'Anna' })
    expect(readWrittenActions(m1.doc)[0]?.status).toBe('open')
    expect(opened.filter((id) => id === nextId)).toHaveLength(2)
    expect(destroyed.filter((id) => id === nextId)).toHaveLength(2)
    expect((await loadRegister(space, '2024-06-10'))[0]).toMatchObject({ status: 'done', overdue: false })
  })

  it('an entry whose meetings are all locked is not checkable', async () => {
    const { space } = fakeSpace(new Map())
    const [entry] = await loadRegister(space, '2024-06-10')
    expect(entry).toBeUndefined()
    const locked = { actionId: 'x', target: null } as unknown as Parameters<typeof checkInFromRegister>[1]
    expect(await checkInFromRegister(space, locked, 'done', { name: 'Anna', at: '' })).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { createMeetingDoc, seedMeeting } from '../../src/doc'
import {
  buildRegister,
  checkFromRegister,
  checkInFollowUp,
  filterRegister,
  isOverdue,
  planNextMeeting,
  readFollowUp,
  readWrittenActions,
  registerResponsibles,
  registerSeries,
  seedFollowUp,
  type MeetingDoc,
} from '../../src/series'
import { by, lock, meeting } from './series-helpers'

const TODAY = '2024-06-10'

const space = () => {
  const lg1 = meeting('lg1', { group: 'LG', title: 'LG maj', date: '2024-05-02' }, [
    { id: 'a1', text: 'Boka lokal', responsible: 'AA', due: '2024-05-20' },
    { id: 'a2', text: 'Skicka kallelse', responsible: 'BB', due: '2024-07-01', status: 'done', checkedBy: 'Bo', checkedAt: '2024-05-03T08:00:00Z' },
    { id: 'a3', text: 'Kostnadskalkyl', responsible: 'aa' },
  ])
  const fsg = meeting('fsg1', { group: 'FSG', title: 'FSG', date: '2024-05-05' }, [
    { id: 'f1', text: 'Svara facket', responsible: 'CC', due: '2024-06-01' },
  ])
  const plan = planNextMeeting(lg1, [lg1, fsg])
  const lg2doc = createMeetingDoc()
  seedMeeting(lg2doc, 'lg2', plan.template)
  lg2doc.getMap('meta').set('date', '2024-06-03')
  seedFollowUp(lg2doc, 'lg2', plan.followUp)
  const lg2: MeetingDoc = { id: 'lg2', doc: lg2doc }
  return { lg1, lg2, fsg, all: [lg1, lg2, fsg] }
}

describe('the action register', () => {
  it('lists every action known locally with its current status, due first, overdue ones marked', () => {
    const { all, lg2 } = space()
    checkInFollowUp(lg2.doc, 'a3', 'in-progress', by('Anna'))
    const register = buildRegister(all, TODAY)
    expect(register.map((e) => [e.actionId, e.status, e.overdue, e.seriesLabel])).toEqual([
      ['a1', 'open', true, 'LG'],
      ['f1', 'open', true, 'FSG'],
      ['a2', 'done', false, 'LG'],
      ['a3', 'in-progress', false, 'LG'],
    ])
  })

  it('filters by responsible (case-insensitive), status, series and due date', () => {
    const { all } = space()
    const register = buildRegister(all, TODAY)
    const ids = (filter: Parameters<typeof filterRegister>[1]) => filterRegister(register, filter).map((e) => e.actionId)
    expect(ids({ responsible: 'AA' })).toEqual(['a1', 'a3'])
    expect(ids({ status: 'open' })).toEqual(['a1', 'f1', 'a3'])
    expect(ids({ status: 'closed' })).toEqual(['a2'])
    expect(ids({ status: 'done' })).toEqual(['a2'])
    const lg = registerSeries(register).find((s) => s.label === 'LG')!
    expect(ids({ series: lg.key })).toEqual(['a1', 'a2', 'a3'])
    expect(ids({ dueBy: '2024-05-31' })).toEqual(['a1'])
    expect(ids({ overdueOnly: true })).toEqual(['a1', 'f1'])
    expect(ids({ responsible: 'AA', overdueOnly: true })).toEqual(['a1'])
    expect(ids({})).toHaveLength(4)
    expect(registerResponsibles(register)).toEqual(['aa', 'AA', 'BB', 'CC'])
  })

  it('overdue: past due and still open; done, dropped, undated and due today are not', () => {
    expect(isOverdue('2024-06-09', 'open', TODAY)).toBe(true)
    expect(isOverdue('2024-06-09', 'in-progress', TODAY)).toBe(true)
    expect(isOverdue('2024-06-09', 'carried', TODAY)).toBe(true)
    expect(isOverdue('2024-06-09', 'done', TODAY)).toBe(false)
    expect(isOverdue('2024-06-09', 'dropped', TODAY)).toBe(false)
    expect(isOverdue('2024-06-10', 'open', TODAY)).toBe(false)
    expect(isOverdue('', 'open', TODAY)).toBe(false)
  })

  it('a check goes into the newest meeting of its chain as a follow-up check-in; the earlier meeting is untouched', () => {
    const { all, lg1, lg2 } = space()
    const a1 = buildRegister(all, TODAY).find((e) => e.actionId === 'a1')!
    expect(a1.target).toEqual({ meetingId: 'lg2', kind: 'followUp' })
    expect(checkFromRegister(lg2.doc, a1.target!, 'a1', 'done', by('Anna'))).toBe(true)
    expect(readFollowUp(lg2.doc).find((e) => e.actionId === 'a1')).toMatchObject({ status: 'done', checkedBy: 'Anna' })
    expect(readWrittenActions(lg1.doc).find((a) => a.id === 'a1')?.status).toBe('open')
    expect(buildRegister(all, TODAY).find((e) => e.actionId === 'a1')).toMatchObject({ status: 'done', overdue: false })
  })

  it("an action whose own meeting is the newest of its chain is ticked there, like the editor's tick", () => {
    const { all, fsg } = space()
    const f1 = buildRegister(all, TODAY).find((e) => e.actionId === 'f1')!
    expect(f1.target).toEqual({ meetingId: 'fsg1', kind: 'action' })
    // A written action is only open or done.
    expect(checkFromRegister(fsg.doc, f1.target!, 'f1', 'in-progress', by('Cia'))).toBe(false)
    expect(checkFromRegister(fsg.doc, f1.target!, 'f1', 'done', by('Cia', '2024-06-10T09:00:00Z'))).toBe(true)
    expect(readWrittenActions(fsg.doc)[0]).toMatchObject({ status: 'done', checkedBy: 'Cia', checkedAt: '2024-06-10T09:00:00Z' })
    expect(buildRegister(all, TODAY).find((e) => e.actionId === 'f1')?.status).toBe('done')
  })

  it('a locked meeting takes no check: the target skips it, and when all are locked there is none', () => {
    const { all, lg1, lg2, fsg } = space()
    lock(lg2.doc)
    const a1 = buildRegister(all, TODAY).find((e) => e.actionId === 'a1')!
    // lg1 is older than lg2 but its record still decides (nobody checked a1 in at lg2).
    expect(a1.target).toEqual({ meetingId: 'lg1', kind: 'action' })
    expect(checkFromRegister(lg2.doc, { meetingId: 'lg2', kind: 'followUp' }, 'a1', 'done', by('Anna'))).toBe(false)
    lock(lg1.doc)
    lock(fsg.doc)
    expect(buildRegister(all, TODAY).every((e) => e.target === null)).toBe(true)
  })
})

import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { createMeetingDoc, getMeta, listPeople, seedMeeting } from '../../src/doc'
import {
  checkInFollowUp,
  collectOpenActions,
  planNextMeeting,
  readFollowUp,
  readWrittenActions,
  seedFollowUp,
  trackActions,
} from '../../src/series'
import { connect, exchange } from './doc-exchange'
import { by, meeting } from './series-helpers'

const LG = { group: 'LG', organisation: 'Skol- och fritidsförvaltningen', place: 'Rum 3', title: 'Ledningsgrupp' }

/** Creates the next meeting the way the panel does: template, then follow-up. */
const nextOf = (from: ReturnType<typeof meeting>, known: ReturnType<typeof meeting>[], id: string) => {
  const plan = planNextMeeting(from, known)
  const doc = createMeetingDoc()
  seedMeeting(doc, id, plan.template)
  seedFollowUp(doc, id, plan.followUp)
  return { id, doc, plan }
}

describe('next meeting of a series', () => {
  it('is prefilled with the header and people of the previous one, guests left out', () => {
    const first = meeting('m1', { ...LG, date: '2024-05-02' })
    const next = nextOf(first, [first], 'm2')
    expect(getMeta(next.doc)).toMatchObject({ group: 'LG', organisation: LG.organisation, place: 'Rum 3', series: 'group:lg', date: '' })
    expect(listPeople(next.doc).map((p) => [p.name, p.initials, p.party, p.attendance])).toEqual([
      ['Annika Andersson', 'AA', 'Rektor', 'present'],
    ])
  })

  it('follows up the open actions of the earlier meeting, with responsible, due and where they came from; done ones stay behind', () => {
    const first = meeting('m1', { ...LG, date: '2024-05-02' }, [
      { id: 'a1', text: 'Boka lokal', responsible: 'AA', due: '2024-05-20' },
      { id: 'a2', text: 'Skicka kallelse', responsible: 'BB', status: 'done' },
      { id: 'a3', text: 'Ta fram kostnadskalkyl', responsible: 'CC' },
    ])
    const next = nextOf(first, [first], 'm2')
    expect(readFollowUp(next.doc)).toEqual([
      { actionId: 'a1', text: 'Boka lokal', responsible: 'AA', due: '2024-05-20', fromMeetingId: 'm1', fromDate: '2024-05-02', fromTitle: 'Ledningsgrupp', status: 'open', checkedBy: '', checkedAt: '' },
      expect.objectContaining({ actionId: 'a3', text: 'Ta fram kostnadskalkyl', responsible: 'CC', status: 'open' }),
    ])
    // The earlier meeting is never written by a follow-up.
    const before = Y.encodeStateVector(first.doc)
    checkInFollowUp(next.doc, 'a1', 'done', by('Bo'))
    expect(Y.encodeStateVector(first.doc)).toEqual(before)
  })

  it('along a chain of three meetings: carried and in-progress actions come back, done and dropped ones do not', () => {
    const m1 = meeting('m1', { ...LG, date: '2024-05-02' }, [
      { id: 'a1', text: 'Boka lokal', responsible: 'AA' },
      { id: 'a2', text: 'Skicka kallelse', responsible: 'BB' },
      { id: 'a3', text: 'Kostnadskalkyl', responsible: 'CC' },
      { id: 'a4', text: 'Enkät', responsible: 'DD' },
    ])
    const m2 = nextOf(m1, [m1], 'm2')
    m2.doc.getMap('meta').set('date', '2024-06-01')
    checkInFollowUp(m2.doc, 'a1', 'done', by('Anna'))
    checkInFollowUp(m2.doc, 'a2', 'in-progress', by('Anna'))
    checkInFollowUp(m2.doc, 'a3', 'carried', by('Anna'))
    checkInFollowUp(m2.doc, 'a4', 'dropped', by('Anna'))
    const known = [m1, { id: 'm2', doc: m2.doc }]
    const m3 = nextOf(known[1]!, known, 'm3')
    // Ordered by where they came from, then by text (Kostnadskalkyl, Skicka kallelse).
    expect(readFollowUp(m3.doc).map((e) => [e.actionId, e.fromMeetingId, e.status])).toEqual([
      ['a3', 'm1', 'open'],
      ['a2', 'm1', 'open'],
    ])
    // The current status is the newest check-in along the chain, else the status where it was written.
    m3.doc.getMap('meta').set('date', '2024-07-01')
    checkInFollowUp(m3.doc, 'a2', 'done', by('Bo'))
    const tracked = trackActions([m1, known[1]!, { id: 'm3', doc: m3.doc }])
    expect(Object.fromEntries(tracked.map((a) => [a.actionId, [a.status, a.statusMeetingId, a.chain.join('>')]]))).toEqual({
      a1: ['done', 'm2', 'm1>m2'],
      a2: ['done', 'm3', 'm1>m2>m3'],
      a3: ['carried', 'm2', 'm1>m2>m3'],
      a4: ['dropped', 'm2', 'm1>m2'],
    })
    expect(readWrittenActions(m1.doc).every((a) => a.status === 'open')).toBe(true)
  })

  it('an action known only from a follow-up (its first meeting not in this browser) is still followed up', () => {
    const m1 = meeting('m1', { ...LG, date: '2024-05-02' }, [{ id: 'a1', text: 'Boka lokal', responsible: 'AA', due: '2024-05-20' }])
    const m2 = nextOf(m1, [m1], 'm2')
    m2.doc.getMap('meta').set('date', '2024-06-01')
    const open = collectOpenActions([{ id: 'm2', doc: m2.doc }], 'group:lg')
    expect(open).toEqual([
      { actionId: 'a1', text: 'Boka lokal', responsible: 'AA', due: '2024-05-20', fromMeetingId: 'm1', fromDate: '2024-05-02', fromTitle: 'Ledningsgrupp' },
    ])
  })

  it('only the series of the meeting: another group’s open actions are not carried', () => {
    const lg = meeting('m1', { ...LG, date: '2024-05-02' }, [{ id: 'a1', text: 'LG-uppdrag' }])
    const fsg = meeting('m9', { group: 'FSG', date: '2024-05-03' }, [{ id: 'a9', text: 'FSG-uppdrag' }])
    expect(planNextMeeting(lg, [lg, fsg]).followUp.map((a) => a.actionId)).toEqual(['a1'])
    expect(planNextMeeting(fsg, [lg, fsg]).followUp.map((a) => a.actionId)).toEqual(['a9'])
  })
})

describe('checking in follow-up actions at the same moment', () => {
  const twoAttendees = () => {
    const m1 = meeting('m1', { ...LG, date: '2024-05-02' }, [
      { id: 'a1', text: 'Boka lokal', responsible: 'AA' },
      { id: 'a2', text: 'Skicka kallelse', responsible: 'BB' },
    ])
    // Both press "Next meeting" at once, each seeding from their own copy.
    const a = nextOf(m1, [m1], 'm2').doc
    const b = nextOf(m1, [m1], 'm2').doc
    return { a, b }
  }

  it('two attendees seeding the same follow-up at once get one entry per action', () => {
    const { a, b } = twoAttendees()
    exchange(a, b)
    expect(readFollowUp(a)).toEqual(readFollowUp(b))
    expect(readFollowUp(a)).toHaveLength(2)
    expect(listPeople(a)).toHaveLength(1)
  })

  it('different actions checked in by two attendees while apart are both kept', () => {
    const { a, b } = twoAttendees()
    exchange(a, b)
    checkInFollowUp(a, 'a1', 'done', by('Anna'))
    checkInFollowUp(b, 'a2', 'in-progress', by('Bo'))
    exchange(a, b)
    for (const doc of [a, b]) {
      expect(readFollowUp(doc).map((e) => [e.actionId, e.status, e.checkedBy])).toEqual([
        ['a1', 'done', 'Anna'],
        ['a2', 'in-progress', 'Bo'],
      ])
    }
  })

  it('check-ins made before the seeds met are kept too (each seeded their own copy, then synced)', () => {
    const { a, b } = twoAttendees()
    checkInFollowUp(a, 'a1', 'done', by('Anna'))
    checkInFollowUp(b, 'a2', 'dropped', by('Bo'))
    exchange(a, b)
    for (const doc of [a, b]) expect(readFollowUp(doc).map((e) => e.status)).toEqual(['done', 'dropped'])
  })

  it('the same action checked in by both converges on one status', () => {
    const { a, b } = twoAttendees()
    exchange(a, b)
    checkInFollowUp(a, 'a1', 'done', by('Anna'))
    checkInFollowUp(b, 'a1', 'carried', by('Bo'))
    exchange(a, b)
    expect(readFollowUp(a)).toEqual(readFollowUp(b))
    expect(['done', 'carried']).toContain(readFollowUp(a)[0]!.status)
  })

  it('a seed arriving after a check-in never undoes it, even with other text for the action', () => {
    const m1 = meeting('m1', { ...LG, date: '2024-05-02' }, [{ id: 'a1', text: 'Boka lokal' }])
    const a = nextOf(m1, [m1], 'm2').doc
    checkInFollowUp(a, 'a1', 'done', by('Anna'))
    const edited = meeting('m1', { ...LG, date: '2024-05-02' }, [{ id: 'a1', text: 'Boka stor lokal' }])
    const late = createMeetingDoc()
    seedFollowUp(late, 'm2', planNextMeeting(edited, [edited]).followUp)
    exchange(a, late)
    expect(readFollowUp(a)).toEqual(readFollowUp(late))
    expect(readFollowUp(a)[0]).toMatchObject({ status: 'done', checkedBy: 'Anna' })
  })

  it('checking in an action the meeting does not follow up is not applicable', () => {
    const { a } = twoAttendees()
    expect(checkInFollowUp(a, 'nope', 'done', by('Anna'))).toBe(false)
  })

  it('live: many check-ins through a relay in a seeded order all arrive', () => {
    const seed = Number(process.env.SERIES_SEED ?? Date.now() % 100_000)
    console.log(`SERIES_SEED=${seed}`)
    let state = seed
    const random = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0
      return state / 2 ** 32
    }
    const ids = Array.from({ length: 12 }, (_, i) => `a${String(i).padStart(2, '0')}`)
    const m1 = meeting('m1', { ...LG, date: '2024-05-02' }, ids.map((id) => ({ id, text: `Åtgärd ${id}` })))
    const docs = [nextOf(m1, [m1], 'm2').doc, nextOf(m1, [m1], 'm2').doc, nextOf(m1, [m1], 'm2').doc]
    const expected = new Map<string, string>()
    for (const id of ids) {
      const who = Math.floor(random() * docs.length)
      const status = (['done', 'in-progress', 'dropped', 'carried'] as const)[Math.floor(random() * 4)]!
      checkInFollowUp(docs[who]!, id, status, by(`p${who}`))
      expected.set(id, status)
    }
    const stop = connect(...docs)
    exchange(docs[0]!, docs[1]!)
    exchange(docs[1]!, docs[2]!)
    exchange(docs[0]!, docs[2]!)
    stop()
    for (const doc of docs) expect(new Map(readFollowUp(doc).map((e) => [e.actionId, e.status]))).toEqual(expected)
  })
})

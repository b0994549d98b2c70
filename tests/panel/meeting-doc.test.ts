import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import {
  addPerson,
  createMeetingDoc,
  getBody,
  getMeta,
  getPerson,
  listPeople,
  Origin,
  removePerson,
  seedMeeting,
  setMeetingRole,
  setMetaField,
  updatePerson,
  type MeetingTemplate,
} from '../../src/doc'
import { schema } from '../../src/doc/schema'
import { exchange } from './doc-exchange'

const titles = (doc: Y.Doc): string[] => {
  const node = yXmlFragmentToProseMirrorRootNode(getBody(doc), schema)
  const out: string[] = []
  node.forEach((item) => out.push(item.firstChild?.textContent ?? ''))
  return out
}

const template: MeetingTemplate = {
  items: [
    { title: 'Incheckning', kind: 'checkin' },
    { title: 'Uppföljning tilldelade beslut', kind: 'information' },
    { title: 'Utcheckning', kind: 'checkout' },
  ],
}

describe('meeting header', () => {
  it('keeps both edits when two people change different header fields at the same moment', () => {
    const a = createMeetingDoc()
    const b = createMeetingDoc()
    setMetaField(a, 'title', 'Förvaltningsledningsgruppsmöte')
    setMetaField(b, 'place', 'Bredgatan 515')
    setMetaField(a, 'date', '2023-02-27')
    setMetaField(b, 'secretary', 'Ingrid Nyman')
    exchange(a, b)
    for (const doc of [a, b]) {
      expect(getMeta(doc)).toMatchObject({
        title: 'Förvaltningsledningsgruppsmöte',
        place: 'Bredgatan 515',
        date: '2023-02-27',
        secretary: 'Ingrid Nyman',
        status: 'draft',
      })
    }
  })

  it('converges to one value when two people change the same field at the same moment', () => {
    const a = createMeetingDoc()
    const b = createMeetingDoc()
    setMetaField(a, 'title', 'LG')
    setMetaField(b, 'title', 'Ledningsgruppen')
    exchange(a, b)
    expect(getMeta(a).title).toBe(getMeta(b).title)
    expect(['LG', 'Ledningsgruppen']).toContain(getMeta(a).title)
  })

  it('tags header writes with the local form origin', () => {
    const doc = createMeetingDoc()
    const origins: unknown[] = []
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
    setMetaField(doc, 'group', 'FSG')
    expect(origins).toEqual([Origin.localForm])
  })

  it('rejects a status that is not one of the known ones', () => {
    const doc = createMeetingDoc()
    // @ts-expect-error a wrong status is a programming error
    expect(() => setMetaField(doc, 'status', 'locked')).toThrow(/status/)
  })
})

describe('people', () => {
  it('keeps concurrent edits of different fields of one person and additions of others', () => {
    const a = createMeetingDoc()
    const id = addPerson(a, { name: 'Annika Andersson', initials: 'AA' })
    const b = createMeetingDoc()
    exchange(a, b)
    updatePerson(a, id, { attendance: 'absent', reason: 'sem' })
    updatePerson(b, id, { adjuster: true, party: 'Omsorgsdirektören' })
    addPerson(b, { name: 'Eric Semb', initials: 'ES', attendance: 'absent' })
    exchange(a, b)
    for (const doc of [a, b]) {
      const people = listPeople(doc)
      expect(people.map((p) => p.name)).toEqual(['Annika Andersson', 'Eric Semb'])
      expect(people[0]).toMatchObject({
        initials: 'AA',
        attendance: 'absent',
        reason: 'sem',
        adjuster: true,
        party: 'Omsorgsdirektören',
      })
    }
  })

  it('links a person to a member by id (empty for a guest), and marking the secretary writes the link too (SPEC J2)', () => {
    const doc = createMeetingDoc()
    const guest = addPerson(doc, { name: 'Gäst Gästsson', attendance: 'guest' })
    const id = addPerson(doc, { name: 'Ingrid Nyman', memberId: 'm-ingrid' })
    expect(getPerson(doc, guest)?.memberId).toBe('')
    expect(getPerson(doc, id)?.memberId).toBe('m-ingrid')
    expect(() => addPerson(doc, { name: 'X', memberId: 7 as unknown as string })).toThrow(/memberId/)
    updatePerson(doc, guest, { memberId: 'm-gast' })
    expect(getPerson(doc, guest)?.memberId).toBe('m-gast')
    setMeetingRole(doc, 'secretary', getPerson(doc, id)!)
    expect(getMeta(doc)).toMatchObject({ secretary: 'Ingrid Nyman', secretaryMemberId: 'm-ingrid' })
    setMeetingRole(doc, 'secretary', null)
    expect(getMeta(doc)).toMatchObject({ secretary: '', secretaryMemberId: '' })
  })

  it('reports a missing person instead of creating one', () => {
    const doc = createMeetingDoc()
    const id = addPerson(doc, { name: 'Sara Månsson' })
    expect(removePerson(doc, id)).toBe(true)
    expect(updatePerson(doc, id, { initials: 'SM' })).toBe(false)
    expect(listPeople(doc)).toEqual([])
  })
})

describe('template seeding', () => {
  it('shows the template once when two attendees seed the new meeting at the same moment', () => {
    const a = createMeetingDoc()
    const b = createMeetingDoc()
    seedMeeting(a, 'space-1/meeting-7', template)
    seedMeeting(b, 'space-1/meeting-7', template)
    exchange(a, b)
    expect(titles(a)).toEqual(['Incheckning', 'Uppföljning tilldelade beslut', 'Utcheckning'])
    expect(titles(b)).toEqual(titles(a))
  })

  it('shows the template once when seeding again after sync, and keeps what someone typed first', () => {
    const a = createMeetingDoc()
    const b = createMeetingDoc()
    // B types an agenda item before any seed reached it.
    const typed = new Y.XmlElement('agenda_item')
    const title = new Y.XmlElement('agenda_title')
    title.insert(0, [new Y.XmlText('Övrigt')])
    typed.insert(0, [title])
    getBody(b).insert(0, [typed])
    seedMeeting(a, 'm-1', template)
    exchange(a, b)
    seedMeeting(b, 'm-1', template)
    seedMeeting(a, 'm-1', template)
    exchange(a, b)
    const seen = titles(a)
    expect(seen.filter((t) => t === 'Incheckning')).toHaveLength(1)
    expect(seen.filter((t) => t === 'Övrigt')).toHaveLength(1)
    expect(seen).toHaveLength(4)
    expect(titles(b)).toEqual(seen)
  })

  it('tags the seed with the template origin', () => {
    const doc = createMeetingDoc()
    const origins: unknown[] = []
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
    seedMeeting(doc, 'm-2', { items: [] })
    expect(origins).toEqual([Origin.template])
    expect(titles(doc)).toEqual([''])
  })

  it('keeps two different templates apart instead of corrupting either', () => {
    const a = createMeetingDoc()
    const b = createMeetingDoc()
    seedMeeting(a, 'm-3', { items: [{ title: 'Punkt A' }] })
    seedMeeting(b, 'm-3', { items: [{ title: 'Punkt B' }] })
    exchange(a, b)
    expect([...titles(a)].sort()).toEqual(['Punkt A', 'Punkt B'])
    expect(titles(b)).toEqual(titles(a))
  })
})

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  listPeople,
  addPastedPeople,
  parsePeople,
  addGuest,
  addPerson,
  buildMeeting,
  checkInByName,
  createMeetingDoc,
  findPersonByName,
  getBody,
  getMeta,
  hasMeetingRole,
  listAgendaItems,
  listAttendance,
  markAbsent,
  responsibleChoices,
  setMeetingRole,
  suggestInitials,
  updatePerson,
} from '../../src/doc'
import { exchange } from './doc-exchange'
import type { Node as PMNode } from 'prosemirror-model'
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { schema } from '../../src/doc/schema'

const T0 = new Date('2023-02-27T09:00:00Z')

const replica = (doc: Y.Doc): Y.Doc => {
  const copy = createMeetingDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

describe('attendance: who is here', () => {
  it('an attendee checks themself in by the name of their profile; an unlisted name is added with initials', () => {
    const doc = createMeetingDoc()
    const listed = addPerson(doc, { name: 'Annika Andersson', initials: 'AA' })
    expect(listAttendance(doc)[0]!.checkedInAt).toBe('')

    expect(checkInByName(doc, '  annika  andersson ', T0)).toBe(listed)
    const newcomer = checkInByName(doc, 'Mikael Mannsdorff Håkansson', T0)

    const people = listAttendance(doc)
    expect(people.map((p) => [p.name, p.initials, p.attendance, p.checkedInAt])).toEqual([
      ['Annika Andersson', 'AA', 'present', T0.toISOString()],
      ['Mikael Mannsdorff Håkansson', 'MMH', 'present', T0.toISOString()],
    ])
    expect(findPersonByName(people, 'MIKAEL MANNSDORFF HÅKANSSON')?.id).toBe(newcomer)
  })

  it('two attendees checking in at the same moment on two clients are both kept', () => {
    const a = createMeetingDoc()
    const annika = addPerson(a, { name: 'Annika Andersson' })
    const daniela = addPerson(a, { name: 'Daniela Fernandez' })
    const b = replica(a)

    checkInByName(a, 'Annika Andersson', T0)
    checkInByName(b, 'Daniela Fernandez', new Date('2023-02-27T09:00:01Z'))
    exchange(a, b)

    for (const doc of [a, b]) {
      const byId = new Map(listAttendance(doc).map((p) => [p.id, p]))
      expect(byId.get(annika)!.checkedInAt).toBe(T0.toISOString())
      expect(byId.get(daniela)!.checkedInAt).toBe('2023-02-27T09:00:01.000Z')
    }
  })

  it('absent with a reason ("sem") takes back a check-in', () => {
    const doc = createMeetingDoc()
    const id = checkInByName(doc, 'Annette Holm Persson', T0)
    markAbsent(doc, id, ' sem ')
    expect(listAttendance(doc)[0]).toMatchObject({ attendance: 'absent', reason: 'sem', checkedInAt: '' })
  })

  it('guests are listed for the whole meeting or for one agenda item of the meeting', () => {
    const doc = createMeetingDoc()
    buildMeeting(doc, {
      items: [
        { id: 'in', title: 'Incheckning', kind: 'checkin' },
        { id: 'klimat', title: 'Helsingborg klimatneutralt 2030' },
      ],
    })
    expect(listAgendaItems(doc)).toEqual([
      { id: 'in', title: 'Incheckning' },
      { id: 'klimat', title: 'Helsingborg klimatneutralt 2030' },
    ])
    addGuest(doc, { name: 'Henrik Frindberg', party: 'Miljöförvaltningen', agendaItem: 'klimat' })
    addGuest(doc, { name: 'Jens Gille' })
    expect(listAttendance(doc).map((p) => [p.name, p.attendance, p.party, p.agendaItem])).toEqual([
      ['Henrik Frindberg', 'guest', 'Miljöförvaltningen', 'klimat'],
      ['Jens Gille', 'guest', '', ''],
    ])
  })

  it('adjusters are appointed, secretary and convener marked by name in the header', () => {
    const doc = createMeetingDoc()
    const ingrid = addPerson(doc, { name: 'Ingrid Nyman', initials: 'IN' })
    const cecilia = addPerson(doc, { name: 'Cecilia Cederström' })
    updatePerson(doc, cecilia, { adjuster: true })
    const people = listAttendance(doc)
    setMeetingRole(doc, 'secretary', people.find((p) => p.id === ingrid)!)
    expect(getMeta(doc).secretary).toBe('Ingrid Nyman')
    expect(hasMeetingRole(doc, 'secretary', people.find((p) => p.id === ingrid)!)).toBe(true)
    expect(hasMeetingRole(doc, 'convener', people.find((p) => p.id === ingrid)!)).toBe(false)
    expect(people.filter((p) => p.adjuster).map((p) => p.name)).toEqual(['Cecilia Cederström'])
  })

  it('initials of the people feed the responsible picker of actions', () => {
    expect(suggestInitials('Sara Månsson')).toBe('SM')
    const doc = createMeetingDoc()
    addPerson(doc, { name: 'Sara Månsson', initials: 'SM' })
    addPerson(doc, { name: 'Tina Olofsson' })
    expect(responsibleChoices(listAttendance(doc))).toEqual([
      { value: 'SM', label: 'SM – Sara Månsson' },
      { value: 'Tina Olofsson', label: 'Tina Olofsson' },
    ])
  })
  it('agenda items read from the top level are what the editor shows (ids, titles with marks and breaks)', () => {
    const doc = createMeetingDoc()
    const title = (...content: PMNode[]) => schema.node('agenda_title', null, content)
    const pm = schema.node('doc', null, [
      schema.node('agenda_item', { id: 'a' }, [title(schema.text('  Budget '), schema.text('2024', [schema.mark('strong')]))]),
      schema.node('agenda_item', { id: '' }, [title(schema.text('Two'), schema.node('hard_break'), schema.text('lines')), schema.node('paragraph', null, [schema.text('Body text')])]),
      schema.node('agenda_item', { id: 'empty' }, [title()]),
    ])
    prosemirrorToYXmlFragment(pm, getBody(doc))
    const viaEditor: Array<{ id: string; title: string }> = []
    yXmlFragmentToProseMirrorRootNode(getBody(doc), schema).forEach((item) => {
      viaEditor.push({ id: String(item.attrs.id ?? ''), title: item.firstChild?.textContent.trim() ?? '' })
    })
    expect(listAgendaItems(doc)).toEqual(viaEditor)
    expect(listAgendaItems(doc)).toEqual([
      { id: 'a', title: 'Budget 2024' },
      { id: '', title: 'Twolines' },
      { id: 'empty', title: '' },
    ])
  })
})

describe('people pasted as minutes write them', () => {
  it('reads present with initials, absent with a reason, guests with their department, and unlabelled lines as present', () => {
    expect(
      parsePeople(
        'Närvarande: Annika Andersson (AA), Bo Berg (BB); Mikael Mannsdorff Håkansson (MMH)\nFrånvarande: Eric Semb (sem), Annette Holm Persson (AHP)\nGäster: Henrik Frindberg (Miljöförvaltningen)\nCecilia Cederström (SSR)',
      ),
    ).toEqual([
      { name: 'Annika Andersson', initials: 'AA', party: '', attendance: 'present', reason: '' },
      { name: 'Bo Berg', initials: 'BB', party: '', attendance: 'present', reason: '' },
      { name: 'Mikael Mannsdorff Håkansson', initials: 'MMH', party: '', attendance: 'present', reason: '' },
      { name: 'Eric Semb', initials: '', party: '', attendance: 'absent', reason: 'sem' },
      { name: 'Annette Holm Persson', initials: 'AHP', party: '', attendance: 'absent', reason: '' },
      { name: 'Henrik Frindberg', initials: '', party: 'Miljöförvaltningen', attendance: 'guest', reason: '' },
      // The label of the line before still holds: a line without one continues the guests.
      { name: 'Cecilia Cederström', initials: '', party: 'SSR', attendance: 'guest', reason: '' },
    ])
  })

  it('adds each person once: someone already listed is updated, not added again', () => {
    const doc = createMeetingDoc()
    addPastedPeople(doc, 'Present: Bo Berg')
    expect(addPastedPeople(doc, 'Närvarande: Annika Andersson (AA), bo berg (BB)')).toEqual({ added: 1, updated: 1 })
    expect(listPeople(doc).map((p) => [p.name, p.initials, p.attendance])).toEqual([
      ['Annika Andersson', 'AA', 'present'],
      ['Bo Berg', 'BB', 'present'],
    ])
  })
})

import * as Y from 'yjs'
import { schema } from './schema'
import { getBody, getPeopleMap } from './meeting-doc'
import { getMeta, setMetaField } from './meta'
import { Origin } from './origins'
import { addPerson, listPeople, updatePerson, type Person } from './people'

/**
 * Attendance on top of the people list (`people.ts`): who checked themself (or was checked)
 * in, and when; the secretary and the convener; the agenda items a guest can attend.
 *
 * A check-in is one more key of the person's own Y.Map (`checkedInAt`), next to the fields
 * `people.ts` knows, so two attendees checking in at the same moment write different maps and
 * both are kept, and an older client simply ignores the key.
 */
export const CHECKED_IN_AT = 'checkedInAt'

/** A person as the attendance shows them: `checkedInAt` is an ISO time, or empty. */
export interface AttendanceEntry extends Person {
  checkedInAt: string
}

/** Everyone of the meeting, in `listPeople`'s order, with their check-in. */
export const listAttendance = (doc: Y.Doc): AttendanceEntry[] => {
  const people = getPeopleMap(doc)
  return listPeople(doc).map((person) => {
    const value = people.get(person.id)?.get(CHECKED_IN_AT)
    return { ...person, checkedInAt: typeof value === 'string' ? value : '' }
  })
}

const normalName = (name: string): string => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('sv')

/**
 * The person a profile's display name stands for: the same name, ignoring case and spacing.
 * Names are how the panel links a profile to a person of the meeting (a profile has no other
 * identity the meeting knows); two people of one name are one attendee to the panel.
 */
export const findPersonByName = <P extends Person>(people: readonly P[], name: string): P | undefined => {
  const wanted = normalName(name)
  return wanted === '' ? undefined : people.find((person) => normalName(person.name) === wanted)
}

/**
 * The person a panel is: the one linked to its member id (SPEC J2) when it has one, else the
 * one of its name.
 */
export const findSelf = <P extends Person>(people: readonly P[], self: { memberId: string; name: string }): P | undefined =>
  (self.memberId !== '' ? people.find((person) => person.memberId === self.memberId) : undefined) ?? findPersonByName(people, self.name)

/** Initials the way the seeds write them: the first letter of each part ("Mikael Mannsdorff Håkansson" → "MMH"). */
export const suggestInitials = (name: string): string =>
  name
    .split(/[\s-]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toLocaleUpperCase('sv'))
    .join('')

/**
 * Checks a person in as present now. Initials are filled in from the name when the person has
 * none. Returns false when the person does not exist (removed meanwhile).
 */
export const checkIn = (doc: Y.Doc, personId: string, now: Date, origin: Origin = Origin.localForm): boolean => {
  const person = getPeopleMap(doc).get(personId)
  if (person === undefined) return false
  doc.transact(() => {
    const name = person.get('name')
    const initials = person.get('initials')
    updatePerson(
      doc,
      personId,
      {
        attendance: 'present',
        reason: '',
        ...((typeof initials !== 'string' || initials === '') && typeof name === 'string'
          ? { initials: suggestInitials(name) }
          : {}),
      },
      origin,
    )
    person.set(CHECKED_IN_AT, now.toISOString())
  }, origin)
  return true
}

/**
 * Checks in the person called `name`, adding them to the meeting when nobody of that name is
 * listed. Returns the person's id. What "Check me in" does with the profile's display name,
 * and what "check in" next to someone in the panel does with theirs.
 */
export const checkInByName = (doc: Y.Doc, name: string, now: Date, origin: Origin = Origin.localForm): string => {
  const trimmed = name.trim()
  if (trimmed === '') throw new Error('checkInByName: the name is empty')
  let id = ''
  doc.transact(() => {
    id = findPersonByName(listPeople(doc), trimmed)?.id ?? addPerson(doc, { name: trimmed }, origin)
    checkIn(doc, id, now, origin)
  }, origin)
  return id
}

/** Takes a check-in back (checked in by mistake): the person stays listed. */
export const undoCheckIn = (doc: Y.Doc, personId: string, origin: Origin = Origin.localForm): boolean => {
  const person = getPeopleMap(doc).get(personId)
  if (person === undefined || !person.has(CHECKED_IN_AT)) return false
  doc.transact(() => person.delete(CHECKED_IN_AT), origin)
  return true
}

/** Absent, with a reason as the seeds write it ("sem"); an absent person is not checked in. */
export const markAbsent = (doc: Y.Doc, personId: string, reason: string, origin: Origin = Origin.localForm): boolean => {
  const person = getPeopleMap(doc).get(personId)
  if (person === undefined) return false
  doc.transact(() => {
    updatePerson(doc, personId, { attendance: 'absent', reason: reason.trim() }, origin)
    person.delete(CHECKED_IN_AT)
  }, origin)
  return true
}

/** Adds a guest, for the whole meeting or for one agenda item (its id). Returns the id. */
export const addGuest = (
  doc: Y.Doc,
  guest: { name: string; party?: string; agendaItem?: string },
  origin: Origin = Origin.localForm,
): string =>
  addPerson(
    doc,
    {
      name: guest.name.trim(),
      attendance: 'guest',
      initials: suggestInitials(guest.name),
      party: guest.party?.trim() ?? '',
      agendaItem: guest.agendaItem ?? '',
    },
    origin,
  )

/**
 * The header's people roles. `meta.secretary` and `meta.convener` hold free text (a name or a
 * role such as "Omsorgsdirektören", see `meta.ts`), so marking a person writes their name; marking
 * the secretary also writes the person's member link (`secretaryMemberId`, SPEC J2).
 */
export type MeetingRole = 'secretary' | 'convener'

export const setMeetingRole = (doc: Y.Doc, role: MeetingRole, person: Person | null, origin: Origin = Origin.localForm): void =>
  doc.transact(() => {
    setMetaField(doc, role, person?.name.trim() ?? '', origin)
    if (role === 'secretary') setMetaField(doc, 'secretaryMemberId', person?.memberId ?? '', origin)
  }, origin)

/**
 * Links a person of the attendance to the member this panel is (SPEC J2): "Check me in" and
 * the first approval or final mark do it, so the server can tell who approves for whom. When
 * the header names this person as secretary, the secretary link follows. Writes nothing that
 * is so already (a link is content: it is part of what adjusters approve).
 */
export const linkPersonToMember = (doc: Y.Doc, personId: string, memberId: string, origin: Origin = Origin.localForm): void => {
  const person = listPeople(doc).find((candidate) => candidate.id === personId)
  if (person === undefined || memberId === '') return
  doc.transact(() => {
    if (person.memberId !== memberId) updatePerson(doc, personId, { memberId }, origin)
    if (hasMeetingRole(doc, 'secretary', person) && getMeta(doc).secretaryMemberId !== memberId) setMetaField(doc, 'secretaryMemberId', memberId, origin)
  }, origin)
}

/** Does the header name this person in `role`? */
export const hasMeetingRole = (doc: Y.Doc, role: MeetingRole, person: Person): boolean => {
  const value = getMeta(doc)[role]
  return value !== '' && normalName(value) === normalName(person.name)
}

/** One agenda item as attendance needs it: to say which item a guest attends. */
export interface AgendaItemRef {
  id: string
  title: string
}

/** The text of a Yjs XML node as ProseMirror's `textContent` reads it (embeds and leaves add nothing). */
const plainText = (node: Y.XmlElement | Y.XmlText): string => {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')
  }
  return node.toArray().map((child) => (child instanceof Y.XmlElement || child instanceof Y.XmlText ? plainText(child) : '')).join('')
}

/**
 * The meeting's agenda items, in order. Reads the body; writes nothing. Only the top level and
 * each item's title are read, not the whole body: the attendance list re-reads this on every
 * change of the body, and a long meeting has thousands of paragraphs under tens of items.
 */
export const listAgendaItems = (doc: Y.Doc): AgendaItemRef[] => {
  const items: AgendaItemRef[] = []
  for (const item of getBody(doc).toArray()) {
    if (!(item instanceof Y.XmlElement) || item.nodeName !== schema.nodes.agenda_item!.name) continue
    const title = item.get(0)
    const id = item.getAttribute('id') as unknown
    items.push({
      id: id === undefined || id === null ? '' : String(id),
      title: title instanceof Y.XmlElement || title instanceof Y.XmlText ? plainText(title).trim() : '',
    })
  }
  return items
}

/** What the responsible picker offers for actions: the initials (or name) of everyone listed. */
export interface ResponsibleChoice {
  value: string
  label: string
}

export const responsibleChoices = (people: readonly Person[]): ResponsibleChoice[] => {
  const seen = new Set<string>()
  const choices: ResponsibleChoice[] = []
  for (const person of people) {
    const value = (person.initials.trim() || person.name.trim())
    if (value === '' || seen.has(value)) continue
    seen.add(value)
    choices.push({ value, label: person.initials.trim() === '' ? value : `${value} – ${person.name.trim()}` })
  }
  return choices
}

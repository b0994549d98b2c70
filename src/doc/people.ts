import * as Y from 'yjs'
import { newId } from './ids'
import { getPeopleMap } from './roots'
import { Origin } from './origins'

export type Attendance = 'present' | 'absent' | 'guest' | 'excused'
export const ATTENDANCES: readonly Attendance[] = ['present', 'absent', 'guest', 'excused']

/**
 * One person of the meeting. `party` is a union, a department or a role ("SSR",
 * "Miljöförvaltningen", "HR-chef"); `reason` explains an absence ("sem"); `agendaItem` is
 * the id of the agenda item a guest attends, empty for the whole meeting; `adjuster`
 * marks a person appointed to verify the minutes ("justerare"); `memberId` links the person to
 * a member of the space (the `sub` of that member's token, SPEC I1), empty for someone who is
 * not a member (a guest, an outside presenter).
 *
 * The link is written by editors like any other field, so it proves nothing by itself: the
 * server lets only the member it names approve as this person, and writes that member's
 * verified name and id into the approval (SPEC J3), so a person re-linked by a hostile editor
 * can only ever produce an approval naming the hostile member.
 */
export interface Person {
  id: string
  name: string
  initials: string
  party: string
  attendance: Attendance
  reason: string
  adjuster: boolean
  agendaItem: string
  memberId: string
}
export type PersonFields = Omit<Person, 'id'>
export type PersonField = keyof PersonFields

const PERSON_FIELDS: readonly PersonField[] = [
  'name',
  'initials',
  'party',
  'attendance',
  'reason',
  'adjuster',
  'agendaItem',
  'memberId',
]

const isAttendance = (value: unknown): value is Attendance =>
  typeof value === 'string' && (ATTENDANCES as readonly string[]).includes(value)

const readPerson = (id: string, map: Y.Map<unknown>): Person => {
  const text = (field: PersonField): string => {
    const value = map.get(field)
    return typeof value === 'string' ? value : ''
  }
  const attendance = map.get('attendance')
  return {
    id,
    name: text('name'),
    initials: text('initials'),
    party: text('party'),
    attendance: isAttendance(attendance) ? attendance : 'present',
    reason: text('reason'),
    adjuster: map.get('adjuster') === true,
    agendaItem: text('agendaItem'),
    memberId: text('memberId'),
  }
}

const checkField = (field: PersonField, value: unknown): void => {
  if (field === 'attendance' && !isAttendance(value)) {
    throw new Error(`person attendance must be one of ${ATTENDANCES.join(', ')}, got ${String(value)}`)
  }
  if (field === 'adjuster' ? typeof value !== 'boolean' : typeof value !== 'string') {
    throw new Error(`person field ${field} has the wrong type: ${typeof value}`)
  }
}

/**
 * Adds a person and returns their id. Each person is a Y.Map of its own, each field a key,
 * so two people adding or editing different people (or different fields of one person)
 * never overwrite each other. Pass `id` to add a known person (e.g. carried over from the
 * previous meeting of the series).
 */
export const addPerson = (
  doc: Y.Doc,
  fields: Partial<PersonFields> & { name: string; id?: string },
  origin: Origin = Origin.localForm,
): string => {
  const id = fields.id ?? newId()
  const person = new Y.Map<unknown>()
  for (const field of PERSON_FIELDS) {
    const value = fields[field]
    if (value === undefined) continue
    checkField(field, value)
    person.set(field, value)
  }
  if (fields.attendance === undefined) person.set('attendance', 'present')
  doc.transact(() => getPeopleMap(doc).set(id, person), origin)
  return id
}

/**
 * Writes the given fields of one person, each as its own key; unchanged values write
 * nothing. Returns false when the person does not exist (removed meanwhile by someone else).
 */
export const updatePerson = (
  doc: Y.Doc,
  id: string,
  fields: Partial<PersonFields>,
  origin: Origin = Origin.localForm,
): boolean => {
  const person = getPeopleMap(doc).get(id)
  if (person === undefined) return false
  for (const field of PERSON_FIELDS) {
    const value = fields[field]
    if (value !== undefined) checkField(field, value)
  }
  doc.transact(() => {
    for (const field of PERSON_FIELDS) {
      const value = fields[field]
      if (value !== undefined && person.get(field) !== value) person.set(field, value)
    }
  }, origin)
  return true
}

/** Removes a person. Returns false when there was no such person. */
export const removePerson = (doc: Y.Doc, id: string, origin: Origin = Origin.localForm): boolean => {
  const people = getPeopleMap(doc)
  if (!people.has(id)) return false
  doc.transact(() => people.delete(id), origin)
  return true
}

/** One person as plain values, or undefined. */
export const getPerson = (doc: Y.Doc, id: string): Person | undefined => {
  const person = getPeopleMap(doc).get(id)
  return person === undefined ? undefined : readPerson(id, person)
}

/**
 * Everyone of the meeting, sorted by name (then id) so every client lists them in the same
 * order whatever order they were added in.
 */
export const listPeople = (doc: Y.Doc): Person[] => {
  const list: Person[] = []
  getPeopleMap(doc).forEach((map, id) => {
    if (map instanceof Y.Map) list.push(readPerson(id, map))
  })
  return list.sort((a, b) => a.name.localeCompare(b.name, 'sv') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** Calls `listener` after any change to the people or their fields. Returns the unsubscribe. */
export const observePeople = (doc: Y.Doc, listener: (people: Person[], origin: unknown) => void): (() => void) => {
  const people = getPeopleMap(doc)
  const handler = (_events: Array<Y.YEvent<any>>, transaction: Y.Transaction): void =>
    listener(listPeople(doc), transaction.origin)
  people.observeDeep(handler)
  return () => people.unobserveDeep(handler)
}

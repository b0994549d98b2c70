import type * as Y from 'yjs'
import { findPersonByName } from './attendance'
import { Origin } from './origins'
import { addPerson, listPeople, updatePerson, type Attendance, type PersonFields } from './people'

/** One person read from a pasted attendance line. */
export interface PastedPerson {
  name: string
  initials: string
  party: string
  attendance: Attendance
  reason: string
}

// The labels real minutes put in front of a list of names (the seeds; Swedish and English).
const LABELS: ReadonlyArray<{ pattern: RegExp; attendance: Attendance }> = [
  { pattern: /^(närvarande|deltagare|present|attendees|attending)\s*:/i, attendance: 'present' },
  { pattern: /^(frånvarande|absent|apologies)\s*:/i, attendance: 'absent' },
  { pattern: /^(anmält förhinder|förhinder|excused)\s*:/i, attendance: 'excused' },
  { pattern: /^(gäster|gäst|guests?)\s*:/i, attendance: 'guest' },
]

const CAPITALS = /^[A-ZÅÄÖÉÜ]{1,5}$/u

/** "AA" for Annika Andersson, "MMH" or "MH" for Mikael Mannsdorff Håkansson; not "SSR" for Cecilia Cederström. */
const isInitialsOf = (letters: string, name: string): boolean => {
  if (!CAPITALS.test(letters)) return false
  const firsts = name.split(/[\s-]+/).map((part) => part.charAt(0).toLocaleUpperCase('sv')).join('')
  if (letters.charAt(0) !== firsts.charAt(0)) return false
  let at = 0
  for (const letter of letters) {
    at = firsts.indexOf(letter, at)
    if (at < 0) return false
    at++
  }
  return true
}

/**
 * People from lines as minutes write them: "Närvarande: Annika Andersson (AA), Bo Berg (BB)",
 * "Frånvarande: Eric Semb (sem)", "Gäster: Henrik Frindberg (Miljöförvaltningen)". A line
 * without a label lists people present; names are separated by commas, semicolons or line
 * breaks. In brackets, the capitals of the name's parts are initials ("(AA)"); in an absence,
 * anything else is the reason ("(sem)"); otherwise it is the party or role ("(SSR)").
 */
export const parsePeople = (text: string): PastedPerson[] => {
  const people: PastedPerson[] = []
  let attendance: Attendance = 'present'
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim()
    if (line === '') continue
    const label = LABELS.find(({ pattern }) => pattern.test(line))
    if (label !== undefined) {
      attendance = label.attendance
      line = line.replace(label.pattern, '').trim()
    }
    for (const part of line.split(/[,;]/)) {
      const match = /^(.*?)\s*(?:\(([^)]*)\))?\s*$/u.exec(part.trim())
      const name = (match?.[1] ?? '').replace(/\s+/g, ' ').trim()
      if (name === '') continue
      const inBrackets = (match?.[2] ?? '').trim()
      const person: PastedPerson = { name, initials: '', party: '', attendance, reason: '' }
      if (isInitialsOf(inBrackets, name)) person.initials = inBrackets
      else if (inBrackets !== '' && (attendance === 'absent' || attendance === 'excused')) person.reason = inBrackets
      else person.party = inBrackets
      people.push(person)
    }
  }
  return people
}

/**
 * Adds the pasted people to the meeting, one transaction; someone already listed (by name)
 * gets what the paste says about their attendance and the fields they lack, and is not added
 * twice. Returns how many were added and how many updated.
 */
export const addPastedPeople = (doc: Y.Doc, text: string, origin: Origin = Origin.localForm): { added: number; updated: number } => {
  const pasted = parsePeople(text)
  let added = 0
  let updated = 0
  doc.transact(() => {
    for (const person of pasted) {
      const existing = findPersonByName(listPeople(doc), person.name)
      if (existing === undefined) {
        addPerson(doc, person, origin)
        added++
        continue
      }
      const fields: Partial<PersonFields> = { attendance: person.attendance }
      if (existing.initials === '' && person.initials !== '') fields.initials = person.initials
      if (existing.party === '' && person.party !== '') fields.party = person.party
      if (person.reason !== '') fields.reason = person.reason
      updatePerson(doc, existing.id, fields, origin)
      updated++
    }
  }, origin)
  return { added, updated }
}

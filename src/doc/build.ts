import { writeLock } from './adjustment'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import type * as Y from 'yjs'
import { meetingBodyNode, type AgendaItemDescription } from './body-json'
import { newId } from './ids'
import { getBody } from './meeting-doc'
import { setMetaFields, type MeetingMeta } from './meta'
import { Origin } from './origins'
import { addPerson, type PersonFields } from './people'

/** A whole meeting in plain data: header, people, agenda items with their blocks. */
export interface MeetingDescription {
  meta?: Partial<MeetingMeta>
  people?: ReadonlyArray<Partial<PersonFields> & { name: string; id?: string }>
  items: readonly AgendaItemDescription[]
}

/**
 * Writes a meeting from a description, in one transaction: the header fields given, the
 * people (added), and the body (replaced by the description's items). For tests, imports and
 * exports that rebuild the seeds; a new meeting that several clients may open at once is
 * seeded with `seedMeeting` instead.
 */
export const buildMeeting = (doc: Y.Doc, description: MeetingDescription, origin: Origin = Origin.template): void => {
  const body = meetingBodyNode(description.items, newId)
  doc.transact(() => {
    if (description.meta !== undefined) setMetaFields(doc, description.meta, origin)
    for (const person of description.people ?? []) addPerson(doc, person, origin)
    prosemirrorToYXmlFragment(body, getBody(doc))
    // Minutes described as adjusted (an adjusted record brought in) are built locked: the lock,
    // not the header's status, is what says so (SPEC J7). Locally written, so unverified.
    if (description.meta?.status === 'adjusted') writeLock(doc, new Date(0), origin)
  }, origin)
}

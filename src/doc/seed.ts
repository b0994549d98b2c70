import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import * as Y from 'yjs'
import type { AgendaItemDescription } from './body-json'
import { meetingBodyNode } from './body-json'
import { getBody, getMetaMap, getPeopleMap } from './meeting-doc'
import type { MeetingMeta } from './meta'
import { Origin } from './origins'
import type { PersonFields } from './people'
import { stableHash32 } from './ids'

/**
 * What a new meeting starts with: agenda items (empty, or the previous meeting's), and
 * optionally a prefilled header and people (who need fixed ids: see `seedMeeting`).
 */
export interface MeetingTemplate {
  items: readonly AgendaItemDescription[]
  meta?: Partial<MeetingMeta>
  people?: ReadonlyArray<Partial<PersonFields> & { id: string; name: string }>
}

/**
 * The Yjs update that seeds `meetingId` with `template`: the same bytes on every client.
 *
 * Why: if two attendees open a new meeting at the same moment and each writes the template
 * with their own client id, Yjs keeps both copies (yjs-demos#16, y-prosemirror#16). Here the
 * template is written by a throwaway `Y.Doc` whose client id is derived from the meeting id
 * and the template's content, so every client produces identical structs (same client, same
 * clocks, same content) and applying them twice, or concurrently, is a no-op. A different
 * template yields a different client id, so two clients seeding from different knowledge get
 * both templates rather than corrupted structs under one id.
 */
export const createSeedUpdate = (meetingId: string, template: MeetingTemplate): Uint8Array => {
  const fingerprint = JSON.stringify([meetingId, template.items, template.meta ?? {}, template.people ?? []])
  const seedDoc = new Y.Doc()
  seedDoc.clientID = stableHash32(fingerprint)
  let counter = 0
  const idPrefix = stableHash32(`ids:${fingerprint}`).toString(36)
  const ids = (): string => `${idPrefix}-${(counter++).toString(36)}`
  const body = meetingBodyNode(template.items, ids)
  seedDoc.transact(() => {
    const meta = getMetaMap(seedDoc)
    for (const [field, value] of Object.entries(template.meta ?? {})) {
      if (value !== undefined) meta.set(field, value)
    }
    const people = getPeopleMap(seedDoc)
    for (const { id, ...fields } of template.people ?? []) {
      const person = new Y.Map<unknown>()
      for (const [field, value] of Object.entries(fields)) {
        if (value !== undefined) person.set(field, value)
      }
      if (fields.attendance === undefined) person.set('attendance', 'present')
      people.set(id, person)
    }
    prosemirrorToYXmlFragment(body, getBody(seedDoc))
  }, Origin.template)
  const update = Y.encodeStateAsUpdate(seedDoc)
  seedDoc.destroy()
  return update
}

/**
 * Seeds a meeting from a template, idempotently: every client may call this when it opens
 * a new meeting, at the same time, before or after syncing, and the template appears once.
 * Content someone typed before the seed arrived stays, next to the template.
 *
 * The header and people in the template are best written before anyone edits those fields:
 * a field someone set concurrently with the seed may end up with either value.
 */
export const seedMeeting = (doc: Y.Doc, meetingId: string, template: MeetingTemplate): void => {
  Y.applyUpdate(doc, createSeedUpdate(meetingId, template), Origin.template)
}

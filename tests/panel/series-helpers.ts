import * as Y from 'yjs'
import { buildMeeting, createMeetingDoc, type BlockDescription, type MeetingMeta } from '../../src/doc'
import { LockShape } from '../../src/protocol'
import type { MeetingDoc } from '../../src/series'

export type ActionSpec = Extract<BlockDescription, { type: 'action' }>

/** A meeting of a series with the given actions under one agenda item. */
export const meeting = (
  id: string,
  meta: Partial<MeetingMeta>,
  actions: ReadonlyArray<Omit<ActionSpec, 'type'>> = [],
): MeetingDoc => {
  const doc = createMeetingDoc()
  buildMeeting(doc, {
    meta,
    people: [
      { id: `${id}-p1`, name: 'Annika Andersson', initials: 'AA', party: 'Rektor' },
      { id: `${id}-p2`, name: 'Gäst Gästsson', initials: 'GG', attendance: 'guest' },
    ],
    items: [{ title: 'Uppdrag', blocks: actions.map((action) => ({ type: 'action' as const, ...action })) }],
  })
  return { id, doc }
}

export const lock = (doc: Y.Doc): void => {
  doc.getMap(LockShape.root).set(LockShape.locked, true)
}

export const by = (name: string, at = '2024-05-02T10:00:00.000Z') => ({ name, at })

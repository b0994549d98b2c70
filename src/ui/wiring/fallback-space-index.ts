/**
 * The space's synced meeting list, used until `src/sync`'s space index is wired in (then
 * delete this file). One Y.Doc per space: a map meeting id → Y.Map of title, group, date.
 */
import * as Y from 'yjs'
import type { MeetingMeta } from '../../doc'
import { Origin } from '../../doc'

export interface IndexedMeeting {
  id: string
  title: string
  group: string
  date: string
  created: number
}

// The room name src/sync documents for the meeting list.
export const SPACE_INDEX_ROOM = 'index'

const entries = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap('meetings')

export const listIndexedMeetings = (doc: Y.Doc): IndexedMeeting[] => {
  const list: IndexedMeeting[] = []
  entries(doc).forEach((entry, id) => {
    const text = (key: string): string => {
      const value = entry.get(key)
      return typeof value === 'string' ? value : ''
    }
    const created = entry.get('created')
    list.push({ id, title: text('title'), group: text('group'), date: text('date'), created: typeof created === 'number' ? created : 0 })
  })
  return list
}

export const addIndexedMeeting = (doc: Y.Doc, id: string, created: number): void => {
  doc.transact(() => {
    const entry = new Y.Map<unknown>()
    entry.set('created', created)
    entries(doc).set(id, entry)
  }, Origin.localForm)
}

/** Copies the header fields the list shows; writes nothing when they are unchanged. */
export const updateIndexedMeeting = (doc: Y.Doc, id: string, meta: MeetingMeta): void => {
  const entry = entries(doc).get(id)
  if (entry === undefined) return
  const changes = (['title', 'group', 'date'] as const).filter((key) => entry.get(key) !== meta[key])
  if (changes.length === 0) return
  doc.transact(() => {
    for (const key of changes) entry.set(key, meta[key])
  }, Origin.localForm)
}

export const observeIndex = (doc: Y.Doc, listener: () => void): (() => void) => {
  const map = entries(doc)
  map.observeDeep(listener)
  return () => map.unobserveDeep(listener)
}

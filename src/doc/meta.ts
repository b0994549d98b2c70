import type * as Y from 'yjs'
import { getMetaMap } from './roots'
import { Origin } from './origins'

/** Where the minutes are in their life: written, marked final by the secretary, adjusted. */
export type MeetingStatus = 'draft' | 'final' | 'adjusted'
export const MEETING_STATUSES: readonly MeetingStatus[] = ['draft', 'final', 'adjusted']

/**
 * The meeting's header. Dates are ISO (`2023-02-27`), times `HH:MM`; people fields hold free
 * text (a name or a role such as "Omsorgsdirektören").
 */
export interface MeetingMeta {
  title: string
  organisation: string
  group: string
  date: string
  start: string
  end: string
  place: string
  convener: string
  secretary: string
  /**
   * The member id (SPEC I1) of the person who keeps the minutes, written with `secretary` when a
   * person of the attendance is marked secretary; empty when the secretary is free text or not
   * a member. The sync server lets this member (or an owner) mark the minutes final (SPEC J2).
   */
  secretaryMemberId: string
  status: MeetingStatus
  /**
   * The series the meeting belongs to (recurring meetings of one group): an opaque id shared
   * by its meetings. Empty: the series is the group's, or the meeting stands alone (see
   * `src/series`).
   */
  series: string
  /**
   * The number of the first agenda item, as digits ("34": municipal minutes number their
   * paragraphs on through the year, § 34, § 35 …). Empty: numbering starts at 1.
   */
  firstNumber: string
}
export type MetaField = keyof MeetingMeta

export const META_FIELDS: readonly MetaField[] = [
  'title',
  'organisation',
  'group',
  'date',
  'start',
  'end',
  'place',
  'convener',
  'secretary',
  'secretaryMemberId',
  'status',
  'series',
  'firstNumber',
]

const isStatus = (value: unknown): value is MeetingStatus =>
  typeof value === 'string' && (MEETING_STATUSES as readonly string[]).includes(value)

/**
 * The header as plain values. Missing or malformed fields (a document written by an older
 * or foreign client) read as empty strings and status `draft`, never throw.
 */
export const getMeta = (doc: Y.Doc): MeetingMeta => {
  const map = getMetaMap(doc)
  const text = (field: MetaField): string => {
    const value = map.get(field)
    return typeof value === 'string' ? value : ''
  }
  const status = map.get('status')
  return {
    title: text('title'),
    organisation: text('organisation'),
    group: text('group'),
    date: text('date'),
    start: text('start'),
    end: text('end'),
    place: text('place'),
    convener: text('convener'),
    secretary: text('secretary'),
    secretaryMemberId: text('secretaryMemberId'),
    status: isStatus(status) ? status : 'draft',
    series: text('series'),
    firstNumber: text('firstNumber'),
  }
}

/** The number the meeting's first agenda item has: `firstNumber` when it is a whole number from 1 to 9999, else 1. */
export const firstItemNumber = (meta: Pick<MeetingMeta, 'firstNumber'>): number => {
  const number = /^\d{1,4}$/.test(meta.firstNumber.trim()) ? Number(meta.firstNumber.trim()) : 1
  return number >= 1 ? number : 1
}

/**
 * Writes one header field. Each field is its own Y.Map key, so two people editing
 * different fields at the same moment both keep their edit; the same field converges to one
 * value. Writing the value a field already has writes nothing.
 */
export const setMetaField = <K extends MetaField>(
  doc: Y.Doc,
  field: K,
  value: MeetingMeta[K],
  origin: Origin = Origin.localForm,
): void => {
  if (field === 'status' && !isStatus(value)) {
    throw new Error(`setMetaField: status must be one of ${MEETING_STATUSES.join(', ')}, got ${String(value)}`)
  }
  const map = getMetaMap(doc)
  if (map.get(field) === value) return
  doc.transact(() => map.set(field, value), origin)
}

/** Writes several header fields in one transaction (each still its own key). */
export const setMetaFields = (
  doc: Y.Doc,
  fields: Partial<MeetingMeta>,
  origin: Origin = Origin.localForm,
): void => {
  doc.transact(() => {
    for (const field of META_FIELDS) {
      const value = fields[field]
      if (value !== undefined) setMetaField(doc, field, value, origin)
    }
  }, origin)
}

/** Calls `listener` after every change of the header, whatever its origin. Returns the unsubscribe. */
export const observeMeta = (doc: Y.Doc, listener: (meta: MeetingMeta, origin: unknown) => void): (() => void) => {
  const map = getMetaMap(doc)
  const handler = (_event: Y.YMapEvent<unknown>, transaction: Y.Transaction): void =>
    listener(getMeta(doc), transaction.origin)
  map.observe(handler)
  return () => map.unobserve(handler)
}

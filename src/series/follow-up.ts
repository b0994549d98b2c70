import * as Y from 'yjs'
import { Origin } from '../doc/origins'
import { stableHash32 } from '../doc'
import { Root } from '../doc/roots'

/**
 * The follow-up of a meeting: the actions still open from earlier meetings of its series,
 * carried in when the meeting was created, and checked in during it.
 *
 * Shape (root `followUp`): a Y.Map of action id → Y.Map with one key per field. The carried
 * fields (`text`, `responsible`, `due`, `fromMeetingId`, `fromDate`, `fromTitle`) are written
 * only by the seed; the check-in fields (`status`, `checkedBy`, `checkedAt`) only by people.
 * So attendees checking in different actions at the same moment write different maps and both
 * are kept; two check-ins of one action converge on one; and a seed that arrives late never
 * undoes a check-in. The earlier meetings themselves are never written.
 */

/** Where a carried action stands. `open`: not checked in yet at this meeting. */
export type FollowUpStatus = 'open' | 'done' | 'in-progress' | 'dropped' | 'carried'
export const FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['open', 'done', 'in-progress', 'dropped', 'carried']

/** An action as carried into a meeting: where it was written, what it says. */
export interface CarriedAction {
  actionId: string
  text: string
  responsible: string
  due: string
  /** The meeting the action was written in (not the one it was last carried from). */
  fromMeetingId: string
  fromDate: string
  fromTitle: string
}

export interface FollowUpEntry extends CarriedAction {
  status: FollowUpStatus
  /** Display name of whoever checked it in, and when (ISO time); empty while `open`. */
  checkedBy: string
  checkedAt: string
}

const CARRIED_FIELDS = ['text', 'responsible', 'due', 'fromMeetingId', 'fromDate', 'fromTitle'] as const

export const isFollowUpStatus = (value: unknown): value is FollowUpStatus =>
  typeof value === 'string' && (FOLLOW_UP_STATUSES as readonly string[]).includes(value)

/** The follow-up root. Prefer the functions of this module. */
export const getFollowUpMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap(Root.followUp)

const readEntry = (actionId: string, map: Y.Map<unknown>): FollowUpEntry => {
  const text = (key: string): string => {
    const value = map.get(key)
    return typeof value === 'string' ? value : ''
  }
  const status = map.get('status')
  return {
    actionId,
    text: text('text'),
    responsible: text('responsible'),
    due: text('due'),
    fromMeetingId: text('fromMeetingId'),
    fromDate: text('fromDate'),
    fromTitle: text('fromTitle'),
    status: isFollowUpStatus(status) ? status : 'open',
    checkedBy: text('checkedBy'),
    checkedAt: text('checkedAt'),
  }
}

const collator = new Intl.Collator('sv')

/** The meeting's follow-up, oldest origin first, then by text: the same order on every client. */
export const readFollowUp = (doc: Y.Doc): FollowUpEntry[] => {
  const entries: FollowUpEntry[] = []
  getFollowUpMap(doc).forEach((map, actionId) => {
    if (map instanceof Y.Map) entries.push(readEntry(actionId, map))
  })
  return entries.sort(
    (a, b) =>
      a.fromDate.localeCompare(b.fromDate) ||
      a.fromMeetingId.localeCompare(b.fromMeetingId) ||
      collator.compare(a.text, b.text) ||
      a.actionId.localeCompare(b.actionId),
  )
}

/** One entry, or undefined when the meeting does not follow this action up. */
export const getFollowUpEntry = (doc: Y.Doc, actionId: string): FollowUpEntry | undefined => {
  const map = getFollowUpMap(doc).get(actionId)
  return map instanceof Y.Map ? readEntry(actionId, map) : undefined
}

/**
 * The update that carries `actions` into `meetingId`'s follow-up: the same bytes on every
 * client that knows the same actions.
 *
 * Why two writers per action: each action's Y.Map is created by a throwaway doc whose client
 * id derives from meeting and action only, so every client creates the very same struct and
 * Yjs keeps one map (two different maps under one key would drop the check-ins written into
 * the losing one). Its carried fields are written by a second throwaway doc whose client id
 * also covers the content, so clients that know different text for an action write both and
 * converge on one, without ever reusing a client id for different content.
 */
export const createFollowUpUpdate = (meetingId: string, actions: readonly CarriedAction[]): Uint8Array => {
  const updates: Uint8Array[] = []
  for (const action of actions) {
    const create = new Y.Doc()
    create.clientID = stableHash32(`followUp\n${meetingId}\n${action.actionId}`)
    create.transact(() => getFollowUpMap(create).set(action.actionId, new Y.Map()), Origin.followUp)
    const created = Y.encodeStateAsUpdate(create)
    create.destroy()

    const fill = new Y.Doc()
    fill.clientID = stableHash32(JSON.stringify(['followUp-fields', meetingId, action]))
    Y.applyUpdate(fill, created)
    const map = getFollowUpMap(fill).get(action.actionId) as Y.Map<unknown>
    fill.transact(() => {
      for (const field of CARRIED_FIELDS) map.set(field, action[field])
    }, Origin.followUp)
    updates.push(Y.encodeStateAsUpdate(fill))
    fill.destroy()
  }
  return updates.length === 0 ? new Uint8Array([0, 0]) : Y.mergeUpdates(updates)
}

/**
 * Carries actions into a meeting's follow-up, idempotently: every attendee may do it at the
 * same moment, and each action appears once. Check-ins already made are never touched.
 */
export const seedFollowUp = (doc: Y.Doc, meetingId: string, actions: readonly CarriedAction[]): void => {
  if (actions.length === 0) return
  Y.applyUpdate(doc, createFollowUpUpdate(meetingId, actions), Origin.followUp)
}

/**
 * Checks in one carried action: done, in progress, dropped, carried on, or back to open.
 * Writes only that action's check-in keys. Returns false when the meeting does not follow
 * this action up.
 */
export const checkInFollowUp = (
  doc: Y.Doc,
  actionId: string,
  status: FollowUpStatus,
  by: { name: string; at: string },
  origin: unknown = Origin.followUp,
): boolean => {
  const map = getFollowUpMap(doc).get(actionId)
  if (!(map instanceof Y.Map)) return false
  const open = status === 'open'
  doc.transact(() => {
    if (map.get('status') !== status) map.set('status', status)
    map.set('checkedBy', open ? '' : by.name)
    map.set('checkedAt', open ? '' : by.at)
  }, origin)
  return true
}

/** Calls `listener` after any change of the follow-up (local or remote). Returns the unsubscribe. */
export const observeFollowUp = (doc: Y.Doc, listener: () => void): (() => void) => {
  const map = getFollowUpMap(doc)
  const handler = (): void => listener()
  map.observeDeep(handler)
  return () => map.unobserveDeep(handler)
}

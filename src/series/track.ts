import type * as Y from 'yjs'
import { getMeta, type MeetingMeta } from '../doc/meta'
import { LockShape } from '../protocol'
import { readWrittenActions, type WrittenAction } from './actions'
import { readFollowUp, type CarriedAction, type FollowUpEntry, type FollowUpStatus } from './follow-up'

/** A meeting document the series model reads. It never writes to it. */
export interface MeetingDoc {
  id: string
  doc: Y.Doc
}

/**
 * The series a meeting belongs to: its `series` when set; else its group's (meetings of
 * group "LG" form one series until someone gives them an explicit one); else it stands alone.
 */
export const seriesKeyOf = (id: string, meta: Pick<MeetingMeta, 'series' | 'group'>): string => {
  if (meta.series !== '') return meta.series
  const group = meta.group.trim().toLocaleLowerCase('sv')
  return group === '' ? `meeting:${id}` : `group:${group}`
}

/** Is the meeting adjusted and locked (SPEC L1)? Nothing may be written to it then. */
export const isLocked = (doc: Y.Doc): boolean => doc.getMap(LockShape.root).get(LockShape.locked) === true

/** An action followed along its chain: written in one meeting, followed up in later ones. */
export interface TrackedAction extends CarriedAction {
  /** The latest check-in along the chain, else its status where it was written. */
  status: FollowUpStatus
  checkedBy: string
  checkedAt: string
  /** The meeting whose record gave `status` (where it was written when nobody checked it in since). */
  statusMeetingId: string
  /** The meetings of its chain known here, oldest first: where it was written, then each follow-up. */
  chain: string[]
  /** Whether the meeting it was written in is known here (else it is known from a follow-up). */
  writtenHere: boolean
  series: string
  /** The group of the series' newest meeting, for showing; may be empty. */
  seriesLabel: string
}

/** Done and dropped actions are closed; everything else is still open and comes back next time. */
export const isOpenStatus = (status: FollowUpStatus): boolean => status !== 'done' && status !== 'dropped'

interface MeetingFacts {
  id: string
  meta: MeetingMeta
  series: string
  locked: boolean
  written: WrittenAction[]
  followUp: FollowUpEntry[]
}

/** Oldest first: by date, then by id, so every client orders meetings of one day alike. */
const byAge = (a: { id: string; meta: MeetingMeta }, b: { id: string; meta: MeetingMeta }): number =>
  a.meta.date.localeCompare(b.meta.date) || a.id.localeCompare(b.id)

export const readMeetingFacts = (meetings: readonly MeetingDoc[]): MeetingFacts[] =>
  meetings
    .map(({ id, doc }) => {
      const meta = getMeta(doc)
      return {
        id,
        meta,
        series: seriesKeyOf(id, meta),
        locked: isLocked(doc),
        written: readWrittenActions(doc),
        followUp: readFollowUp(doc),
      }
    })
    .sort(byAge)

/**
 * Every action the given meetings know, with its current status: the newest follow-up
 * check-in of it, else its own status in the meeting it was written in. Oldest first.
 */
export const trackActions = (meetings: readonly MeetingDoc[]): TrackedAction[] => {
  const facts = readMeetingFacts(meetings)
  const newestGroup = new Map<string, string>()
  for (const meeting of facts) if (meeting.meta.group !== '') newestGroup.set(meeting.series, meeting.meta.group)

  const written = new Map<string, { meeting: MeetingFacts; action: WrittenAction }>()
  const followUps = new Map<string, Array<{ meeting: MeetingFacts; entry: FollowUpEntry }>>()
  const order: string[] = []
  const see = (id: string): void => {
    if (!written.has(id) && !followUps.has(id)) order.push(id)
  }
  for (const meeting of facts) {
    for (const action of meeting.written) {
      see(action.id)
      // The oldest meeting that has it is where it was written (a copy keeps the id).
      if (!written.has(action.id)) written.set(action.id, { meeting, action })
    }
    for (const entry of meeting.followUp) {
      see(entry.actionId)
      const list = followUps.get(entry.actionId) ?? []
      list.push({ meeting, entry })
      followUps.set(entry.actionId, list)
    }
  }

  return order.map((actionId): TrackedAction => {
    const origin = written.get(actionId)
    const records = followUps.get(actionId) ?? []
    const newestRecord = records[records.length - 1]
    const carried: CarriedAction =
      origin !== undefined
        ? {
            actionId,
            text: origin.action.text,
            responsible: origin.action.responsible,
            due: origin.action.due,
            fromMeetingId: origin.meeting.id,
            fromDate: origin.meeting.meta.date,
            fromTitle: origin.meeting.meta.title,
          }
        : {
            actionId,
            text: newestRecord!.entry.text,
            responsible: newestRecord!.entry.responsible,
            due: newestRecord!.entry.due,
            fromMeetingId: newestRecord!.entry.fromMeetingId,
            fromDate: newestRecord!.entry.fromDate,
            fromTitle: newestRecord!.entry.fromTitle,
          }
    const checked = [...records].reverse().find(({ entry }) => entry.status !== 'open')
    const status =
      checked !== undefined
        ? { status: checked.entry.status, checkedBy: checked.entry.checkedBy, checkedAt: checked.entry.checkedAt, statusMeetingId: checked.meeting.id }
        : origin !== undefined
          ? { status: origin.action.status, checkedBy: origin.action.checkedBy, checkedAt: origin.action.checkedAt, statusMeetingId: origin.meeting.id }
          : { status: 'open' as const, checkedBy: '', checkedAt: '', statusMeetingId: newestRecord!.meeting.id }
    const chain = [...(origin === undefined ? [] : [origin.meeting.id]), ...records.map(({ meeting }) => meeting.id)]
    const series = (origin?.meeting ?? newestRecord!.meeting).series
    return {
      ...carried,
      ...status,
      chain: [...new Set(chain)],
      writtenHere: origin !== undefined,
      series,
      seriesLabel: newestGroup.get(series) ?? '',
    }
  })
}

/**
 * The actions a new meeting of `series` follows up: every action of the series still open,
 * from the given meetings (which must not include the new meeting itself).
 */
export const collectOpenActions = (meetings: readonly MeetingDoc[], series: string): CarriedAction[] =>
  trackActions(meetings)
    .filter((action) => action.series === series && isOpenStatus(action.status))
    .map(({ actionId, text, responsible, due, fromMeetingId, fromDate, fromTitle }) => ({
      actionId,
      text,
      responsible,
      due,
      fromMeetingId,
      fromDate,
      fromTitle,
    }))

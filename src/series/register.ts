import type * as Y from 'yjs'
import { Origin } from '../doc/origins'
import { setWrittenActionDone } from './actions'
import { checkInFollowUp, type FollowUpStatus } from './follow-up'
import { isLocked, isOpenStatus, readMeetingFacts, trackActions, type MeetingDoc, type TrackedAction } from './track'

/** Where a check from the register is written. */
export interface CheckTarget {
  meetingId: string
  /** `action`: tick the action in the meeting it was written in; `followUp`: a follow-up check-in. */
  kind: 'action' | 'followUp'
}

/** One line of the space's action register. */
export interface RegisterEntry extends TrackedAction {
  overdue: boolean
  /** Null when every meeting that could take a check is adjusted and locked. */
  target: CheckTarget | null
}

/** Past its due date (`today` is `YYYY-MM-DD`) and still open. */
export const isOverdue = (due: string, status: FollowUpStatus, today: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(due) && due < today && isOpenStatus(status)

/**
 * Every action the given meetings know, for the register: its current status, whether it is
 * overdue, and where a check would go — the newest meeting of its chain that is not locked,
 * and not older than the meeting whose record decides its status (a check written further
 * back would not change what the register shows). Ordered by due date (none last), then by
 * the date it was written.
 */
export const buildRegister = (meetings: readonly MeetingDoc[], today: string): RegisterEntry[] => {
  const locked = new Map(readMeetingFacts(meetings).map((meeting) => [meeting.id, meeting.locked]))
  return trackActions(meetings)
    .map((action): RegisterEntry => {
      const from = Math.max(0, action.chain.indexOf(action.statusMeetingId))
      const open = action.chain.slice(from).filter((id) => locked.get(id) === false)
      const meetingId = open[open.length - 1]
      const target: CheckTarget | null =
        meetingId === undefined
          ? null
          : { meetingId, kind: action.writtenHere && meetingId === action.chain[0] ? 'action' : 'followUp' }
      return { ...action, overdue: isOverdue(action.due, action.status, today), target }
    })
    .sort(
      (a, b) =>
        (a.due === '' ? 1 : 0) - (b.due === '' ? 1 : 0) ||
        a.due.localeCompare(b.due) ||
        a.fromDate.localeCompare(b.fromDate) ||
        a.actionId.localeCompare(b.actionId),
    )
}

/** The statuses a check can set at a target: a written action is only open or done. */
export const statusesFor = (target: CheckTarget): readonly FollowUpStatus[] =>
  target.kind === 'action' ? ['open', 'done'] : ['open', 'done', 'in-progress', 'dropped', 'carried']

/**
 * Writes a check from the register into the target meeting's document. Returns false when it
 * does not apply: the meeting is locked, has no such action or follow-up, or the status cannot
 * be set on a written action (only open and done can).
 */
export const checkFromRegister = (
  doc: Y.Doc,
  target: CheckTarget,
  actionId: string,
  status: FollowUpStatus,
  by: { name: string; at: string },
): boolean => {
  if (isLocked(doc) || !statusesFor(target).includes(status)) return false
  return target.kind === 'followUp'
    ? checkInFollowUp(doc, actionId, status, by, Origin.followUp)
    : setWrittenActionDone(doc, actionId, status === 'done', by, Origin.followUp)
}

/** What the register can be narrowed to. Empty fields do not filter. */
export interface RegisterFilter {
  /** Initials or name, as written in the action ("AA"); case-insensitive. */
  responsible?: string
  /** `open` keeps every action still open (in progress and carried too); `closed`: done or dropped. */
  status?: 'open' | 'closed' | FollowUpStatus | ''
  series?: string
  /** Due on or before this date (`YYYY-MM-DD`). */
  dueBy?: string
  overdueOnly?: boolean
}

const fold = (text: string): string => text.trim().toLocaleLowerCase('sv')

export const filterRegister = (entries: readonly RegisterEntry[], filter: RegisterFilter): RegisterEntry[] =>
  entries.filter((entry) => {
    if (filter.responsible && fold(entry.responsible) !== fold(filter.responsible)) return false
    if (filter.status === 'open' && !isOpenStatus(entry.status)) return false
    if (filter.status === 'closed' && isOpenStatus(entry.status)) return false
    if (filter.status && filter.status !== 'open' && filter.status !== 'closed' && entry.status !== filter.status) return false
    if (filter.series && entry.series !== filter.series) return false
    if (filter.dueBy && (entry.due === '' || entry.due > filter.dueBy)) return false
    if (filter.overdueOnly && !entry.overdue) return false
    return true
  })

/** The responsible people of the register, for a filter's choices (sorted, each once). */
export const registerResponsibles = (entries: readonly RegisterEntry[]): string[] =>
  [...new Set(entries.map((entry) => entry.responsible.trim()).filter((r) => r !== ''))].sort((a, b) =>
    a.localeCompare(b, 'sv'),
  )

/** The series of the register, with a label to show (the group, else empty). */
export const registerSeries = (entries: readonly RegisterEntry[]): Array<{ key: string; label: string }> => {
  const seen = new Map<string, string>()
  for (const entry of entries) if (!seen.has(entry.series) || seen.get(entry.series) === '') seen.set(entry.series, entry.seriesLabel)
  return [...seen].map(([key, label]) => ({ key, label })).sort((a, b) => a.label.localeCompare(b.label, 'sv') || a.key.localeCompare(b.key))
}

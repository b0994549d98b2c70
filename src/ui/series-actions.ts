/**
 * What the panel does for calls, series and the action register, on top of the space session
 * (`SpaceSession`): the components call these and only learn which meeting to open.
 */
import type * as Y from 'yjs'
import { callMeetingId, callSeriesId, callTitle, localDate, type CallAddress } from '../call'
import { getMeta, seedMeeting, setMetaField } from '../doc'
import { Origin } from '../doc/origins'
import {
  buildRegister,
  checkFromRegister,
  nextMeetingId,
  planNextMeeting,
  seedFollowUp,
  type FollowUpStatus,
  type RegisterEntry,
} from '../series'
import type { MeetingSession, PanelStatus, SpaceSession } from './panel-services'

/**
 * Lists (idempotently) the meeting of `call` today in this space and returns its id: every
 * attendee of the call who is in the space gets the same one.
 */
export const ensureCallMeeting = async (space: SpaceSession, call: CallAddress, now: Date): Promise<string> => {
  const date = localDate(now)
  const [id, series] = await Promise.all([callMeetingId(space.spaceId, call, date), callSeriesId(space.spaceId, call)])
  const title = callTitle(call)
  await space.ensureMeeting(id, { title, group: '', date }, (doc) =>
    seedMeeting(doc, id, { items: [{ title: '' }], meta: { title, date, series } }),
  )
  return id
}

/**
 * Lists (idempotently) the meeting after `from` in its series and returns its id: the header
 * and people of `from`, and a follow-up of every action of the series still open in the
 * meetings this browser has. Two attendees asking at once land in one meeting.
 */
export const ensureNextMeeting = async (space: SpaceSession, from: { id: string; doc: Y.Doc }, now: Date): Promise<string> => {
  const id = await nextMeetingId(space.spaceId, from.id)
  const stored = await space.readMeetings()
  try {
    // The open meeting's own document is newer than its stored copy.
    const known = [from, ...stored.filter((meeting) => meeting.id !== from.id && meeting.id !== id)]
    const plan = planNextMeeting(from, known)
    const meta = getMeta(from.doc)
    const date = localDate(now)
    await space.ensureMeeting(id, { title: meta.title, group: meta.group, date }, (doc) => {
      seedMeeting(doc, id, plan.template)
      seedFollowUp(doc, id, plan.followUp)
      if (getMeta(doc).date === '') setMetaField(doc, 'date', date, Origin.template)
    })
  } finally {
    for (const meeting of stored) meeting.doc.destroy()
  }
  return id
}

/** The space's action register from the meetings stored in this browser. */
export const loadRegister = async (space: SpaceSession, today: string): Promise<RegisterEntry[]> => {
  const stored = await space.readMeetings()
  try {
    return buildRegister(stored, today)
  } finally {
    for (const meeting of stored) meeting.doc.destroy()
  }
}

const SETTLED: ReadonlySet<PanelStatus['kind']> = new Set(['saved', 'local', 'auth-failed', 'error', 'storage-error', 'meeting-locked'] as PanelStatus['kind'][])

/** Resolves when the session's changes are on the server (or cannot get there now), at most after `timeoutMs`. */
const whenSettled = (session: MeetingSession, timeoutMs: number): Promise<void> =>
  new Promise((resolve) => {
    // A meeting without a server is settled once it is in IndexedDB, which the session sees to.
    if (session.status.get().kind === 'local') return resolve()
    const done = (): void => {
      clearTimeout(timer)
      stop()
      resolve()
    }
    const timer = setTimeout(done, timeoutMs)
    const stop = session.status.subscribe(() => {
      if (SETTLED.has(session.status.get().kind)) done()
    })
  })

/**
 * Writes a check from the register into its target meeting (opened for the purpose: stored
 * locally at once, sent to the server while it is reachable) and closes it again. The write is
 * in IndexedDB either way; waiting for the server only keeps the socket open long enough.
 */
export const checkInFromRegister = async (
  space: SpaceSession,
  entry: RegisterEntry,
  status: FollowUpStatus,
  by: { name: string; at: string },
): Promise<boolean> => {
  if (entry.target === null) return false
  const session = await space.openMeeting(entry.target.meetingId)
  try {
    const written = checkFromRegister(session.doc, entry.target, entry.actionId, status, by)
    if (written) await whenSettled(session, 10_000)
    return written
  } finally {
    session.destroy()
  }
}

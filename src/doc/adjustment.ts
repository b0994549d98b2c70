import * as Y from 'yjs'
import { LockShape } from '../protocol'
import { getMetaMap, getPeopleMap } from './roots'
import { getMeta, setMetaField } from './meta'
import { Origin } from './origins'
import { Root } from './roots'
import { listPeople, type Person } from './people'

/**
 * Adjusting ("justera") the minutes: the secretary marks them final, every appointed adjuster
 * approves, and the last approval locks the meeting.
 *
 * Shapes (root names are stored format, see `roots.ts`):
 * - `adjustment` (Y.Map; the server reads `locked` and writes `reopenings`, `LockShape`):
 *   `finalBy`, `finalAt` (who marked the minutes final, when), `locked` (boolean), `lockedAt`
 *   (ISO), `adjustedState` (Uint8Array: `Y.encodeStateAsUpdate` of the whole document as
 *   adjusted), `reopenings` (Y.Array of `{ by, at, reason }`, written by the server only).
 * - `approvals` (Y.Map, its own root): adjuster's person id → `{ name, at, round }`. A root of
 *   its own rather than a map nested in `adjustment`, because two clients creating the same
 *   nested map concurrently would keep only one of them, and with it only one approval. One key
 *   per adjuster, so concurrent approvals never conflict.
 *
 * `round` counts reopenings: an approval is for the text as it was in that round, so after a
 * reopening every adjuster approves again without anyone deleting the old records.
 */
export const AdjustmentRoot = { adjustment: Root.adjustment, approvals: Root.approvals } as const

const Key = {
  locked: LockShape.locked,
  reopenings: LockShape.reopenings,
  lockedAt: 'lockedAt',
  adjustedState: 'adjustedState',
  finalBy: 'finalBy',
  finalAt: 'finalAt',
} as const

export interface Approval {
  personId: string
  /** The approver's name as it was when they approved. */
  name: string
  /** ISO time. */
  at: string
  round: number
}

export interface Reopening {
  by: string
  at: string
  reason: string
}

/** The adjustment as plain values. */
export interface AdjustmentState {
  locked: boolean
  lockedAt: string
  finalBy: string
  finalAt: string
  /** How many times the meeting was reopened; approvals of earlier rounds no longer count. */
  round: number
  reopenings: Reopening[]
  /** The appointed adjusters ("justerare"). */
  adjusters: Person[]
  /** Approvals of this round by people who are (still) appointed, in the adjusters' order. */
  approvals: Approval[]
  /** Appointed adjusters who have not approved in this round. */
  pending: Person[]
  /** An adjusted version is kept (the meeting was locked at least once). */
  hasAdjustedState: boolean
}

export const getAdjustmentMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(AdjustmentRoot.adjustment)
export const getApprovalsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(AdjustmentRoot.approvals)

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

const readReopenings = (doc: Y.Doc): Reopening[] => {
  const array = getAdjustmentMap(doc).get(Key.reopenings)
  if (!(array instanceof Y.Array)) return []
  return array.toArray().map((entry: unknown) => {
    const record = (entry ?? {}) as Record<string, unknown>
    return { by: text(record.by), at: text(record.at), reason: text(record.reason) }
  })
}

const readApproval = (personId: string, value: unknown): Approval | null => {
  if (typeof value !== 'object' || value === null) return null
  const record = value as Record<string, unknown>
  return {
    personId,
    name: text(record.name),
    at: text(record.at),
    round: typeof record.round === 'number' ? record.round : 0,
  }
}

/** Is the meeting adjusted and locked (SPEC L1)? Read-only in every client while it is. */
export const isLocked = (doc: Y.Doc): boolean => getAdjustmentMap(doc).get(Key.locked) === true

export const getAdjustment = (doc: Y.Doc): AdjustmentState => {
  const map = getAdjustmentMap(doc)
  const reopenings = readReopenings(doc)
  const round = reopenings.length
  const adjusters = listPeople(doc).filter((person) => person.adjuster)
  const approvalsMap = getApprovalsMap(doc)
  const approvals: Approval[] = []
  const pending: Person[] = []
  for (const adjuster of adjusters) {
    const approval = readApproval(adjuster.id, approvalsMap.get(adjuster.id))
    if (approval !== null && approval.round === round) approvals.push(approval)
    else pending.push(adjuster)
  }
  return {
    locked: map.get(Key.locked) === true,
    lockedAt: text(map.get(Key.lockedAt)),
    finalBy: text(map.get(Key.finalBy)),
    finalAt: text(map.get(Key.finalAt)),
    round,
    reopenings,
    adjusters,
    approvals,
    pending,
    hasAdjustedState: map.get(Key.adjustedState) instanceof Uint8Array,
  }
}

/**
 * The secretary marks the minutes final: from now on the appointed adjusters can approve.
 * Returns false when the meeting is locked (nothing to mark).
 */
export const markFinal = (doc: Y.Doc, by: { name: string; now: Date }, origin: Origin = Origin.localForm): boolean => {
  if (isLocked(doc)) return false
  doc.transact(() => {
    setMetaField(doc, 'status', 'final', origin)
    const map = getAdjustmentMap(doc)
    map.set(Key.finalBy, by.name)
    map.set(Key.finalAt, by.now.toISOString())
  }, origin)
  return true
}

/** Back to draft (more to write before adjusting). Approvals of this round stay but count only once final again. */
export const markDraft = (doc: Y.Doc, origin: Origin = Origin.localForm): boolean => {
  if (isLocked(doc)) return false
  setMetaField(doc, 'status', 'draft', origin)
  return true
}

/** Why an approval cannot be recorded now, or null when it can. */
export type ApprovalProblem = 'locked' | 'not-final' | 'not-an-adjuster' | 'already-approved'

export const approvalProblem = (doc: Y.Doc, personId: string): ApprovalProblem | null => {
  const state = getAdjustment(doc)
  if (state.locked) return 'locked'
  if (getMeta(doc).status !== 'final') return 'not-final'
  if (!state.adjusters.some((person) => person.id === personId)) return 'not-an-adjuster'
  if (state.approvals.some((approval) => approval.personId === personId)) return 'already-approved'
  return null
}

/**
 * Writes the lock: the adjusted state first (the whole document as it is at this moment, with
 * every approval), then `locked`, `lockedAt` and status `adjusted`. Call inside the transaction
 * of the last approval so the server receives approval and lock as one update.
 *
 * Meeting documents run with gc, so a `Y.snapshot` of the adjusted version could not be
 * restored later (the deleted content it needs is collected); the full state is kept instead.
 */
const writeLock = (doc: Y.Doc, now: Date, origin: Origin): void => {
  const map = getAdjustmentMap(doc)
  map.set(Key.adjustedState, Y.encodeStateAsUpdate(doc))
  map.set(Key.locked, true)
  map.set(Key.lockedAt, now.toISOString())
  setMetaField(doc, 'status', 'adjusted', origin)
}

/**
 * Records `personId`'s approval with their name and the time. When it is the last approval
 * the appointed adjusters owe, the meeting is locked in the same transaction. Returns what
 * stood in the way, or null when the approval was recorded.
 */
export const approve = (
  doc: Y.Doc,
  personId: string,
  by: { name: string; now: Date },
  origin: Origin = Origin.localForm,
): ApprovalProblem | null => {
  const problem = approvalProblem(doc, personId)
  if (problem !== null) return problem
  doc.transact(() => {
    const round = getAdjustment(doc).round
    getApprovalsMap(doc).set(personId, { name: by.name, at: by.now.toISOString(), round })
    if (getAdjustment(doc).pending.length === 0) writeLock(doc, by.now, origin)
  }, origin)
  return null
}

/**
 * Approvals made at the same moment on two clients (or offline) may each miss the other, so
 * neither locks. Once both are merged, every client sees the same complete set; this names
 * the one adjuster whose panel writes the lock: the latest approval (then the greatest id), so
 * the clients agree without talking and only one of them writes. Null when no lock is due.
 */
export const lockDueBy = (doc: Y.Doc): string | null => {
  const state = getAdjustment(doc)
  if (state.locked || state.adjusters.length === 0 || state.pending.length > 0) return null
  if (getMeta(doc).status !== 'final') return null
  const last = [...state.approvals].sort((a, b) => a.at.localeCompare(b.at) || a.personId.localeCompare(b.personId)).pop()
  return last?.personId ?? null
}

/** Writes the lock when it is due and `personId` is the one to write it (`lockDueBy`). */
export const lockIfDue = (doc: Y.Doc, personId: string, now: Date, origin: Origin = Origin.localForm): boolean => {
  if (lockDueBy(doc) !== personId) return false
  doc.transact(() => writeLock(doc, now, origin), origin)
  return true
}

/**
 * Reopens a locked meeting that has no server (the local space): records who, when and why as
 * the server does for synced meetings (SPEC L3) and unlocks. A meeting with a server is
 * reopened by the server only: a client's own unlock would be refused there.
 */
export const reopenLocally = (
  doc: Y.Doc,
  record: { by: string; reason: string; now: Date },
  origin: Origin = Origin.localForm,
): boolean => {
  if (!isLocked(doc)) return false
  doc.transact(() => {
    const map = getAdjustmentMap(doc)
    let reopenings = map.get(Key.reopenings)
    if (!(reopenings instanceof Y.Array)) {
      reopenings = new Y.Array<unknown>()
      map.set(Key.reopenings, reopenings)
    }
    ;(reopenings as Y.Array<unknown>).push([{ by: record.by, at: record.now.toISOString(), reason: record.reason }])
    map.set(Key.locked, false)
  }, origin)
  return true
}

/** The document as it was adjusted, in a new Y.Doc (the caller destroys it), or null. */
export const loadAdjustedVersion = (doc: Y.Doc): Y.Doc | null => {
  const state = getAdjustmentMap(doc).get(Key.adjustedState)
  if (!(state instanceof Uint8Array)) return null
  const adjusted = new Y.Doc({ gc: false })
  Y.applyUpdate(adjusted, state)
  return adjusted
}

/** Calls `listener` after any change of the adjustment, the approvals, the people or the status. */
export const observeAdjustment = (doc: Y.Doc, listener: (state: AdjustmentState) => void): (() => void) => {
  const deep = [getAdjustmentMap(doc), getApprovalsMap(doc), getPeopleMap(doc)] as const
  const meta = getMetaMap(doc)
  const handler = (): void => listener(getAdjustment(doc))
  for (const type of deep) type.observeDeep(handler)
  meta.observe(handler)
  return () => {
    for (const type of deep) type.unobserveDeep(handler)
    meta.unobserve(handler)
  }
}

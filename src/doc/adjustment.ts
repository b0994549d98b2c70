import * as Y from 'yjs'
import { LockShape } from '../protocol'
import { getMetaMap, getPeopleMap } from './roots'
import { setMetaField } from './meta'
import { Origin } from './origins'
import { Root } from './roots'
import { listPeople, type Person } from './people'

/**
 * Adjusting ("justera") the minutes: the secretary marks them final, every appointed adjuster
 * approves, and the last approval locks the meeting.
 *
 * Shapes (root names are stored format, see `roots.ts`):
 * - `adjustment` (Y.Map; the server reads `locked`, `LockShape`): `final` (boolean: marked final
 *   and not back to draft), `finalBy`, `finalAt`, `finalMemberId` (who marked the minutes final,
 *   when), `locked` (boolean), `lockedAt` (ISO), `lockedContentHash` (the `contentHash` the
 *   approvals were of), `adjustedState` (Uint8Array: `Y.encodeStateAsUpdate` of the whole
 *   document as adjusted), `reopenings` (Y.Array of `{ by, memberId, at, reason }`).
 * - `approvals` (Y.Map, its own root): adjuster's person id → `{ name, memberId, at, round,
 *   contentHash, verified }`. A root of its own rather than a map nested in `adjustment`,
 *   because two clients creating the same nested map concurrently would keep only one of them,
 *   and with it only one approval. One key per adjuster, so concurrent approvals never conflict.
 *
 * `round` counts reopenings: an approval is for the text as it was in that round, so after a
 * reopening every adjuster approves again without anyone deleting the old records.
 *
 * Two models share these shapes. A meeting with a sync server is adjusted by the server alone
 * (SPEC J): panels send requests, the server checks who asks and writes the records below with
 * the member's verified name and id, `verified: true` and the content hash; a panel's own write
 * to these roots is refused. A meeting without a server (the local space) is adjusted by the
 * panel itself with `markFinal`, `approve` and `lockIfDue`: the same records, `verified` absent.
 * The record writers (`writeFinal`, `writeApproval`, `writeLock`, …) and the checks
 * (`approvalProblem`, `approvalsComplete`) are the same code in both.
 */
export const AdjustmentRoot = { adjustment: Root.adjustment, approvals: Root.approvals } as const

const Key = {
  locked: LockShape.locked,
  reopenings: LockShape.reopenings,
  lockedAt: 'lockedAt',
  lockedContentHash: 'lockedContentHash',
  adjustedState: 'adjustedState',
  final: 'final',
  finalBy: 'finalBy',
  finalAt: 'finalAt',
  finalMemberId: 'finalMemberId',
} as const

export interface Approval {
  personId: string
  /** The approver's name as it was when they approved: on a server, the member's verified name. */
  name: string
  /** The approving member's id (SPEC J3); empty in a meeting without a server. */
  memberId: string
  /** ISO time. */
  at: string
  round: number
  /** The `contentHash` of the minutes the approval is of; empty when none was recorded. */
  contentHash: string
  /** Written by the sync server, which checked who approved (SPEC J3); false in a local meeting. */
  verified: boolean
}

export interface Reopening {
  by: string
  /** The reopening member's id; empty when the token named no member, or without a server. */
  memberId: string
  at: string
  reason: string
}

/** Who does an act: a name, and on a server the member id from the verified token. */
export interface Actor {
  name: string
  memberId?: string
}

/** The adjustment as plain values. */
export interface AdjustmentState {
  locked: boolean
  lockedAt: string
  /** The content hash the approvals that locked the meeting were of (empty in a local meeting). */
  lockedContentHash: string
  /** Marked final (and not back to draft): the appointed adjusters can approve. */
  final: boolean
  finalBy: string
  finalAt: string
  finalMemberId: string
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
    return { by: text(record.by), memberId: text(record.memberId), at: text(record.at), reason: text(record.reason) }
  })
}

const readApproval = (personId: string, value: unknown): Approval | null => {
  if (typeof value !== 'object' || value === null) return null
  const record = value as Record<string, unknown>
  return {
    personId,
    name: text(record.name),
    memberId: text(record.memberId),
    at: text(record.at),
    round: typeof record.round === 'number' ? record.round : 0,
    contentHash: text(record.contentHash),
    verified: record.verified === true,
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
    lockedContentHash: text(map.get(Key.lockedContentHash)),
    final: map.get(Key.final) === true,
    finalBy: text(map.get(Key.finalBy)),
    finalAt: text(map.get(Key.finalAt)),
    finalMemberId: text(map.get(Key.finalMemberId)),
    round,
    reopenings,
    adjusters,
    approvals,
    pending,
    hasAdjustedState: map.get(Key.adjustedState) instanceof Uint8Array,
  }
}

/** The round approvals are made in now: how many times the meeting was reopened. */
export const currentRound = (doc: Y.Doc): number => readReopenings(doc).length

/**
 * Writes the final mark: `final`, who and when (with the member id on a server) and status
 * `final`. No checks: `markFinal` here and the server's authority (SPEC J2) check first.
 */
export const writeFinal = (doc: Y.Doc, by: Actor, now: Date, origin: Origin): void =>
  doc.transact(() => {
    setMetaField(doc, 'status', 'final', origin)
    const map = getAdjustmentMap(doc)
    map.set(Key.final, true)
    map.set(Key.finalBy, by.name)
    map.set(Key.finalAt, now.toISOString())
    if (by.memberId !== undefined) map.set(Key.finalMemberId, by.memberId)
  }, origin)

/** Back to draft: `final` false and status `draft`; writes nothing that is so already. */
export const writeDraft = (doc: Y.Doc, origin: Origin): void =>
  doc.transact(() => {
    setMetaField(doc, 'status', 'draft', origin)
    const map = getAdjustmentMap(doc)
    if (map.get(Key.final) === true) map.set(Key.final, false)
  }, origin)

/** What an approval record holds besides the person: see `Approval`. */
export interface ApprovalRecord {
  name: string
  memberId?: string
  at: string
  round: number
  contentHash?: string
  verified?: true
}

/** Writes one approval record (replacing an earlier one of the same person). No checks. */
export const writeApproval = (doc: Y.Doc, personId: string, record: ApprovalRecord, origin: Origin): void => {
  doc.transact(() => getApprovalsMap(doc).set(personId, { ...record }), origin)
}

/**
 * Writes the lock: the adjusted state first (the whole document as it is at this moment, with
 * every approval), then `locked`, `lockedAt` and status `adjusted`. Call inside the transaction
 * of the last approval so it reaches everyone as one update.
 *
 * Meeting documents run with gc, so a `Y.snapshot` of the adjusted version could not be
 * restored later (the deleted content it needs is collected); the full state is kept instead.
 */
export const writeLock = (doc: Y.Doc, now: Date, origin: Origin, contentHash?: string): void =>
  doc.transact(() => {
    const map = getAdjustmentMap(doc)
    map.set(Key.adjustedState, Y.encodeStateAsUpdate(doc))
    map.set(Key.locked, true)
    map.set(Key.lockedAt, now.toISOString())
    if (contentHash !== undefined) map.set(Key.lockedContentHash, contentHash)
    setMetaField(doc, 'status', 'adjusted', origin)
  }, origin)

/**
 * Writes a reopening: who (with the member id on a server), when and why, unlocks, and takes the
 * minutes back to draft. No checks: the server's reopen (SPEC L3) and `reopenLocally` check first.
 */
export const writeReopening = (doc: Y.Doc, record: { by: Actor; reason: string; now: Date }, origin: Origin): void =>
  doc.transact(() => {
    const map = getAdjustmentMap(doc)
    let reopenings = map.get(Key.reopenings)
    if (!(reopenings instanceof Y.Array)) {
      reopenings = new Y.Array<unknown>()
      map.set(Key.reopenings, reopenings)
    }
    ;(reopenings as Y.Array<unknown>).push([
      { by: record.by.name, memberId: record.by.memberId ?? '', at: record.now.toISOString(), reason: record.reason },
    ])
    map.set(Key.locked, false)
    writeDraft(doc, origin)
  }, origin)

/**
 * The secretary marks the minutes final: from now on the appointed adjusters can approve.
 * Returns false when the meeting is locked (nothing to mark). A meeting without a server only:
 * on a server this is the request `markFinal` (SPEC J1).
 */
export const markFinal = (doc: Y.Doc, by: { name: string; now: Date }, origin: Origin = Origin.localForm): boolean => {
  if (isLocked(doc)) return false
  writeFinal(doc, { name: by.name }, by.now, origin)
  return true
}

/** Back to draft (more to write before adjusting). Approvals of this round stay but count only once final again. */
export const markDraft = (doc: Y.Doc, origin: Origin = Origin.localForm): boolean => {
  if (isLocked(doc)) return false
  writeDraft(doc, origin)
  return true
}

/** Why an approval cannot be recorded now, or null when it can (the reasons are codes of SPEC J5). */
export type ApprovalProblem = 'locked' | 'not-final' | 'not-an-adjuster' | 'already-approved'

/**
 * What stands in the way of `personId`'s approval. With `contentHash` (the server's check), an
 * approval of this round counts as already made only when it is of that content: an adjuster
 * whose approval the text has since outgrown approves again.
 */
export const approvalProblem = (doc: Y.Doc, personId: string, contentHash?: string): ApprovalProblem | null => {
  const state = getAdjustment(doc)
  if (state.locked) return 'locked'
  if (!state.final) return 'not-final'
  if (!state.adjusters.some((person) => person.id === personId)) return 'not-an-adjuster'
  const made = state.approvals.find((approval) => approval.personId === personId)
  if (made !== undefined && (contentHash === undefined || made.contentHash === contentHash)) return 'already-approved'
  return null
}

/**
 * Is the lock due? Final, not locked, at least one adjuster appointed, and every one of them has
 * approved in this round; with `contentHash` (the server's check, SPEC J7), every approval is of
 * exactly that content.
 */
export const approvalsComplete = (doc: Y.Doc, contentHash?: string): boolean => {
  const state = getAdjustment(doc)
  if (state.locked || !state.final || state.adjusters.length === 0 || state.pending.length > 0) return false
  return contentHash === undefined || state.approvals.every((approval) => approval.contentHash === contentHash)
}

/**
 * Records `personId`'s approval with their name and the time. When it is the last approval
 * the appointed adjusters owe, the meeting is locked in the same transaction. Returns what
 * stood in the way, or null when the approval was recorded. A meeting without a server only:
 * on a server this is the request `approve` (SPEC J1).
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
    writeApproval(doc, personId, { name: by.name, at: by.now.toISOString(), round: currentRound(doc) }, origin)
    if (approvalsComplete(doc)) writeLock(doc, by.now, origin)
  }, origin)
  return null
}

/**
 * Approvals made at the same moment on two clients (or offline) may each miss the other, so
 * neither locks. Once both are merged, every client sees the same complete set; this names
 * the one adjuster whose panel writes the lock: the latest approval (then the greatest id), so
 * the clients agree without talking and only one of them writes. Null when no lock is due.
 * A meeting without a server only: on a server, the server writes the lock (SPEC J7).
 */
export const lockDueBy = (doc: Y.Doc): string | null => {
  if (!approvalsComplete(doc)) return null
  const last = [...getAdjustment(doc).approvals].sort((a, b) => a.at.localeCompare(b.at) || a.personId.localeCompare(b.personId)).pop()
  return last?.personId ?? null
}

/** Writes the lock when it is due and `personId` is the one to write it (`lockDueBy`). */
export const lockIfDue = (doc: Y.Doc, personId: string, now: Date, origin: Origin = Origin.localForm): boolean => {
  if (lockDueBy(doc) !== personId) return false
  writeLock(doc, now, origin)
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
  writeReopening(doc, { by: { name: record.by }, reason: record.reason, now: record.now }, origin)
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

import type * as Y from 'yjs'
import {
  approvalProblem,
  approvalsComplete,
  currentRound,
  getAdjustment,
  isLocked,
  writeApproval,
  writeDraft,
  writeFinal,
  writeLock,
  writeReopening,
} from '../src/doc/adjustment'
import { getMeta } from '../src/doc/meta'
import { Origin } from '../src/doc/origins'
import { getPerson } from '../src/doc/people'
import { MessageType, Role, canEdit, type AdjustmentRefusal, type AdjustmentRequest } from '../src/protocol'

/**
 * The server's part of adjusting the minutes (SPEC J): who may mark them final, approve and
 * reopen, and the records it writes for them. The checks read the room's document; the records
 * carry the sender's verified name and member id (from the token), never what a client says.
 * What the room does around it (a fresh client id per write, storing, forwarding, the pending
 * pile) sits behind `AdjustmentWriter`.
 */

/** Who sent a request, as the verified token says (SPEC A1, I1). */
export interface RequestSender {
  readonly role: Role
  readonly name?: string
  readonly memberId?: string
}

/** What the authority needs of a room. */
export interface AdjustmentWriter {
  readonly doc: Y.Doc
  /** Runs `write` as one server transaction (fresh client id, `Origin.server`), then stores and forwards it. */
  write(write: () => void): void
  /** Drops the room's pending structs and deletions (SPEC J8): from memory now, from the store by a compaction. */
  dropPending(): void
  /** `contentHash` of the document as it is now (kept until the next change of the content). */
  contentHash(): string
}

/** The member behind a request, or why there is none (SPEC J2). */
const memberOf = (sender: RequestSender): { name: string; memberId: string } | AdjustmentRefusal => {
  const name = sender.name?.trim() ?? ''
  if (sender.memberId === undefined || sender.memberId === '' || name === '') return 'not-a-member'
  if (!canEdit(sender.role)) return 'viewer'
  return { name, memberId: sender.memberId }
}

/** An owner, or the member the meeting names as its secretary (`meta.secretaryMemberId`, SPEC J2). */
const maySetFinal = (doc: Y.Doc, sender: RequestSender, memberId: string): boolean =>
  sender.role === Role.owner || getMeta(doc).secretaryMemberId === memberId

/**
 * Handles one request of 102–104 (SPEC J1–J7). Returns the refusal to send back, or null when
 * the request was carried out (or asked for what already holds: marking final minutes final).
 */
export const handleAdjustmentRequest = (
  room: AdjustmentWriter,
  sender: RequestSender,
  request: AdjustmentRequest,
  now: Date,
): AdjustmentRefusal | null => {
  const member = memberOf(sender)
  if (typeof member === 'string') return member
  const doc = room.doc
  switch (request.type) {
    case MessageType.markFinal:
    case MessageType.markDraft: {
      if (!maySetFinal(doc, sender, member.memberId)) return 'not-secretary'
      if (isLocked(doc)) return 'locked'
      const final = getAdjustment(doc).final
      if (request.type === MessageType.markFinal && !final) room.write(() => writeFinal(doc, member, now, Origin.server))
      if (request.type === MessageType.markDraft && final) room.write(() => writeDraft(doc, Origin.server))
      return null
    }
    case MessageType.approve: {
      const person = getPerson(doc, request.personId)
      if (person === undefined || !person.adjuster) return 'not-an-adjuster'
      if (person.memberId !== member.memberId) return 'not-linked'
      const hash = room.contentHash()
      const problem = approvalProblem(doc, person.id, hash)
      if (problem !== null && problem !== 'already-approved') return problem
      if (request.contentHash !== undefined && request.contentHash !== hash) return 'stale'
      if (problem !== null) return problem
      const record = { name: member.name, memberId: member.memberId, at: now.toISOString(), round: currentRound(doc), contentHash: hash, verified: true } as const
      room.write(() => {
        writeApproval(doc, person.id, record, Origin.server)
        if (approvalsComplete(doc, hash)) lock(room, now, hash)
      })
      return null
    }
    default: {
      const unknown: never = request
      void unknown
      return null
    }
  }
}

/** Inside a server write: no pending pile is carried into the lock (SPEC J8), then the lock itself. */
const lock = (room: AdjustmentWriter, now: Date, hash: string): void => {
  room.dropPending()
  writeLock(room.doc, now, Origin.server, hash)
}

/**
 * An editor reopens a locked meeting (SPEC L3, J9): recorded with the token's name and member
 * id. 'forbidden' for a viewer, and for a token that names nobody (neither a name nor a member
 * id): a verified adjustment is not undone anonymously. 'not-locked' when there is nothing to reopen.
 */
export const reopenMeeting = (
  room: AdjustmentWriter,
  sender: RequestSender,
  reason: string,
  now: Date,
): 'reopened' | 'not-locked' | 'forbidden' => {
  const name = sender.name?.trim() ?? ''
  const memberId = sender.memberId ?? ''
  if (!canEdit(sender.role) || (name === '' && memberId === '')) return 'forbidden'
  if (!isLocked(room.doc)) return 'not-locked'
  room.write(() => writeReopening(room.doc, { by: { name, memberId }, reason, now }, Origin.server))
  return 'reopened'
}

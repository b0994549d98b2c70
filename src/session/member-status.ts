import type { MemberInfo } from '../protocol'
import type { MemberStatus } from './types'

/** Who this panel is as a member: the server's word now, else its last word; null when neither. */
export const selfMemberOf = (status: MemberStatus): MemberInfo | null =>
  status.kind === 'granted' ? status.member : status.kind === 'pending' || status.kind === 'unreachable' ? (status.lastKnown ?? null) : null

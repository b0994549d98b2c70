import { CloseCode, canEdit } from '../src/protocol'
import type { ServerLimits } from './config'
import type { RoomPeer } from './room'

/**
 * Whether a room lets a newcomer in: the close code that turns it away, or `null`. The room's
 * cap (SPEC H3), the slots only editors may take, and what one token and one address may hold
 * (SPEC H9), so one member cannot fill a room and shut the editors out.
 */
export const admissionRefusal = (peers: Iterable<RoomPeer>, newcomer: RoomPeer, limits: ServerLimits): CloseCode | null => {
  let total = 0
  let sameToken = 0
  let sameAddress = 0
  for (const peer of peers) {
    total++
    if (peer.tokenId === newcomer.tokenId) sameToken++
    if (peer.address === newcomer.address) sameAddress++
  }
  if (total >= limits.maxConnectionsPerRoom) return CloseCode.roomFull
  if (!canEdit(newcomer.role) && total >= limits.maxConnectionsPerRoom - limits.editorReservedConnections) return CloseCode.roomFull
  if (sameToken >= limits.maxConnectionsPerToken) return CloseCode.tokenConnectionsFull
  if (sameAddress >= limits.maxConnectionsPerAddress) return CloseCode.addressConnectionsFull
  return null
}

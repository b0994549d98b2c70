import { getAdjustment, isLocked } from '../../src/doc/adjustment'
import { contentHash } from '../../src/doc/content-hash'
import { setMetaField } from '../../src/doc/meta'
import { addPerson, getPerson, updatePerson } from '../../src/doc/people'
import { MessageType, encodeAdjustmentRequest } from '../../src/protocol'
import type { StartedServer } from '../../sync-server/index'
import { connectClient, memberToken, whenDoc, whenSynced } from './server'

/**
 * Adjusts and locks the meeting in `room` the way the server requires (SPEC J): a member links
 * themself to the person `personId` (added as the only adjuster when the meeting has no such
 * person) and as the secretary, marks the minutes final and approves them; the server writes
 * the lock. Resolves once the lock is in; the helper's client is gone by then.
 */
export const lockThroughServer = async (
  server: { url: string; members: StartedServer['members'] },
  room: string,
  options: { personId?: string; name?: string; sub?: string } = {},
): Promise<void> => {
  const { personId = 'justerare', name = 'Justerare Justesen', sub = 'm-justerare' } = options
  const space = room.slice(0, room.indexOf('/'))
  const provider = connectClient(server.url, room, await memberToken(server, { space, name, sub }))
  try {
    await whenSynced(provider)
    const doc = provider.doc
    doc.transact(() => {
      if (getPerson(doc, personId) === undefined) addPerson(doc, { id: personId, name, adjuster: true })
      updatePerson(doc, personId, { memberId: sub, adjuster: true })
      setMetaField(doc, 'secretaryMemberId', sub)
    })
    provider.ws!.send(encodeAdjustmentRequest({ type: MessageType.markFinal }))
    await whenDoc(doc, (d) => getAdjustment(d).final)
    provider.ws!.send(encodeAdjustmentRequest({ type: MessageType.approve, personId, contentHash: contentHash(doc) }))
    await whenDoc(doc, isLocked)
  } finally {
    provider.destroy()
  }
}

/** A reopen request (SPEC L3): a varString reason. */
export const reopenMessage = (reason: string): Uint8Array => {
  const bytes = new TextEncoder().encode(reason)
  if (bytes.length > 127) throw new Error('reopenMessage: keep test reasons under 128 bytes')
  return Uint8Array.of(MessageType.reopen, bytes.length, ...bytes)
}


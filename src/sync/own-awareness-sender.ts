import * as bc from 'lib0/broadcastchannel'
import * as encoding from 'lib0/encoding'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import type { WebsocketProvider } from 'y-websocket'
import { MessageType } from '../protocol'

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] }

/**
 * Makes `provider` send only this client's own awareness entry, and its updates at most once
 * per `throttleMs` (leading and trailing edge: the latest state always goes out).
 *
 * The stock provider's `awareness.on('update')` handler re-sends every entry that changed,
 * including entries it just received from others, so an idle room of N sends ~N² messages
 * (docs/measurements.md, Presence). Its handler is unregistered and replaced; the replacement is
 * stored as `provider._awarenessUpdateHandler`, so `provider.destroy()` removes it. Answers to
 * a query-awareness message carry only the own entry too. Arrivals and departures of the own
 * entry go out at once. Returns the uninstall function (clears the pending timer).
 */
export const sendOnlyOwnAwareness = (
  provider: WebsocketProvider,
  { throttleMs, now = Date.now }: { throttleMs: number; now?: () => number },
): (() => void) => {
  const awareness = provider.awareness
  const own = awareness.clientID
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastSent = -Infinity

  const ownEntryMessage = (): Uint8Array => {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.awareness)
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [own]))
    return encoding.toUint8Array(encoder)
  }

  const send = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    lastSent = now()
    // What y-websocket's (unexported) broadcastMessage does: the socket if open, and the
    // BroadcastChannel to other pages of this profile if connected.
    const message = ownEntryMessage()
    const ws = provider.ws
    if (provider.wsconnected && ws !== null && ws.readyState === ws.OPEN) ws.send(message)
    if (provider.bcconnected) bc.publish(provider.bcChannel, message, provider)
  }

  const onUpdate = ({ added, updated, removed }: AwarenessChange, _origin: unknown): void => {
    if (added.includes(own) || removed.includes(own)) return send()
    if (!updated.includes(own)) return
    const wait = lastSent + throttleMs - now()
    if (wait <= 0) send()
    else timer ??= setTimeout(send, wait)
  }

  awareness.off('update', provider._awarenessUpdateHandler)
  provider._awarenessUpdateHandler = onUpdate
  awareness.on('update', onUpdate)
  provider.messageHandlers[MessageType.queryAwareness] = (encoder) => {
    encoding.writeVarUint(encoder, MessageType.awareness)
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [own]))
  }

  return () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    awareness.off('update', onUpdate)
  }
}

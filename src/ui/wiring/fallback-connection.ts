/**
 * A plain `WebsocketProvider` connection, used until `src/sync` (durable acknowledgements,
 * the full status model) is wired in. Delete this file then.
 */
import { WebsocketProvider } from 'y-websocket'
import { QueryParam } from '../../protocol'
import type { PanelStatus, PresencePeer } from '../panel-services'
import { createStore } from '../store'
import type { ConnectDoc } from './meeting-connection'

export const connectWithPlainProvider: ConnectDoc = ({ doc, server, room, token, user }) => {
  // disableBc: two panel pages of one profile already share IndexedDB; BroadcastChannel would
  // additionally hide a broken server connection behind a working local one.
  const provider = new WebsocketProvider(server, room, doc, { params: { [QueryParam.token]: token }, disableBc: true })
  const status = createStore<PanelStatus>({ kind: 'connecting' })
  const presence = createStore<readonly PresencePeer[]>([])
  provider.awareness.setLocalStateField('user', user)

  const onStatus = ({ status: state }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
    if (state === 'connected') status.set(provider.synced ? { kind: 'saved' } : { kind: 'syncing' })
    else if (state === 'connecting') status.set({ kind: 'connecting' })
    else status.set({ kind: 'offline' })
  }
  const onSync = (synced: boolean): void => status.set(synced ? { kind: 'saved' } : { kind: 'syncing' })
  const onClosed = (): void => status.set({ kind: 'auth-failed' })
  const onConnectionError = (): void => status.set({ kind: 'offline' })
  const onAwareness = (): void => {
    const peers: PresencePeer[] = []
    provider.awareness.getStates().forEach((state, clientId) => {
      const who = (state as { user?: { name?: unknown; color?: unknown } }).user
      if (typeof who?.name !== 'string') return
      peers.push({
        clientId,
        name: who.name,
        color: typeof who.color === 'string' ? who.color : '#777777',
        self: clientId === doc.clientID,
      })
    })
    presence.set(peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name)))
  }
  provider.on('status', onStatus)
  provider.on('sync', onSync)
  provider.on('closed', onClosed)
  provider.on('connection-error', onConnectionError)
  provider.awareness.on('change', onAwareness)
  onAwareness()

  return {
    status,
    presence,
    awareness: provider.awareness,
    destroy: () => {
      provider.off('status', onStatus)
      provider.off('sync', onSync)
      provider.off('closed', onClosed)
      provider.off('connection-error', onConnectionError)
      provider.awareness.off('change', onAwareness)
      provider.awareness.setLocalState(null)
      provider.destroy()
    },
  }
}

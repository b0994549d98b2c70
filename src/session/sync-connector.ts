import { SyncConnection, type NetworkState, type SyncStatus } from '../sync'
import type { PanelStatus, PresencePeer } from './types'
import { createStore } from './store'
import type { ConnectDoc } from './doc-connection'

/** The sync module's status, as the status line names it. */
export const toPanelStatus = (status: SyncStatus): PanelStatus => {
  switch (status.kind) {
    case 'offline':
      return { kind: 'offline', unsaved: status.unsaved }
    case 'connecting':
      return { kind: 'connecting', unsaved: status.unsaved }
    case 'syncing':
      return { kind: 'syncing' }
    case 'unsaved':
      return { kind: 'unsaved', count: status.count }
    case 'saved':
      return { kind: 'saved' }
    case 'auth-failed':
      return { kind: 'auth-failed' }
    case 'error':
      return status.reason === 'meeting-locked' ? { kind: 'meeting-locked' } : { kind: 'error', unsaved: status.unsaved }
    default: {
      const unhandled: never = status
      throw new Error(`unknown sync status ${JSON.stringify(unhandled)}`)
    }
  }
}

/**
 * Connects documents through `src/sync`'s `SyncConnection` (durable acknowledgements, auth
 * failure detection, own-entry-only presence) and adapts its status and awareness to the stores
 * the panel renders.
 */
export const createSyncConnector =
  ({ network }: { network: NetworkState }): ConnectDoc =>
  ({ doc, server, room, token, user, known }) => {
    // disableBc: two panel pages of one profile already share IndexedDB, and BroadcastChannel
    // would hide a broken server connection behind a working local one.
    const connection = new SyncConnection({ serverUrl: server, room, token, doc, network, disableBc: true, ...(known !== undefined ? { known } : {}) })
    const status = createStore<PanelStatus>(toPanelStatus(connection.status))
    const presence = createStore<readonly PresencePeer[]>([])
    const awareness = connection.awareness
    awareness.setLocalStateField('user', user)

    const onStatus = (next: SyncStatus): void => status.set(toPanelStatus(next))
    const onAwareness = (): void => {
      const peers: PresencePeer[] = []
      awareness.getStates().forEach((state, clientId) => {
        const who = (state as { user?: { name?: unknown; color?: unknown; memberId?: unknown } }).user
        if (typeof who?.name !== 'string') return
        peers.push({
          clientId,
          name: who.name,
          color: typeof who.color === 'string' ? who.color : '#767676',
          self: clientId === awareness.clientID,
          verified: typeof who.memberId === 'string' && who.memberId !== '',
        })
      })
      // Yourself first, then by name: the same order on every screen.
      presence.set(peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name) || a.clientId - b.clientId))
    }
    connection.on('status', onStatus)
    awareness.on('change', onAwareness)
    onAwareness()

    return {
      status,
      presence,
      awareness,
      fromServer: (origin) => connection.provider !== null && origin === connection.provider,
      reopen: (reason, name) => connection.reopen(reason, name),
      requestAdjustment: (request) => connection.requestAdjustment(request),
      onAdjustmentRefused: (listener) => {
        connection.on('adjustmentRefused', listener)
        return () => connection.off('adjustmentRefused', listener)
      },
      confirmed: () => connection.confirmed(),
      onConfirmed: (listener) => {
        connection.on('confirmed', listener)
        return () => connection.off('confirmed', listener)
      },
      destroy: () => {
        connection.off('status', onStatus)
        awareness.off('change', onAwareness)
        connection.destroy()
      },
    }
  }

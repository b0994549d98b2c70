import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { onTestFinished } from 'vitest'
import { SyncConnection, type SyncConnectionOptions, type SyncStatus } from '../../src/sync'
import { makeToken, startTestServer } from '../helpers/server'
import type { StartedServer } from '../../sync-server/index'

/** A real sync server on a free loopback port, closed when the test ends. */
export const startServer = async (): Promise<StartedServer> => {
  const server = await startTestServer()
  onTestFinished(() => server.close())
  return server
}

/** A Minutes connection in Node (`ws`, no BroadcastChannel), destroyed when the test ends. */
export const connect = async (
  server: { url: string },
  room: string,
  options: Partial<SyncConnectionOptions> & { tokenRoom?: string } = {},
): Promise<SyncConnection> => {
  const token = options.token ?? (await makeToken({ room: options.tokenRoom ?? room }))
  const connection = new SyncConnection({
    serverUrl: server.url,
    room,
    token,
    doc: options.doc ?? new Y.Doc(),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    ...options,
  })
  onTestFinished(() => connection.destroy())
  return connection
}

/** Every status a connection announces, in order (starting with its current one). */
export const recordStatuses = (connection: SyncConnection): SyncStatus[] => {
  const seen: SyncStatus[] = [connection.status]
  connection.on('status', (status) => seen.push(status))
  return seen
}

/** Resolves with the status once `predicate` holds; rejects after `timeoutMs` naming the last status. */
export const whenStatus = (
  connection: SyncConnection,
  predicate: (status: SyncStatus) => boolean,
  timeoutMs = 10_000,
): Promise<SyncStatus> =>
  predicate(connection.status)
    ? Promise.resolve(connection.status)
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          connection.off('status', onStatus)
          reject(new Error(`status condition not met within ${timeoutMs} ms; last: ${JSON.stringify(connection.status)}`))
        }, timeoutMs)
        const onStatus = (status: SyncStatus): void => {
          if (!predicate(status)) return
          clearTimeout(timer)
          connection.off('status', onStatus)
          resolve(status)
        }
        connection.on('status', onStatus)
      })

export const kindIs =
  (kind: SyncStatus['kind']) =>
  (status: SyncStatus): boolean =>
    status.kind === kind

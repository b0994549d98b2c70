import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { CloseCode } from '../src/protocol'
import { decideAccess, type AccessDecision } from './access'
import { admissionRefusal } from './admission'
import { ReplyBudgets } from './reply-budgets'
import { ClientConnection } from './client-connection'
import { CommitQueue, errorSummary } from './commit-queue'
import type { ServerConfig } from './config'
import { safePath, type Logger } from './logger'
import { createMetrics, type Metrics } from './metrics'
import { Misconduct } from './misconduct'
import type { MemberStore, Store } from './persistence/store'
import { OutboundBatch } from './outbound-batch'
import { RoomRegistry } from './room-registry'
import { createTokenVerifier } from './tokens'
import { Identity } from './identity'
import { createIdentityHttp } from './identity-http'
import { ClusterSync, isClusterStore, singleServerLink, type ServerLink } from './cluster'
import { noFanout, type Fanout } from './fanout'

export interface SyncServer {
  /** Starts listening; resolves with the bound port (useful with port 0). */
  listen(): Promise<{ port: number; url: string }>
  /**
   * Graceful stop (SPEC O4): stop accepting, write what is pending, close every socket with
   * 1012 so clients reconnect elsewhere, close the store.
   */
  close(): Promise<void>
  readonly metrics: Metrics
  readonly rooms: RoomRegistry
  /** The store's members (SPEC I1), for the CLI and tests. */
  readonly members: MemberStore
  /** Open connections (for tests and metrics). */
  readonly connectionCount: number
  /**
   * Closes every open connection of a member with 4402 (SPEC I5). `POST /members/revoke` does
   * this itself; call it after revoking through the store directly.
   */
  closeMemberConnections(memberId: string): void
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests', 503: 'Service Unavailable' }

/** Answers an upgrade with an HTTP error; `reason` (plain text, never room bytes) is its body. */
const refuseUpgrade = (socket: Duplex, status: number, reason = ''): void => {
  if (socket.destroyed) return
  const body = reason === '' ? '' : `${reason}\n`
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

/**
 * `fanout` links this server to the others of a cluster (Redis, SPEC C7); on PostgreSQL without
 * it, the server still follows what others store through its periodic check (C8).
 */
export const createSyncServer = (config: ServerConfig, store: Store, log: Logger, fanout: Fanout = noFanout()): SyncServer => {
  const metrics = createMetrics()
  const verify = createTokenVerifier(config.secret)
  const identity = new Identity(store, verify, { secret: config.secret, accessTtlSeconds: config.accessTtlSeconds })
  const cluster = isClusterStore(store) ? new ClusterSync(store, fanout, metrics, log, { resyncIntervalMs: config.resyncIntervalMs }) : null
  const link: ServerLink = cluster ?? singleServerLink(store)
  const commits = new CommitQueue(store, config.compactThreshold, metrics, log, config.commitIntervalMs, config.checkpointIdleMs, link)
  const rooms = new RoomRegistry(
    store,
    commits,
    {
      maxApplyMs: config.limits.maxApplyMs,
      maxPendingBytes: config.limits.maxPendingBytes,
      maxAwarenessBytes: config.limits.maxAwarenessBytes,
      maxAwarenessClients: config.limits.maxAwarenessClients,
      maxPresencePerConnection: config.limits.maxPresencePerConnection,
      maxPresencePerRoom: config.limits.maxPresencePerRoom,
      maxPresenceBytesPerRoom: config.limits.maxPresenceBytesPerRoom,
      graceMs: config.roomGraceMs,
    },
    metrics,
    log,
    link,
  )
  const outbound = new OutboundBatch(() => commits.isDue)
  commits.onCommitted = () => outbound.commitDone()
  const connections = new Set<ClientConnection>()
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxMessageBytes, perMessageDeflate: false })
  let accepting = true
  let closing: Promise<void> | null = null

  const closeLocalConnections = (memberId: string): void => {
    for (const connection of [...connections]) if (connection.memberId === memberId) connection.close(CloseCode.revoked)
  }
  // A revocation closes the member's connections on every server of the cluster (SPEC I5, C10).
  if (cluster !== null) cluster.onRevoked = closeLocalConnections
  const closeMemberConnections = (memberId: string): void => {
    closeLocalConnections(memberId)
    link.revoked(memberId)
  }
  const identityHttp = createIdentityHttp(
    identity,
    { allowedOrigins: config.allowedOrigins, publicUrl: config.publicUrl, tls: config.tls !== null, stamps: (prefix) => store.stamps(prefix) },
    closeMemberConnections,
    log,
  )

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = safePath(req.url)
    const queryAt = (req.url ?? '').indexOf('?')
    if (identityHttp(req, res, path, new URLSearchParams(queryAt < 0 ? '' : req.url!.slice(queryAt + 1)))) return
    if (req.method === 'GET' && path === '/healthz') {
      if (commits.lastCommitFailed) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('store not writable: the last commit failed\n')
        return
      }
      store.checkWritable().then(
        () => {
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n')
        },
        (error: unknown) => {
          log.error({ err: errorSummary(error) }, 'health check: store not writable')
          res.writeHead(503, { 'content-type': 'text/plain' }).end('store not writable\n')
        },
      )
      return
    }
    if (req.method === 'GET' && path === '/metrics') {
      let unsent = 0
      for (const connection of connections) unsent += connection.unsentBytes
      metrics.unsentBytes.set(unsent)
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      )
      return
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Minutes sync server: connect with a WebSocket\n')
  }

  // Replies are charged to the asking token across its connections (SPEC H10).
  // A token is often shared by a whole group (a shared join code): room for several greetings at once.
  const replyBudgets = new ReplyBudgets(4 * config.limits.maxMessageBytes, 2 * config.limits.bytesPerSecond)
  // Connections closed for misconduct make their identity's next ones wait (SPEC H11).
  const misconduct = new Misconduct(config.limits.misconductBurst, config.limits.misconductPerSecond)
  const waitingUpgrades = new Set<() => void>()
  /** Opens the WebSocket of an admitted upgrade and puts it in its room (SPEC H3, H9). */
  const openConnection = (req: IncomingMessage, socket: Duplex, head: Buffer, decision: AccessDecision & { ok: true }, identityKey: string): void => {
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const connection = new ClientConnection(
        ws,
        decision.claims,
        decision.wantsAck,
        decision.identity,
        config.limits,
        metrics,
        log,
        outbound,
        (c) => {
          connections.delete(c)
          if (c.closedWith !== null) misconduct.closed(identityKey, c.closedWith)
          const room = c.currentRoom
          if (room !== null) rooms.released(room)
        },
        (current, token) => identity.renew(decision.room, current, token),
        replyBudgets.acquire(decision.identity.tokenId),
      )
      connections.add(connection)
      rooms.open(decision.room).then(
        (room) => {
          if (connection.isClosed) return rooms.released(room)
          const refusal = admissionRefusal(room.peers, connection, config.limits)
          if (refusal !== null) {
            connection.close(refusal)
            return rooms.released(room)
          }
          connection.attach(room)
        },
        (error: unknown) => {
          log.error({ err: errorSummary(error) }, 'room could not be loaded')
          connection.close(CloseCode.roomUnavailable)
        },
      )
    })
  }
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // The raw socket can fail before the WebSocket exists; that must not reach the process.
    socket.on('error', (error: NodeJS.ErrnoException) => log.debug({ code: error.code }, 'upgrade socket error'))
    if (!accepting) return refuseUpgrade(socket, 503)
    decideAccess(req, verify, identity, config.allowedOrigins).then(
      (decision) => {
        if (!decision.ok) {
          metrics.refusals.inc({ status: String(decision.status) })
          log.info({ status: decision.status, reason: decision.reason, path: '[room]' }, 'upgrade refused')
          // A bad room id is the client's mistake to fix: say which rule it broke (SPEC P1).
          return refuseUpgrade(socket, decision.status, decision.status === 400 ? decision.reason : '')
        }
        if (!accepting || socket.destroyed) return refuseUpgrade(socket, 503)
        const identityKey = `${decision.identity.tokenId} ${decision.identity.address}`
        const admission = misconduct.admission(identityKey)
        if (admission === null) {
          metrics.refusals.inc({ status: '429' })
          return refuseUpgrade(socket, 429)
        }
        if (admission.waitMs === 0) return openConnection(req, socket, head, decision, identityKey)
        // Held, not refused: an identity that reconnects at once after every close waits here
        // instead of costing a verified upgrade and a greeting each time (SPEC H11).
        const stopWaiting = () => {
          clearTimeout(timer)
          socket.off('close', stopWaiting)
          waitingUpgrades.delete(cancel)
          admission.done()
        }
        const cancel = () => {
          stopWaiting()
          refuseUpgrade(socket, 503)
        }
        const timer = setTimeout(() => {
          stopWaiting()
          if (!accepting || socket.destroyed) return refuseUpgrade(socket, 503)
          openConnection(req, socket, head, decision, identityKey)
        }, admission.waitMs)
        socket.once('close', stopWaiting)
        waitingUpgrades.add(cancel)
      },
      (error: unknown) => {
        log.error({ err: errorSummary(error) }, 'upgrade failed')
        refuseUpgrade(socket, 503)
      },
    )

  }

  const http: HttpServer = config.tls === null ? createHttpServer(onRequest) : createHttpsServer(config.tls, onRequest)
  http.on('upgrade', onUpgrade)
  http.on('clientError', (_error, socket) => {
    if (!socket.destroyed) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
  })

  const expiryTimer = setInterval(() => {
    const now = Math.floor(Date.now() / 1000)
    for (const connection of [...connections]) connection.closeIfExpired(now)
  }, config.tokenCheckIntervalMs)
  expiryTimer.unref()

  const close = async (): Promise<void> => {
    accepting = false
    clearInterval(expiryTimer)
    for (const cancel of [...waitingUpgrades]) cancel()
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()))
    await commits.drain()
    commits.destroy()
    for (const connection of [...connections]) connection.close(CloseCode.serviceRestart)
    outbound.releaseAll()
    // Give close frames a moment to leave, then cut what is left.
    await new Promise((resolve) => setTimeout(resolve, 50).unref())
    for (const connection of [...connections]) connection.terminate()
    http.closeAllConnections()
    await stopped
    rooms.destroy()
    await link.destroy()
    wss.close()
    await store.close()
  }

  return {
    metrics,
    rooms,
    members: store,
    closeMemberConnections,
    get connectionCount() {
      return connections.size
    },
    listen: async () => {
      await link.start()
      return new Promise((resolve, reject) => {
        http.once('error', reject)
        http.listen(config.port, config.host, () => {
          http.off('error', reject)
          const { port } = http.address() as AddressInfo
          const host = config.host.includes(':') ? `[${config.host}]` : config.host
          resolve({ port, url: `${config.tls === null ? 'ws' : 'wss'}://${host}:${port}` })
        })
      })
    },
    close: () => (closing ??= close()),
  }
}

import { createClient } from '@redis/client'
import { randomBytes } from 'node:crypto'
import { errorSummary } from './commit-queue'
import { decodeFanoutMessage, encodeFanoutMessage, type Fanout, type FanoutEvents, type FanoutMessage } from './fanout'
import type { Logger } from './logger'

export interface RedisFanoutOptions {
  /** How often this server says it is alive (SPEC C10). */
  heartbeatMs: number
  /** Another server not heard for this long is gone: its presence is removed. */
  goneAfterMs: number
  /** The pub/sub channel every server of the cluster uses. */
  channel: string
}

export const REDIS_FANOUT_DEFAULTS: RedisFanoutOptions = { heartbeatMs: 1_000, goneAfterMs: 3_500, channel: 'minutes:fanout' }

/** The link cannot be set up at start: the server refuses to run (like an unreachable store, SPEC C1). */
export class FanoutOpenError extends Error {
  override name = 'FanoutOpenError'
}

/** The URL without its password, for messages and logs (SPEC A7). */
export const redactRedisUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the Redis URL (unparseable)'
  }
}

/** Longest wait between two attempts to reach Redis again. */
const MAX_RECONNECT_DELAY_MS = 500

/**
 * The fan-out over Redis pub/sub (SPEC C7): one channel for the whole cluster, one publishing
 * and one subscribing connection per server. Pub/sub rather than a stream per room: PostgreSQL
 * holds the log with its numbers, so a lost message costs a read of the room's tail there
 * (SPEC C8), and Redis keeps nothing that would have to survive its restart (run it with
 * `--save '' --appendonly no`).
 */
export const createRedisFanout = (url: string, log: Logger, options: RedisFanoutOptions = REDIS_FANOUT_DEFAULTS): Fanout => {
  const serverId = randomBytes(8).toString('base64url')
  const where = redactRedisUrl(url)
  let started = false
  const reconnectStrategy = (retries: number, cause: Error): number | Error =>
    started ? Math.min(50 * (retries + 1), MAX_RECONNECT_DELAY_MS) : new FanoutOpenError(`Cannot reach Redis at ${where}: ${cause.message}`)
  const publisher = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 5_000, reconnectStrategy } })
  const subscriber = publisher.duplicate()
  const channel = options.channel
  const lastHeard = new Map<string, number>()
  let heartbeat: NodeJS.Timeout | null = null
  let down = false
  let events: FanoutEvents | null = null

  const publish = (message: FanoutMessage): void => {
    if (!publisher.isReady) return
    publisher.publish(channel, Buffer.from(encodeFanoutMessage(serverId, message))).catch((error: unknown) => {
      // The link broke under the message: the others read the store instead (SPEC C8).
      log.debug({ err: errorSummary(error) }, 'fan-out publish failed')
    })
  }

  const onMessage = (bytes: Buffer): void => {
    let decoded
    try {
      decoded = decodeFanoutMessage(bytes)
    } catch (error) {
      log.warn({ err: errorSummary(error) }, 'fan-out message not understood; ignored')
      return
    }
    if (decoded.from === serverId) return
    lastHeard.set(decoded.from, performance.now())
    if (decoded.message.type !== 'heartbeat') events?.message(decoded.from, decoded.message)
  }

  const beat = (): void => {
    publish({ type: 'heartbeat' })
    const now = performance.now()
    for (const [server, at] of lastHeard) {
      if (now - at <= options.goneAfterMs) continue
      lastHeard.delete(server)
      events?.serverGone(server)
    }
  }

  const linkDown = (error?: Error): void => {
    if (down || !started) return
    down = true
    log.warn({ redis: where, err: error === undefined ? undefined : errorSummary(error) }, 'fan-out link to Redis lost; reconnecting (rooms are read from the store meanwhile)')
  }
  for (const client of [publisher, subscriber]) {
    // Every failed attempt reports an error; one line per outage is enough.
    client.on('error', (error: Error) => linkDown(error))
  }
  subscriber.on('end', () => linkDown())
  subscriber.on('reconnecting', () => linkDown())
  subscriber.on('ready', () => {
    if (!down) return
    down = false
    log.warn({ redis: where }, 'fan-out link to Redis back; rooms re-read from the store')
    // The subscription is restored before `ready`: whatever was published while it was away is
    // in the store, and the room re-reads from there now.
    events?.reconnected()
  })

  return {
    serverId,
    publish,
    async start(handlers) {
      events = handlers
      try {
        await Promise.all([publisher.connect(), subscriber.connect()])
        await subscriber.subscribe(channel, onMessage, true)
      } catch (error) {
        publisher.destroy()
        subscriber.destroy()
        throw error instanceof FanoutOpenError ? error : new FanoutOpenError(`Cannot reach Redis at ${where}: ${(error as Error).message}`)
      }
      started = true
      heartbeat = setInterval(beat, options.heartbeatMs)
      heartbeat.unref()
      beat()
    },
    async destroy() {
      if (heartbeat !== null) clearInterval(heartbeat)
      heartbeat = null
      events = null
      for (const client of [publisher, subscriber]) {
        if (client.isOpen) await client.close().catch(() => client.destroy())
      }
    },
  }
}

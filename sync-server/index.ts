import { defaultConfig, type ServerConfig, type ServerLimits } from './config'
import { createLogger, type Logger } from './logger'
import { openStore } from './open-store'
import type { SqliteStoreOptions } from './persistence/sqlite-store'
import { createSyncServer, type SyncServer } from './server'
import { createRedisFanout } from './redis-fanout'

export { createSyncServer, type SyncServer } from './server'
export { defaultConfig, parseConfig, ConfigError, type ServerConfig, type ServerLimits } from './config'
export { signToken, createTokenVerifier, type TokenRequest } from './tokens'
export { openStore } from './open-store'
export type { UpdateStore, MemberStore, Store, Member } from './persistence/store'

export interface StartOptions extends Partial<Omit<ServerConfig, 'limits' | 'secret'>> {
  secret: string
  /** Directory of the SQLite store; omitted (and no `postgresUrl`) means an in-memory store. */
  dataDir?: string
  limits?: Partial<ServerLimits>
  logger?: Logger
  sqlite?: SqliteStoreOptions
}

export interface StartedServer extends SyncServer {
  url: string
  port: number
}

/** Starts a server in this process (tests, embedding). Port 0 by default. */
export const startSyncServer = async (options: StartOptions): Promise<StartedServer> => {
  const { limits, logger, sqlite, ...rest } = options
  const base = defaultConfig(options.secret)
  const config: ServerConfig = {
    ...base,
    port: 0,
    store: (options.postgresUrl ?? null) !== null ? 'postgres' : options.dataDir === undefined ? 'memory' : 'sqlite',
    ...rest,
    // Like `parseConfig`: the unsent bound follows the message size and the editors' slots the
    // room's size unless they are given (SPEC H7, H9).
    limits: {
      ...base.limits,
      maxUnsentBytes: 2 * (limits?.maxMessageBytes ?? base.limits.maxMessageBytes),
      editorReservedConnections: Math.ceil((limits?.maxConnectionsPerRoom ?? base.limits.maxConnectionsPerRoom) / 10),
      ...limits,
    },
  }
  const log = logger ?? createLogger('silent')
  const fanout = config.redisUrl === null ? undefined : createRedisFanout(config.redisUrl, log)
  const server = createSyncServer(config, await openStore(config, sqlite), log, fanout)
  const { port, url } = await server.listen()
  return Object.assign(server, { port, url })
}

import { ConfigError, HELP, parseConfig } from './config'
import { createLogger } from './logger'
import { openStore } from './open-store'
import { redactPostgresUrl } from './persistence/postgres-store'
import { StoreOpenError } from './persistence/store'
import { createSyncServer } from './server'
import { errorSummary } from './commit-queue'
import { noFanout } from './fanout'
import { FanoutOpenError, createRedisFanout, redactRedisUrl } from './redis-fanout'

// The process entry point: read and validate configuration once, open the store, listen, and
// shut down gracefully on SIGTERM/SIGINT (SPEC O4).
const SHUTDOWN_LIMIT_MS = 5_000

const main = async (): Promise<void> => {
  let config
  try {
    config = parseConfig(process.argv.slice(2), process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`minutes-sync: ${error.message}\n`)
      process.exit(2)
    }
    throw error
  }
  if (config === 'help') {
    process.stdout.write(HELP)
    return
  }
  const log = createLogger(config.logLevel)
  let store
  try {
    store = await openStore(config)
  } catch (error) {
    if (error instanceof StoreOpenError) {
      log.fatal({ err: errorSummary(error) }, error.message)
      process.stderr.write(`minutes-sync: ${error.message}\n`)
      process.exit(3)
    }
    throw error
  }
  // Several servers on one database tell each other through Redis (SPEC C7).
  const fanout = config.redisUrl === null ? noFanout() : createRedisFanout(config.redisUrl, log)
  const server = createSyncServer(config, store, log, fanout)
  let address
  try {
    address = await server.listen()
  } catch (error) {
    if (error instanceof FanoutOpenError) {
      const message = `${error.message}. Check that Redis runs there (--redis or MINUTES_REDIS_URL, as redis://host:6379).`
      log.fatal({ err: errorSummary(error) }, message)
      process.stderr.write(`minutes-sync: ${message}\n`)
      process.exit(3)
    }
    const message = `cannot listen on ${config.host}:${config.port} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); choose another --port or stop what uses it`
    process.stderr.write(`minutes-sync: ${message}\n`)
    process.exit(4)
  }
  // The first line says where the server listens, whatever the level (port 0 picks one; SPEC O5).
  const announce = config.logLevel === 'silent' ? log : log.child({}, { level: 'info' })
  announce.info(
    {
      url: address.url,
      port: address.port,
      store: config.store,
      data: config.store === 'sqlite' ? config.dataDir : undefined,
      postgres: config.postgresUrl === null ? undefined : redactPostgresUrl(config.postgresUrl),
      redis: config.redisUrl === null ? undefined : redactRedisUrl(config.redisUrl),
    },
    'listening',
  )

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting')
      process.exit(1)
    }, SHUTDOWN_LIMIT_MS)
    force.unref()
    server.close().then(
      () => {
        log.info('stopped')
        process.exit(0)
      },
      (error: unknown) => {
        log.error({ err: errorSummary(error) }, 'error during shutdown')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  process.once('SIGINT', () => shutdown('SIGINT'))
}

void main()

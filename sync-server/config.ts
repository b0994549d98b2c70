import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

/** Everything the server needs, read once at the entry point, validated, and passed down. */
export interface ServerConfig {
  host: string
  /** 0 picks a free port. */
  port: number
  /** Directory of the SQLite store; ignored unless `store` is `sqlite`. */
  dataDir: string
  /**
   * `sqlite` is durable on this machine; `postgres` is durable in a PostgreSQL database, the store
   * of record when several servers share rooms (SPEC C); `memory` keeps nothing across restarts
   * (tests and benchmarks).
   */
  store: 'sqlite' | 'memory' | 'postgres'
  /** `postgres://user:password@host:5432/database` when `store` is `postgres`, else `null`. */
  postgresUrl: string | null
  /**
   * `redis://host:6379` when several servers share the PostgreSQL store: the fan-out of committed
   * updates, presence and revocations between them (SPEC C7). Needs `postgresUrl`.
   */
  redisUrl: string | null
  /** How often a server on PostgreSQL checks that its loaded rooms hold their whole log (SPEC C8). */
  resyncIntervalMs: number
  /** HS256 secret tokens are signed with. */
  secret: string
  /** TLS certificate and key (PEM). Both or neither. */
  tls: { cert: string; key: string } | null
  /** Origin patterns accepted at the upgrade; a trailing `*` matches any suffix. */
  allowedOrigins: string[]
  limits: ServerLimits
  /** How long an empty room stays loaded before it is unloaded. */
  roomGraceMs: number
  /** Stored updates of one room that trigger compaction into one snapshot. */
  compactThreshold: number
  /** Group commits start at least this far apart (SPEC D2). */
  commitIntervalMs: number
  /** How long the commit queue stays idle before the write-ahead log is checkpointed (SPEC D8). */
  checkpointIdleMs: number
  /** How often connections are checked for expired tokens. */
  tokenCheckIntervalMs: number
  /** Lifetime of the access tokens `POST /access` issues (SPEC I3). */
  accessTtlSeconds: number
  /**
   * The server's address as clients reach it (`wss://minutes.example.org`), put into the
   * personal join codes `POST /members` makes; `null` derives it from each request.
   */
  publicUrl: string | null
  /** The longest `accessTtlSeconds` the server accepts (SPEC I3): a stolen access token works at most this long. */
  maxAccessTtlSeconds: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent'
}

export interface ServerLimits {
  /** Largest accepted WebSocket message; larger closes with 1009. */
  maxMessageBytes: number
  /** Sustained messages a second per connection (token bucket refill). */
  messagesPerSecond: number
  /** Messages a connection may send in a burst (token bucket size). */
  messageBurst: number
  /**
   * Sustained bytes a second per connection; the burst is `maxMessageBytes` (SPEC H5). The
   * replies a connection asks for (sync step 2, presence on query) draw on a second bucket of
   * the same size and rate (SPEC H7).
   */
  bytesPerSecond: number
  /** Output a socket may have unsent before it is closed with 4504 (SPEC H7); default twice `maxMessageBytes`. */
  maxUnsentBytes: number
  /** Connections one room accepts. */
  maxConnectionsPerRoom: number
  /** Of those, the ones only editors may take (SPEC H9); default a tenth of the room's. */
  editorReservedConnections: number
  /** Connections to one room with one token, and from one address (SPEC H9). */
  maxConnectionsPerToken: number
  maxConnectionsPerAddress: number
  /** One awareness message: bytes, and client ids. */
  maxAwarenessBytes: number
  maxAwarenessClients: number
  /** Presence client ids one connection may introduce (a stock client has one; SPEC H8). */
  maxPresencePerConnection: number
  /** Presence entries a room shows at once, and the bytes of their states: the greeting's bound. */
  maxPresencePerRoom: number
  maxPresenceBytesPerRoom: number
  /** Applying one update may take this long before its connection is closed (SPEC H5). */
  maxApplyMs: number
  /** Bytes of updates a room may hold whose dependencies it has not received (SPEC H6). */
  maxPendingBytes: number
  /** Messages buffered per connection while its room loads. */
  maxQueuedMessages: number
  /**
   * Connections an identity (token and address) may have closed for misconduct at once, and
   * how many a second after that, before its next connections wait to be let in (SPEC H11).
   */
  misconductBurst: number
  misconductPerSecond: number
}

export const DEFAULT_ALLOWED_ORIGINS = ['chrome-extension://*', 'moz-extension://*']

export const defaultLimits = (): ServerLimits => ({
  maxMessageBytes: 8 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 1_000,
  bytesPerSecond: 1024 * 1024,
  maxUnsentBytes: 16 * 1024 * 1024,
  maxConnectionsPerRoom: 200,
  editorReservedConnections: 20,
  maxConnectionsPerToken: 100,
  maxConnectionsPerAddress: 100,
  maxAwarenessBytes: 64 * 1024,
  maxAwarenessClients: 256,
  maxPresencePerConnection: 4,
  maxPresencePerRoom: 256,
  maxPresenceBytesPerRoom: 256 * 1024,
  maxApplyMs: 500,
  maxPendingBytes: 64 * 1024,
  maxQueuedMessages: 1_000,
  misconductBurst: 10,
  misconductPerSecond: 1,
})

/** Defaults for everything but the secret; used by tests and by `parseConfig`. */
export const defaultConfig = (secret: string): ServerConfig => ({
  host: '127.0.0.1',
  port: 1234,
  dataDir: './data',
  store: 'sqlite',
  postgresUrl: null,
  redisUrl: null,
  resyncIntervalMs: 2_000,
  secret,
  tls: null,
  allowedOrigins: [...DEFAULT_ALLOWED_ORIGINS],
  limits: defaultLimits(),
  roomGraceMs: 2_000,
  compactThreshold: 500,
  commitIntervalMs: 0,
  checkpointIdleMs: 1_000,
  tokenCheckIntervalMs: 15_000,
  accessTtlSeconds: 15 * 60,
  maxAccessTtlSeconds: 12 * 3600,
  publicUrl: null,
  logLevel: 'info',
})

export const MIN_SECRET_LENGTH = 32

export const HELP = `Minutes sync server: y-websocket protocol, SQLite durability, token access.

Usage: npm run sync-server -- [options]

Options:
  --host <address>            interface to listen on (default 127.0.0.1)
  --port <n>                  port; 0 picks a free one, printed in the first log line (default 1234)
  --data <dir>                directory of the SQLite store (default ./data)
  --store <sqlite|memory|postgres>
                              memory keeps nothing across restarts (default sqlite; postgres
                              when --postgres or MINUTES_POSTGRES_URL is given)
  --postgres <url>            keep rooms and members in PostgreSQL instead of SQLite:
                              postgres://user:password@host:5432/database (the password is
                              better kept in MINUTES_POSTGRES_URL than on the command line)
  --redis <url>               with --postgres: run as one of several servers sharing the
                              database, which tell each other through Redis (redis://host:6379)
  --resync-interval-ms <n>    how often a server on PostgreSQL checks that its rooms hold what
                              the other servers stored (default 2000)
  --secret-file <file>        read the token secret from a file instead of MINUTES_SECRET
  --tls-cert <file>           serve wss:// directly with this certificate (PEM) ...
  --tls-key <file>            ... and this key
  --allowed-origins <list>    comma-separated origins a browser may connect from; a trailing *
                              matches any suffix (default chrome-extension://*,moz-extension://*)
  --max-message-bytes <n>     largest message (default 8388608); larger closes with 1009
  --rate <n>                  messages a second per connection (default 200)
  --burst <n>                 messages a connection may send at once (default 1000)
  --byte-rate <n>             bytes a second per connection, sustained (default 1048576); the
                              replies it asks for have a budget of the same rate
  --max-unsent-bytes <n>      output a socket may leave unread before it is closed with 4504
                              (default twice --max-message-bytes)
  --room-max-connections <n>  connections per room (default 200)
  --editor-reserved-connections <n>
                              of those, the ones only editors may take (default a tenth)
  --token-max-connections <n> connections to one room with one token (default 100); more
                              close with 4505
  --address-max-connections <n>
                              connections to one room from one address (default 100); more
                              close with 4506. Behind a reverse proxy every connection has
                              the proxy's address: raise it there
  --awareness-max-bytes <n>   bytes of one awareness message (default 65536)
  --awareness-max-clients <n> client ids in one awareness message (default 256)
  --presence-max-per-connection <n>
                              presence ids one connection may introduce (default 4); more
                              closes with 4413
  --room-max-presence <n>     presence entries a room shows at once (default 256)
  --room-max-presence-bytes <n>
                              bytes of the presence states a room shows at once (default 262144)
  --max-pending-bytes <n>     bytes of updates a room holds whose dependencies never arrived
                              (default 65536); past it the sender closes with 4400
  --misconduct-burst <n>      connections one identity may have closed for breaking a limit
                              before its next connections wait to be let in (default 10)
  --misconduct-rate <n>       such closes a second it may have after that (default 1)
  --compact-threshold <n>     stored updates of a room that trigger compaction (default 500)
  --commit-interval-ms <n>    least time between group commits (default 0); besides, a commit
                              never starts sooner after a write than that write took
  --room-grace-ms <n>         how long an empty room stays loaded (default 2000)
  --access-ttl <duration>     lifetime of the access tokens POST /access gives members: 900,
                              15m, 2h (default 15m)
  --max-access-ttl <duration> the longest --access-ttl allowed (default 12h)
  --public-url <ws-url>       the address clients reach the server at, for the join codes
                              owners make (default: from each request's Host header)
  --log-level <level>         fatal, error, warn, info, debug or silent (default info)
  --help                      this text

Environment:
  MINUTES_SECRET              the HS256 secret tokens are signed with (at least ${MIN_SECRET_LENGTH} characters)
  MINUTES_ACCESS_TTL          like --access-ttl (the flag wins)
  MINUTES_MAX_ACCESS_TTL      like --max-access-ttl (the flag wins)
  MINUTES_PUBLIC_URL          like --public-url (the flag wins)
  MINUTES_POSTGRES_URL        like --postgres (the flag wins; --store sqlite or memory ignores it)
  MINUTES_REDIS_URL           like --redis (the flag wins; ignored unless the store is PostgreSQL)
`

/** A configuration problem the operator can fix; the message says how. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const positiveInt = (name: string, value: string | undefined, fallback: number, min = 1): number => {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(`--${name} must be a whole number of at least ${min}, got "${value}"`)
  }
  return n
}

/** `3600`, `90s`, `15m`, `12h` or `30d` in seconds; `null` for anything else or zero. */
export const parseDuration = (text: string): number | null => {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim())
  if (match === null) return null
  const factor = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd']
  const seconds = Number(match[1]) * factor
  return seconds > 0 ? seconds : null
}

const duration = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback
  const seconds = parseDuration(value)
  if (seconds === null) throw new ConfigError(`--${name} must be a duration like 900, 15m, 2h or 1d, got "${value}"`)
  return seconds
}

const readFileOrExplain = (flag: string, path: string): string => {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`${flag} ${path}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`)
  }
}

/**
 * Parses command-line flags and environment. Returns `'help'` for `--help`; throws
 * `ConfigError` with a message that names the flag and what to do.
 */
export const parseConfig = (argv: string[], env: NodeJS.ProcessEnv): ServerConfig | 'help' => {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean' },
        host: { type: 'string' },
        port: { type: 'string' },
        data: { type: 'string' },
        store: { type: 'string' },
        postgres: { type: 'string' },
        redis: { type: 'string' },
        'resync-interval-ms': { type: 'string' },
        'secret-file': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'allowed-origins': { type: 'string' },
        'max-message-bytes': { type: 'string' },
        rate: { type: 'string' },
        burst: { type: 'string' },
        'byte-rate': { type: 'string' },
        'max-unsent-bytes': { type: 'string' },
        'room-max-connections': { type: 'string' },
        'editor-reserved-connections': { type: 'string' },
        'token-max-connections': { type: 'string' },
        'address-max-connections': { type: 'string' },
        'awareness-max-bytes': { type: 'string' },
        'awareness-max-clients': { type: 'string' },
        'presence-max-per-connection': { type: 'string' },
        'room-max-presence': { type: 'string' },
        'room-max-presence-bytes': { type: 'string' },
        'max-pending-bytes': { type: 'string' },
        'misconduct-burst': { type: 'string' },
        'misconduct-rate': { type: 'string' },
        'compact-threshold': { type: 'string' },
        'commit-interval-ms': { type: 'string' },
        'room-grace-ms': { type: 'string' },
        'access-ttl': { type: 'string' },
        'max-access-ttl': { type: 'string' },
        'public-url': { type: 'string' },
        'log-level': { type: 'string' },
      },
    })
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Run with --help to list the options.`)
  }
  const v = parsed.values
  if (v.help) return 'help'

  const secretFile = v['secret-file']
  const secret = (secretFile !== undefined ? readFileOrExplain('--secret-file', secretFile) : env.MINUTES_SECRET ?? '').trim()
  if (secret === '') {
    throw new ConfigError('No token secret: set MINUTES_SECRET or pass --secret-file <file>.')
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(`The token secret is too short: use at least ${MIN_SECRET_LENGTH} random characters.`)
  }

  const config = defaultConfig(secret)
  if (v.host !== undefined) config.host = v.host
  config.port = positiveInt('port', v.port, config.port, 0)
  if (config.port > 65535) throw new ConfigError(`--port must be at most 65535, got ${config.port}`)
  if (v.data !== undefined) config.dataDir = v.data
  const postgresUrl = v.postgres ?? (env.MINUTES_POSTGRES_URL === '' ? undefined : env.MINUTES_POSTGRES_URL)
  if (v.store !== undefined) {
    if (v.store !== 'sqlite' && v.store !== 'memory' && v.store !== 'postgres') {
      throw new ConfigError(`--store must be sqlite, memory or postgres, got "${v.store}"`)
    }
    if (v.store !== 'postgres' && v.postgres !== undefined) {
      throw new ConfigError(`--postgres and --store ${v.store} contradict each other: pass one of them.`)
    }
    config.store = v.store
  } else if (postgresUrl !== undefined) {
    config.store = 'postgres'
  }
  if (config.store === 'postgres') {
    if (postgresUrl === undefined) {
      throw new ConfigError('--store postgres needs the database: pass --postgres postgres://user:password@host:5432/database or set MINUTES_POSTGRES_URL.')
    }
    if (!/^postgres(ql)?:\/\//.test(postgresUrl)) {
      // Not echoed: it may hold a password.
      throw new ConfigError('--postgres (or MINUTES_POSTGRES_URL) must be a URL like postgres://user:password@host:5432/database.')
    }
    config.postgresUrl = postgresUrl
  }
  const redisUrl = v.redis ?? (config.store === 'postgres' && env.MINUTES_REDIS_URL !== '' ? env.MINUTES_REDIS_URL : undefined)
  if (redisUrl !== undefined) {
    if (config.store !== 'postgres') {
      throw new ConfigError('--redis needs --postgres: the servers of a cluster keep their rooms in one PostgreSQL database (SPEC C7).')
    }
    if (!/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('--redis (or MINUTES_REDIS_URL) must be a URL like redis://host:6379.')
    config.redisUrl = redisUrl
  }
  config.resyncIntervalMs = positiveInt('resync-interval-ms', v['resync-interval-ms'], config.resyncIntervalMs, 50)
  const cert = v['tls-cert']
  const key = v['tls-key']
  if ((cert === undefined) !== (key === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together: pass both or neither.')
  }
  if (cert !== undefined && key !== undefined) {
    config.tls = { cert: readFileOrExplain('--tls-cert', cert), key: readFileOrExplain('--tls-key', key) }
  }
  if (v['allowed-origins'] !== undefined) {
    config.allowedOrigins = v['allowed-origins'].split(',').map((s) => s.trim()).filter((s) => s !== '')
    if (config.allowedOrigins.length === 0) throw new ConfigError('--allowed-origins needs at least one origin')
  }
  const limits = config.limits
  limits.maxMessageBytes = positiveInt('max-message-bytes', v['max-message-bytes'], limits.maxMessageBytes, 1024)
  limits.messagesPerSecond = positiveInt('rate', v.rate, limits.messagesPerSecond)
  limits.messageBurst = positiveInt('burst', v.burst, limits.messageBurst)
  limits.bytesPerSecond = positiveInt('byte-rate', v['byte-rate'], limits.bytesPerSecond, 1024)
  limits.maxUnsentBytes = positiveInt('max-unsent-bytes', v['max-unsent-bytes'], 2 * limits.maxMessageBytes, 1024)
  limits.maxConnectionsPerRoom = positiveInt('room-max-connections', v['room-max-connections'], limits.maxConnectionsPerRoom)
  limits.editorReservedConnections = positiveInt(
    'editor-reserved-connections',
    v['editor-reserved-connections'],
    Math.ceil(limits.maxConnectionsPerRoom / 10),
    0,
  )
  if (limits.editorReservedConnections >= limits.maxConnectionsPerRoom) {
    throw new ConfigError(`--editor-reserved-connections must be below --room-max-connections (${limits.maxConnectionsPerRoom})`)
  }
  limits.maxConnectionsPerToken = positiveInt('token-max-connections', v['token-max-connections'], limits.maxConnectionsPerToken)
  limits.maxConnectionsPerAddress = positiveInt('address-max-connections', v['address-max-connections'], limits.maxConnectionsPerAddress)
  limits.maxAwarenessBytes = positiveInt('awareness-max-bytes', v['awareness-max-bytes'], limits.maxAwarenessBytes, 64)
  limits.maxAwarenessClients = positiveInt('awareness-max-clients', v['awareness-max-clients'], limits.maxAwarenessClients)
  limits.maxPresencePerConnection = positiveInt('presence-max-per-connection', v['presence-max-per-connection'], limits.maxPresencePerConnection)
  limits.maxPresencePerRoom = positiveInt('room-max-presence', v['room-max-presence'], limits.maxPresencePerRoom)
  limits.maxPresenceBytesPerRoom = positiveInt('room-max-presence-bytes', v['room-max-presence-bytes'], limits.maxPresenceBytesPerRoom, 1024)
  limits.maxPendingBytes = positiveInt('max-pending-bytes', v['max-pending-bytes'], limits.maxPendingBytes, 1024)
  limits.misconductBurst = positiveInt('misconduct-burst', v['misconduct-burst'], limits.misconductBurst)
  limits.misconductPerSecond = positiveInt('misconduct-rate', v['misconduct-rate'], limits.misconductPerSecond)
  config.compactThreshold = positiveInt('compact-threshold', v['compact-threshold'], config.compactThreshold, 2)
  config.commitIntervalMs = positiveInt('commit-interval-ms', v['commit-interval-ms'], config.commitIntervalMs, 0)
  config.roomGraceMs = positiveInt('room-grace-ms', v['room-grace-ms'], config.roomGraceMs, 0)
  config.accessTtlSeconds = duration('access-ttl', v['access-ttl'] ?? env.MINUTES_ACCESS_TTL, config.accessTtlSeconds)
  config.maxAccessTtlSeconds = duration('max-access-ttl', v['max-access-ttl'] ?? env.MINUTES_MAX_ACCESS_TTL, config.maxAccessTtlSeconds)
  if (config.accessTtlSeconds > config.maxAccessTtlSeconds) {
    throw new ConfigError(
      `--access-ttl (${config.accessTtlSeconds} s) is longer than --max-access-ttl (${config.maxAccessTtlSeconds} s): ` +
        'a stolen access token would work that long. Shorten --access-ttl, or raise --max-access-ttl if you mean it.',
    )
  }
  const publicUrl = v['public-url'] ?? env.MINUTES_PUBLIC_URL
  if (publicUrl !== undefined) {
    if (!/^wss?:\/\/[^/?#]+$/.test(publicUrl)) throw new ConfigError(`--public-url must be ws://host[:port] or wss://host[:port], got "${publicUrl}"`)
    config.publicUrl = publicUrl
  }
  if (v['log-level'] !== undefined) {
    const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const
    const level = levels.find((l) => l === v['log-level'])
    if (level === undefined) throw new ConfigError(`--log-level must be one of ${levels.join(', ')}`)
    config.logLevel = level
  }
  return config
}

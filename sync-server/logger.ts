import { pino, type Logger } from 'pino'
import type { ServerConfig } from './config'

/**
 * JSON logs. Tokens travel in the query string, member keys in the Authorization header and
 * documents in messages, so nothing here logs a URL with its query, a header or a message body
 * (SPEC A7, I2); `redact` is a second guard.
 */
export const createLogger = (level: ServerConfig['logLevel'], destination?: pino.DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service: 'minutes-sync' },
      redact: { paths: ['token', 'key', 'req.url', 'headers.authorization', 'secret'], censor: '[redacted]' },
    },
    destination,
  )

/** The path of a request URL without its query string, safe to log. */
export const safePath = (url: string | undefined): string => (url ?? '').split('?')[0] ?? ''

export type { Logger }

import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { backupSqliteStore } from './persistence/sqlite-backup'
import { StoreOpenError } from './persistence/store'

// `npm run backup -- --data ./data --out backups/minutes.sqlite`: a consistent copy of the store,
// also while the server runs (SPEC O6).
const HELP = `Writes a consistent copy of the sync server's SQLite store, also while the server runs.

Usage: npm run backup -- --out <file> [options]

  --out <file>   where the copy goes; must not exist yet
  --data <dir>   the server's data directory, as its --data (default ./data)
  --json         print {"file","bytes","rooms","updates","ms"} as JSON

Restore: stop the server; move minutes.sqlite, minutes.sqlite-wal and minutes.sqlite-shm out of
the data directory; copy the backup to <data>/minutes.sqlite; start the server.
`

const fail = (message: string, code = 2): never => {
  process.stderr.write(`backup: ${message}\n`)
  process.exit(code)
}

const main = (): void => {
  let values
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: {
        out: { type: 'string' },
        data: { type: 'string', default: './data' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values
  } catch (error) {
    return fail(`${(error as Error).message}. Run with --help.`)
  }
  if (values.help) {
    process.stdout.write(HELP)
    return
  }
  const out = values.out ?? fail('--out is required, e.g. --out backups/minutes-2026-11-25.sqlite')
  let summary
  try {
    summary = backupSqliteStore(values.data, resolve(out))
  } catch (error) {
    if (error instanceof StoreOpenError) return fail(error.message, 3)
    throw error
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(summary) + '\n')
    return
  }
  process.stdout.write(
    `backed up ${summary.rooms} rooms (${summary.updates} stored updates, ${summary.bytes} bytes) to ${summary.file} in ${Math.round(summary.ms)} ms\n`,
  )
}

main()

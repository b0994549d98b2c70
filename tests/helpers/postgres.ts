import { execFile } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { freePort } from './free-port'

const run = promisify(execFile)

/** The database user of every throwaway cluster (trust authentication on loopback). */
const USER = 'minutes'

/**
 * A throwaway PostgreSQL server for tests: its own cluster in a temp dir, on a free loopback
 * port, with its socket in that dir, never the machine's service. Debian's `postgresql` package
 * provides the binaries (`/usr/lib/postgresql/<major>/bin`, off PATH; `PG_BIN` overrides).
 *
 * PostgreSQL refuses to run as root. As root (CI, these machines), `initdb` and `pg_ctl` run
 * as the `postgres` OS user that the package creates (`runuser -u postgres --`, else
 * `su postgres -c`), and the temp dir is chowned to it. The tests themselves connect over TCP,
 * so they do not care who owns the files.
 */
export interface TestPostgres {
  port: number
  /** The cluster's data directory (its `postmaster.pid` names the server process). */
  dataDir: string
  /** A URL for `database` (default `postgres`, which always exists). */
  url(database?: string): string
  /** A new empty database; resolves with its URL. */
  createDatabase(): Promise<string>
  /** `pg_ctl stop -m fast`: connections are cut, new ones refused. */
  stop(): Promise<void>
  /** Starts the stopped cluster again on the same port. */
  start(): Promise<void>
  /** Stops the cluster (immediately) and removes its directory. */
  remove(): Promise<void>
}

const findBinDir = (): string => {
  const candidates = process.env.PG_BIN !== undefined ? [process.env.PG_BIN] : []
  if (existsSync('/usr/lib/postgresql')) {
    const majors = readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a))
    candidates.push(...majors.map((major) => `/usr/lib/postgresql/${major}/bin`))
  }
  candidates.push('/usr/local/bin', '/usr/bin')
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
  if (found === undefined) throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found: apt-get install postgresql, or set PG_BIN')
  return found
}

const shellQuote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`

const asRoot = process.getuid?.() === 0

/** Runs a PostgreSQL binary, as the `postgres` OS user when this process is root. */
const runPostgresTool = async (binary: string, args: string[], cwd: string): Promise<void> => {
  if (!asRoot) {
    await run(binary, args, { cwd })
    return
  }
  if (existsSync('/usr/sbin/runuser') || existsSync('/sbin/runuser')) {
    await run('runuser', ['-u', 'postgres', '--', binary, ...args], { cwd })
    return
  }
  await run('su', ['postgres', '-s', '/bin/sh', '-c', [binary, ...args].map(shellQuote).join(' ')], { cwd })
}

const idOf = async (flag: '-u' | '-g'): Promise<number> => Number((await run('id', [flag, 'postgres'])).stdout.trim())

export const startTestPostgres = async (): Promise<TestPostgres> => {
  const bin = findBinDir()
  const dir = mkdtempSync(join(tmpdir(), 'minutes-pg-'))
  const data = join(dir, 'data')
  try {
    if (asRoot) {
      chownSync(dir, await idOf('-u'), await idOf('-g'))
      chmodSync(dir, 0o700)
    }
    // --no-sync only skips flushing the fresh cluster's files once: the server still fsyncs every commit.
    await runPostgresTool(join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], dir)
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  let port = 0
  const start = () =>
    runPostgresTool(
      join(bin, 'pg_ctl'),
      ['start', '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1`],
      dir,
    )
  const stop = (mode: 'fast' | 'immediate') => runPostgresTool(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', mode, '-w'], dir)
  // A free port can be taken between the check and the start: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort()
    try {
      await start()
      break
    } catch (error) {
      if (attempt < 3) continue
      rmSync(dir, { recursive: true, force: true })
      throw error
    }
  }
  const url = (database = 'postgres') => `postgres://${USER}@127.0.0.1:${port}/${database}`
  let databases = 0
  let running = true
  return {
    port,
    dataDir: data,
    url,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`
      const client = new pg.Client({ connectionString: url() })
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${name}`)
      } finally {
        await client.end()
      }
      return url(name)
    },
    async stop() {
      await stop('fast')
      running = false
    },
    async start() {
      await start()
      running = true
    },
    async remove() {
      if (running) await stop('immediate').catch(() => {})
      running = false
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

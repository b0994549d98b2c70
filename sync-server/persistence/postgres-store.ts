import pg from 'pg'
import { isRole, type Role } from '../../src/protocol'
import {
  StoreOpenError,
  StoreReadError,
  type ClusterStore,
  type LogTail,
  type Member,
  type MemberChange,
  type RoomAppended,
  type StoreEntry,
  type StoredUpdate,
} from './store'

export interface PostgresStoreOptions {
  /** Connections the store keeps at most (a commit, room loads and member look-ups share them). */
  maxConnections?: number
  /** How long to wait for a connection before a call fails (the database is down or unreachable). */
  connectTimeoutMs?: number
  /** How long one statement may take before its call fails and its connection is dropped. */
  queryTimeoutMs?: number
}

/**
 * The schema, one step a version (SPEC C2). A step is never edited once released: a change is a
 * new step. Every step runs in the transaction that records it, under an advisory lock, so
 * servers starting at once against one database migrate it once.
 */
const MIGRATIONS: readonly string[] = [
  `
  -- One row a room: its next sequence number. Every append of the room takes this row's lock
  -- (SPEC C3), so a room's updates are numbered in commit order whichever server writes them;
  -- the room's lock state joins this row when several servers share rooms (#14).
  CREATE TABLE rooms (
    name text PRIMARY KEY,
    next_seq bigint NOT NULL
  );
  CREATE TABLE updates (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room text NOT NULL,
    seq bigint NOT NULL,
    data bytea NOT NULL,
    UNIQUE (room, seq)
  );
  CREATE TABLE quarantine (
    id bigint PRIMARY KEY,
    room text NOT NULL,
    seq bigint NOT NULL,
    data bytea NOT NULL,
    reason text NOT NULL,
    quarantined_at bigint NOT NULL
  );
  CREATE TABLE members (
    id text PRIMARY KEY,
    space text NOT NULL,
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    key_hash text NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    revoked_at bigint,
    -- Insertion order, for members added in the same millisecond (SQLite's rowid).
    ord bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX members_by_space ON members (space, created_at, ord);
  `,
  `
  -- The room's lock (SPEC C9): set by the commit that holds the server's lock write, cleared by
  -- the one that holds its reopening; every append reads it under the row lock it takes anyway.
  ALTER TABLE rooms ADD COLUMN locked boolean NOT NULL DEFAULT false;
  `,
]

/** Any constant: the advisory lock that makes concurrent migrations of one database wait for each other. */
const MIGRATION_LOCK = 0x6d696e75
/** The first key of a room's compaction lock (the second is a hash of the room's name; SPEC C11). */
const COMPACTION_LOCK = 0x6d696e76

/** Rows a single INSERT carries at most (three parameters each; PostgreSQL allows 65,535). */
const ROWS_PER_INSERT = 1_000

/** Rooms whose next sequence number the store remembers (least recently used forgotten first; SPEC C5). */
const KNOWN_ROOMS = 100_000

/** A compaction refused because another server wrote to the room since this one loaded it (SPEC C5). */
export class RoomWrittenElsewhereError extends Error {
  override name = 'RoomWrittenElsewhereError'
}

/** A compaction not attempted because another server is compacting the room right now (SPEC C11). */
export class CompactionBusyError extends Error {
  override name = 'CompactionBusyError'
}

/** The URL without its password, for messages and logs (SPEC A7). */
export const redactPostgresUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the PostgreSQL URL (unparseable)'
  }
}

/**
 * The store of record when several servers share rooms (SPEC C): PostgreSQL through a `pg`
 * pool. Same contract as the SQLite store (tests/server/store-contract.test.ts): an append is one
 * transaction, acknowledged after its `COMMIT` returned with `synchronous_commit = on`.
 * Refuses to open (`StoreOpenError`, with what to do) when the database cannot be reached,
 * cannot be migrated, or would not make a commit durable.
 */
export const openPostgresStore = async (url: string, options: PostgresStoreOptions = {}): Promise<ClusterStore> => {
  const where = redactPostgresUrl(url)
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    query_timeout: options.queryTimeoutMs ?? 30_000,
    idleTimeoutMillis: 30_000,
    application_name: 'minutes-sync',
    // Whatever the database's or role's default: a commit returns once it is on disk (SPEC C1).
    options: '-c synchronous_commit=on',
  })
  // An idle connection that breaks (PostgreSQL restarted) is dropped by the pool; the next call
  // opens a new one and reports its own failure. Without a listener the error would end the process.
  pool.on('error', () => {})

  try {
    const { rows } = await pool.query<{ fsync: string; synchronous_commit: string }>(
      "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit",
    )
    if (rows[0]?.fsync !== 'on' || rows[0]?.synchronous_commit !== 'on') {
      await pool.end()
      throw new StoreOpenError(
        `PostgreSQL at ${where} runs with fsync=${rows[0]?.fsync} and synchronous_commit=${rows[0]?.synchronous_commit}: ` +
          'a committed update would not survive a crash of its machine. Set fsync = on in postgresql.conf and start again.',
      )
    }
  } catch (error) {
    if (error instanceof StoreOpenError) throw error
    await pool.end().catch(() => {})
    throw new StoreOpenError(
      `Cannot reach PostgreSQL at ${where}: ${(error as Error).message}. Check that PostgreSQL runs there, that the database exists ` +
        'and that the user may connect (--postgres or MINUTES_POSTGRES_URL, as postgres://user:password@host:5432/database).',
    )
  }
  try {
    await migrate(pool)
  } catch (error) {
    await pool.end().catch(() => {})
    throw new StoreOpenError(
      `The PostgreSQL database at ${where} could not be prepared for Minutes (${(error as Error).message}). ` +
        'The user needs the right to create tables in it; a database of something else wants a database of its own.',
    )
  }

  /**
   * A connection of the pool for several statements. A connection that breaks between two of
   * them (PostgreSQL restarted under load) emits an error the pool does not catch for a client
   * it has handed out: without a listener it would end the process. The next statement on it
   * fails and takes the ordinary path (SPEC C1).
   */
  const checkOut = async (): Promise<pg.PoolClient> => {
    const client = await pool.connect()
    if (client.listenerCount('error') === 0) client.on('error', () => {})
    return client
  }

  /** Runs `work` in one transaction on one connection; a connection that failed is dropped, not reused. */
  const transaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await checkOut()
    let result: T
    try {
      await client.query('BEGIN')
      result = await work(client)
      await client.query('COMMIT')
    } catch (error) {
      try {
        await client.query('ROLLBACK')
        client.release()
      } catch (rollbackError) {
        client.release(rollbackError as Error)
      }
      throw error
    }
    client.release()
    return result
  }

  /**
   * Takes each room's row lock, in name order (so two servers committing the same rooms cannot
   * deadlock; SPEC C3), creating the rows of new rooms, and reads what the rows hold.
   */
  const lockRooms = async (client: pg.PoolClient, names: readonly string[]): Promise<Map<string, { nextSeq: number; locked: boolean }>> => {
    const { rows } = await client.query<{ name: string; next_seq: string; locked: boolean }>(
      `INSERT INTO rooms AS r (name, next_seq)
         SELECT name, 1 FROM unnest($1::text[]) AS t (name) ORDER BY name
       ON CONFLICT (name) DO UPDATE SET next_seq = r.next_seq
       RETURNING name, next_seq, locked`,
      [names],
    )
    return new Map(rows.map((row) => [row.name, { nextSeq: Number(row.next_seq), locked: row.locked }]))
  }

  const writeRooms = async (client: pg.PoolClient, rooms: ReadonlyArray<{ name: string; nextSeq: number; locked: boolean }>): Promise<void> => {
    if (rooms.length === 0) return
    await client.query(
      `UPDATE rooms AS r SET next_seq = t.next_seq, locked = t.locked
         FROM unnest($1::text[], $2::bigint[], $3::boolean[]) AS t (name, next_seq, locked) WHERE r.name = t.name`,
      [rooms.map((r) => r.name), rooms.map((r) => r.nextSeq), rooms.map((r) => r.locked)],
    )
  }

  const readTail = async (room: string, since: number): Promise<LogTail & { stored: StoredUpdate[] }> => {
    let rows
    try {
      // One statement, one snapshot: the log and the room's next number agree. At least one row
      // (the room's, or nulls), with an update in each when there are any.
      ;({ rows } = await pool.query<{ next_seq: string | null; id: string | null; data: Buffer | null }>(
        `SELECT r.next_seq, u.id, u.data FROM (SELECT 1) AS one
           LEFT JOIN rooms r ON r.name = $1
           LEFT JOIN updates u ON u.room = $1 AND u.seq >= $2
         ORDER BY u.seq`,
        [room, since],
      ))
    } catch (error) {
      throw new StoreReadError(`Cannot read room data from PostgreSQL at ${where}: ${(error as Error).message}`)
    }
    const stored = rows.flatMap((row): StoredUpdate[] =>
      row.id === null || row.data === null
        ? []
        : [{ id: Number(row.id), update: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) }],
    )
    return { stored, updates: stored.map((s) => s.update), nextSeq: rows[0]?.next_seq == null ? 1 : Number(rows[0].next_seq) }
  }

  const insertUpdates = async (client: pg.PoolClient, rows: ReadonlyArray<[room: string, seq: number, data: Uint8Array]>): Promise<void> => {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT)
      // Separate parameters rather than arrays: pg sends each Buffer as binary, arrays as hex text.
      const values = chunk.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3})`).join(', ')
      await client.query(`INSERT INTO updates (room, seq, data) VALUES ${values}`, chunk.flatMap(([room, seq, data]) => [room, seq, asBuffer(data)]))
    }
  }

  const memberColumns = 'id, space, name, role, created_at, revoked_at'
  /**
   * The unrevoked member `id` of `space`, and whether taking its owner role away would leave none.
   * Locks the space's unrevoked owners first: two owners revoking each other wait for each other,
   * and the second sees the first's revocation (SPEC I5 under READ COMMITTED).
   */
  const checkChange = async (client: pg.PoolClient, space: string, id: string, keepsOwner: boolean): Promise<MemberChange | Member> => {
    const owners = await client.query(
      "SELECT id FROM members WHERE space = $1 AND role = 'owner' AND revoked_at IS NULL ORDER BY id FOR UPDATE",
      [space],
    )
    const { rows } = await client.query<MemberRow>(`SELECT ${memberColumns} FROM members WHERE id = $1 FOR UPDATE`, [id])
    const row = rows[0]
    if (row === undefined || row.space !== space || row.revoked_at !== null) return 'not-found'
    const member = toMember(row)
    if (member.role === 'owner' && !keepsOwner && owners.rowCount! <= 1) return 'last-owner'
    return member
  }

  /**
   * Per room, the sequence number its next append gets if this server is the only one writing it
   * (set by `load`, advanced by this store's own commits), or `elsewhere` once another server's
   * append came in between. A compaction replaces the log by this server's document, so it is
   * refused when the room's row says otherwise (SPEC C5). A room not remembered is trusted, as
   * the contract says (`UpdateStore.compact`).
   */
  const expectedSeq = new Map<string, number | 'elsewhere'>()
  const remember = (room: string, next: number | 'elsewhere'): void => {
    expectedSeq.delete(room)
    expectedSeq.set(room, next)
    if (expectedSeq.size > KNOWN_ROOMS) expectedSeq.delete(expectedSeq.keys().next().value!)
  }

  const loadNumbered = async (room: string): Promise<LogTail & { stored: StoredUpdate[] }> => {
    const tail = await readTail(room, 0)
    remember(room, tail.nextSeq)
    return tail
  }

  let closed = false
  // The health probe's row: update-sized, inserted and rolled back (SPEC O1).
  const probeRow = Buffer.alloc(1024)

  return {
    async addMember(member) {
      await pool.query('INSERT INTO members (id, space, name, role, key_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        member.id,
        member.space,
        member.name,
        member.role,
        member.keyHash,
        member.createdAt,
      ])
    },
    async member(id) {
      const { rows } = await pool.query<MemberRow>(`SELECT ${memberColumns} FROM members WHERE id = $1`, [id])
      return rows[0] === undefined ? null : toMember(rows[0])
    },
    async memberByKeyHash(keyHash) {
      const { rows } = await pool.query<MemberRow>(`SELECT ${memberColumns} FROM members WHERE key_hash = $1`, [keyHash])
      return rows[0] === undefined ? null : toMember(rows[0])
    },
    async members(space) {
      const { rows } = await pool.query<MemberRow>(`SELECT ${memberColumns} FROM members WHERE space = $1 ORDER BY created_at, ord`, [space])
      return rows.map(toMember)
    },
    async revokeMember(space, id, at) {
      return transaction(async (client) => {
        const checked = await checkChange(client, space, id, false)
        if (typeof checked === 'string') return checked
        await client.query('UPDATE members SET revoked_at = $1 WHERE id = $2', [at, id])
        return 'done'
      })
    },
    async setMemberRole(space, id, role) {
      return transaction(async (client) => {
        const checked = await checkChange(client, space, id, role === 'owner')
        if (typeof checked === 'string') return checked
        await client.query('UPDATE members SET role = $1 WHERE id = $2', [role, id])
        return 'done'
      })
    },
    async load(room) {
      return (await loadNumbered(room)).stored
    },
    loadNumbered,
    async loadSince(room, seq) {
      const { updates, nextSeq } = await readTail(room, seq)
      return { updates, nextSeq }
    },
    async nextSeqs(rooms) {
      const { rows } = await pool.query<{ name: string; next_seq: string }>('SELECT name, next_seq FROM rooms WHERE name = ANY ($1::text[])', [rooms])
      const found = new Map(rows.map((row) => [row.name, Number(row.next_seq)]))
      return new Map(rooms.map((room) => [room, found.get(room) ?? 1]))
    },
    async append(entries: ReadonlyArray<StoreEntry>) {
      const outcome = new Map<string, RoomAppended>()
      if (entries.length === 0) return outcome
      const byRoom = new Map<string, StoreEntry[]>()
      for (const entry of entries) {
        let list = byRoom.get(entry.room)
        if (list === undefined) byRoom.set(entry.room, (list = []))
        list.push(entry)
      }
      await transaction(async (client) => {
        outcome.clear()
        const rows = await lockRooms(client, [...byRoom.keys()])
        const written: Array<{ name: string; nextSeq: number; locked: boolean }> = []
        const inserts: Array<[room: string, seq: number, data: Uint8Array]> = []
        for (const [room, list] of byRoom) {
          const row = rows.get(room)!
          const verdict = lockVerdict(list, row)
          if (typeof verdict === 'string') {
            outcome.set(room, { ok: false, refused: verdict })
            continue
          }
          list.forEach((entry, i) => inserts.push([room, row.nextSeq + i, entry.update]))
          written.push({ name: room, nextSeq: row.nextSeq + list.length, locked: verdict.locked })
          outcome.set(room, { ok: true, firstSeq: row.nextSeq, count: list.length })
        }
        await writeRooms(client, written)
        await insertUpdates(client, inserts)
      })
      // Committed. A room whose numbers are not the ones this store expected was written by
      // another server in between: its log now holds updates this server's document lacks.
      for (const [room, result] of outcome) {
        if (!result.ok || result.firstSeq === null) continue
        const expected = expectedSeq.get(room)
        remember(room, expected === undefined || expected === result.firstSeq ? result.firstSeq + result.count : 'elsewhere')
      }
      return outcome
    },
    async compact(room, snapshot, expectedNextSeq) {
      const seq = await transaction(async (client) => {
        // One server compacts a room at a time; another that finds it busy leaves it (SPEC C11).
        const { rows: got } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [COMPACTION_LOCK, room])
        if (got[0]?.locked !== true) throw new CompactionBusyError('room not compacted: another server is compacting it (SPEC C11)')
        const row = (await lockRooms(client, [room])).get(room)!
        const expected = expectedNextSeq ?? expectedSeq.get(room)
        if (expected !== undefined && expected !== row.nextSeq) {
          throw new RoomWrittenElsewhereError(
            `room not compacted: another server has written to it since this one loaded it, so this server's document may lack updates of its log (SPEC C5)`,
          )
        }
        await client.query('DELETE FROM updates WHERE room = $1', [room])
        await insertUpdates(client, [[room, row.nextSeq, snapshot]])
        await writeRooms(client, [{ name: room, nextSeq: row.nextSeq + 1, locked: row.locked }])
        return row.nextSeq
      })
      remember(room, seq + 1)
    },
    async quarantine(room, ids, reason) {
      if (ids.length === 0) return
      await transaction(async (client) => {
        await client.query(
          `INSERT INTO quarantine (id, room, seq, data, reason, quarantined_at)
             SELECT id, room, seq, data, $3, $4 FROM updates WHERE room = $1 AND id = ANY ($2::bigint[])
           ON CONFLICT (id) DO NOTHING`,
          [room, ids, reason, Date.now()],
        )
        await client.query('DELETE FROM updates WHERE room = $1 AND id = ANY ($2::bigint[])', [room, ids])
      })
    },
    async stamps(prefix) {
      // The newest row of each room under the prefix (SPEC R1): a range on the room's name, which
      // the (room, seq) index serves; `starts_with` keeps LIKE's wildcards out of room ids.
      try {
        const { rows } = await pool.query<{ room: string; stamp: string }>(
          'SELECT room, max(id)::text AS stamp FROM updates WHERE starts_with(room, $1) AND room <> $2 GROUP BY room',
          [prefix, ''],
        )
        return new Map(rows.map((row) => [row.room, row.stamp]))
      } catch (error) {
        throw new StoreReadError(`Cannot read room stamps from PostgreSQL at ${where}: ${(error as Error).message}`)
      }
    },
    async checkpoint() {
      // PostgreSQL checkpoints its own write-ahead log; a committed update is in the store already.
      return true
    },
    async checkWritable() {
      const client = await checkOut()
      try {
        await client.query('BEGIN')
        await client.query("INSERT INTO updates (room, seq, data) VALUES ('', 0, $1)", [probeRow])
        await client.query('ROLLBACK')
        client.release()
      } catch (error) {
        client.release(error as Error)
        throw error
      }
    },
    async close() {
      if (closed) return
      closed = true
      await pool.end()
    },
  }
}

const migrate = async (pool: pg.Pool): Promise<void> => {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query('CREATE TABLE IF NOT EXISTS minutes_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM minutes_migrations')
    const current = rows[0]?.version ?? 0
    if (current > MIGRATIONS.length) {
      throw new Error(`the database is at schema version ${current}, newer than this server's ${MIGRATIONS.length}: run a newer server`)
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version - 1]!)
      await client.query('INSERT INTO minutes_migrations (version) VALUES ($1)', [version])
    }
    await client.query('COMMIT')
    client.release()
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    client.release(error as Error)
    throw error
  }
}

/**
 * Whether one room's entries of an append may be stored, read under the room's row lock (SPEC
 * C9): a locked room takes nothing but its reopening (and what follows it); a lock is stored only
 * when its row gets the number the deciding server expected, i.e. nobody else wrote to the room
 * since the approval was decided. Answers the room's lock state after the entries, or why none
 * of them may be stored.
 */
const lockVerdict = (entries: readonly StoreEntry[], row: { nextSeq: number; locked: boolean }): { locked: boolean } | 'locked' | 'lock-stale' => {
  let locked = row.locked
  for (const [i, entry] of entries.entries()) {
    if (entry.lock?.change === 'unlock') {
      locked = false
      continue
    }
    if (locked) return 'locked'
    if (entry.lock?.change === 'lock') {
      if (entry.lock.expectedSeq !== row.nextSeq + i) return 'lock-stale'
      locked = true
    }
  }
  return { locked }
}

const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))

interface MemberRow {
  id: string
  space: string
  name: string
  role: string
  created_at: string
  revoked_at: string | null
}

const toMember = (row: MemberRow): Member => {
  // The table's CHECK keeps other values out; a row that has one anyway is damage, not a role.
  if (!isRole(row.role)) throw new StoreReadError(`member ${row.id} has an unknown role`)
  const role: Role = row.role
  return {
    id: row.id,
    space: row.space,
    name: row.name,
    role,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  }
}

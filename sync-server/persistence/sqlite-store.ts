import Database from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { isRole, type Role } from '../../src/protocol'
import { StoreOpenError, StoreReadError, storedUnnumbered, type Member, type MemberChange, type Store, type StoreEntry, type StoredUpdate } from './store'

export const SQLITE_FILE_NAME = 'minutes.sqlite'

export interface SqliteStoreOptions {
  /** Test hook: cap the database at this many pages so writes fail as on a full disk. */
  maxPageCount?: number
}

/**
 * Refuses a store whose write-ahead log was removed after a crash (SPEC D9). SQLite deletes
 * `-wal` and `-shm` together on a clean close; after `kill -9` both stay, and the log holds
 * the newest committed updates. Opened without it, SQLite rebuilds its index over an empty log
 * and the store silently lacks them: acknowledged rooms would be served as empty or old.
 */
export const assertWriteAheadLogPresent = (file: string): void => {
  if (!existsSync(`${file}-shm`) || existsSync(`${file}-wal`)) return
  throw new StoreOpenError(
    `The store's write-ahead log ${file}-wal is missing while ${file}-shm exists: the server was not stopped cleanly ` +
      'and the log, which holds the latest committed updates, was removed. The server will not start without it. ' +
      `Put ${file}-wal back and start again. If it is lost for good, restore a backup (npm run backup; see the README), ` +
      `or accept losing the updates it held: delete ${file}-shm and start.`,
  )
}

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a committed
 * transaction survives power loss. better-sqlite3 is synchronous; group commit keeps that to
 * one fsync per event-loop tick however many updates arrived in it (docs/measurements.md, Disk).
 */
export const openSqliteStore = (dataDir: string, options: SqliteStoreOptions = {}): Store => {
  const file = join(dataDir, SQLITE_FILE_NAME)
  let db: Database.Database
  assertWriteAheadLogPresent(file)
  try {
    mkdirSync(dataDir, { recursive: true })
    db = new Database(file)
  } catch (error) {
    throw new StoreOpenError(`Cannot open the store ${file}: ${(error as Error).message}. Check that the directory exists and is writable.`)
  }
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new Error(`integrity check says: ${String(check)}`)
    db.exec(`
      CREATE TABLE IF NOT EXISTS updates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        room TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, id);
      CREATE TABLE IF NOT EXISTS quarantine (
        id INTEGER PRIMARY KEY,
        room TEXT NOT NULL,
        data BLOB NOT NULL,
        reason TEXT NOT NULL,
        quarantined_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS health (id INTEGER PRIMARY KEY CHECK (id = 1), checked_at INTEGER NOT NULL);
      -- Members (SPEC I1). IF NOT EXISTS: a store from before members gains the table on its next open.
      CREATE TABLE IF NOT EXISTS members (
        id TEXT PRIMARY KEY,
        space TEXT NOT NULL,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
        key_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS members_by_space ON members (space, created_at);
    `)
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${options.maxPageCount}`)
  } catch (error) {
    db.close()
    throw new StoreOpenError(
      `The store ${file} is damaged or not a Minutes database (${(error as Error).message}). ` +
        'The server will not start over it: restore the file from a backup, or move it aside to start empty.',
    )
  }

  const selectRoom = db.prepare<[string], { id: number; data: Buffer }>('SELECT id, data FROM updates WHERE room = ? ORDER BY id')
  const copyToQuarantine = db.prepare<[string, number, number, string]>(
    'INSERT OR IGNORE INTO quarantine (id, room, data, reason, quarantined_at) SELECT id, room, data, ?, ? FROM updates WHERE id = ? AND room = ?',
  )
  const deleteRow = db.prepare<[number, string]>('DELETE FROM updates WHERE id = ? AND room = ?')
  const quarantineRows = db.transaction((room: string, ids: readonly number[], reason: string) => {
    const now = Date.now()
    for (const id of ids) {
      copyToQuarantine.run(reason, now, id, room)
      deleteRow.run(id, room)
    }
  })
  const insert = db.prepare<[string, Uint8Array]>('INSERT INTO updates (room, data) VALUES (?, ?)')
  const deleteRoom = db.prepare<[string]>('DELETE FROM updates WHERE room = ?')
  const touchHealth = db.prepare<[number]>('INSERT INTO health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at')
  const appendAll = db.transaction((entries: ReadonlyArray<StoreEntry>) => {
    for (const { room, update } of entries) insert.run(room, update)
  })
  // Updating the health row rewrites a page that already exists, which a full database still
  // allows. The probe also inserts an update-sized row, then rolls everything back, so it fails
  // when an append would (SPEC O1).
  const probeRow = new Uint8Array(1024)
  const probeDone = new Error('health probe rolled back')
  const probeWrite = db.transaction(() => {
    touchHealth.run(Date.now())
    insert.run('', probeRow)
    throw probeDone
  })
  const replaceRoom = db.transaction((room: string, snapshot: Uint8Array) => {
    deleteRoom.run(room)
    insert.run(room, snapshot)
  })

  // The newest row's id: AUTOINCREMENT never reuses an id, so it moves with every append and
  // compaction (and with a quarantine of the newest row). A range on `room` uses updates_by_room.
  const selectStamps = db.prepare<[string, string], { room: string; stamp: number }>(
    'SELECT room, max(id) AS stamp FROM updates WHERE room >= ? AND room < ? GROUP BY room',
  )

  const insertMember = db.prepare<[string, string, string, string, string, number]>(
    'INSERT INTO members (id, space, name, role, key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const memberColumns = 'id, space, name, role, created_at AS createdAt, revoked_at AS revokedAt'
  const selectMember = db.prepare<[string], MemberRow>(`SELECT ${memberColumns} FROM members WHERE id = ?`)
  const selectMemberByKey = db.prepare<[string], MemberRow>(`SELECT ${memberColumns} FROM members WHERE key_hash = ?`)
  const selectMembers = db.prepare<[string], MemberRow>(`SELECT ${memberColumns} FROM members WHERE space = ? ORDER BY created_at, rowid`)
  const countOwners = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM members WHERE space = ? AND role = 'owner' AND revoked_at IS NULL",
  )
  const markRevoked = db.prepare<[number, string]>('UPDATE members SET revoked_at = ? WHERE id = ?')
  const updateRole = db.prepare<[string, string]>('UPDATE members SET role = ? WHERE id = ?')
  /** The unrevoked member `id` of `space`, and whether taking its owner role away would leave none. */
  const checkChange = (space: string, id: string, keepsOwner: boolean): MemberChange | Member => {
    const row = selectMember.get(id)
    if (row === undefined || row.space !== space || row.revokedAt !== null) return 'not-found'
    const member = toMember(row)
    if (member.role === 'owner' && !keepsOwner && countOwners.get(space)!.n <= 1) return 'last-owner'
    return member
  }
  const revoke = db.transaction((space: string, id: string, at: number): MemberChange => {
    const checked = checkChange(space, id, false)
    if (typeof checked === 'string') return checked
    markRevoked.run(at, id)
    return 'done'
  })
  const changeRole = db.transaction((space: string, id: string, role: Role): MemberChange => {
    const checked = checkChange(space, id, role === 'owner')
    if (typeof checked === 'string') return checked
    updateRole.run(role, id)
    return 'done'
  })

  return {
    async addMember(member) {
      insertMember.run(member.id, member.space, member.name, member.role, member.keyHash, member.createdAt)
    },
    async member(id) {
      const row = selectMember.get(id)
      return row === undefined ? null : toMember(row)
    },
    async memberByKeyHash(keyHash) {
      const row = selectMemberByKey.get(keyHash)
      return row === undefined ? null : toMember(row)
    },
    async members(space) {
      return selectMembers.all(space).map(toMember)
    },
    async revokeMember(space, id, at) {
      return revoke(space, id, at)
    },
    async setMemberRole(space, id, role) {
      return changeRole(space, id, role)
    },
    async load(room) {
      try {
        return selectRoom.all(room).map((row): StoredUpdate => ({
          id: row.id,
          update: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength),
        }))
      } catch (error) {
        throw new StoreReadError(`Cannot read room data from ${file}: ${(error as Error).message}`)
      }
    },
    async append(entries) {
      if (entries.length > 0) appendAll(entries)
      return storedUnnumbered(entries)
    },
    async compact(room, snapshot) {
      replaceRoom(room, snapshot)
    },
    async quarantine(room, ids, reason) {
      if (ids.length > 0) quarantineRows(room, ids, reason)
    },
    async stamps(prefix) {
      // Every id that starts with `prefix` sorts at or after it and before `prefix` with its last
      // character raised by one (SQLite compares TEXT bytewise).
      const end = prefix === '' ? '\u{10ffff}' : prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
      try {
        return new Map(selectStamps.all(prefix, end).map((row) => [row.room, String(row.stamp)]))
      } catch (error) {
        throw new StoreReadError(`Cannot read room stamps from ${file}: ${(error as Error).message}`)
      }
    },
    async checkpoint() {
      // TRUNCATE leaves an empty log file. A reader in the way (a backup's read transaction) would
      // make SQLite wait in its busy handler, blocking the event loop: give up at once instead.
      const timeout = db.pragma('busy_timeout', { simple: true }) as number
      db.pragma('busy_timeout = 0')
      try {
        const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>
        return result?.busy === 0
      } finally {
        db.pragma(`busy_timeout = ${timeout}`)
      }
    },
    async checkWritable() {
      try {
        probeWrite()
      } catch (error) {
        if (error !== probeDone) throw error
      }
    },
    async close() {
      if (db.open) db.close()
    },
  }
}

interface MemberRow {
  id: string
  space: string
  name: string
  role: string
  createdAt: number
  revokedAt: number | null
}

const toMember = (row: MemberRow): Member => {
  // The table's CHECK keeps other values out; a row that has one anyway is damage, not a role.
  if (!isRole(row.role)) throw new StoreReadError(`member ${row.id} has an unknown role`)
  return { id: row.id, space: row.space, name: row.name, role: row.role, createdAt: row.createdAt, revokedAt: row.revokedAt }
}

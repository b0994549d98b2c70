import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import * as Y from 'yjs'
import { createMemoryStore } from '../../sync-server/persistence/memory-store'
import { CompactionBusyError, RoomWrittenElsewhereError, openPostgresStore } from '../../sync-server/persistence/postgres-store'
import { SQLITE_FILE_NAME, openSqliteStore } from '../../sync-server/persistence/sqlite-store'
import { StoreOpenError, type NewMember, type Store } from '../../sync-server/persistence/store'
import pg from 'pg'
import { startTestPostgres, type TestPostgres } from '../helpers/postgres'
import { tempDir } from '../helpers/server'

// One contract, every backend (the house rule: one storage interface, one contract suite). A new backend adds one entry to `backends`.
interface Backend {
  /** A new, empty store, closed by the test. */
  open: () => Promise<Store>
  /** Starts what the backend needs before its first test (a database server). */
  setUp?: () => Promise<void>
  tearDown?: () => Promise<void>
}

let postgres: TestPostgres | null = null
const backends: Array<[string, Backend]> = [
  ['memory', { open: async () => createMemoryStore() }],
  [
    'sqlite',
    {
      open: async () => {
        const dir = tempDir()
        onTestFinished(dir.remove)
        return openSqliteStore(dir.path)
      },
    },
  ],
  [
    'postgres',
    {
      setUp: async () => {
        postgres = await startTestPostgres()
      },
      tearDown: async () => {
        await postgres?.remove()
        postgres = null
      },
      // A database of its own for each test.
      open: async () => openPostgresStore(await postgres!.createDatabase()),
    },
  ],
]

const textUpdates = (count: number): { updates: Uint8Array[]; doc: Y.Doc } => {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < count; i++) doc.getText('t').insert(i, String.fromCharCode(97 + (i % 26)))
  return { updates, doc }
}

const member = (id: string, overrides: Partial<NewMember> = {}): NewMember => ({
  id,
  space: 'space-1',
  name: `Name of ${id}`,
  role: 'editor',
  keyHash: `hash-of-${id}`,
  createdAt: 1_700_000_000_000,
  ...overrides,
})

const updatesOf = (stored: Array<{ update: Uint8Array }>) => stored.map((s) => s.update)

describe.each(backends)('store contract: %s', (_name, { open, setUp, tearDown }) => {
  if (setUp !== undefined) beforeAll(setUp)
  if (tearDown !== undefined) afterAll(tearDown)

  it('D2: an append of several rooms is read back per room, in order', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    const a = textUpdates(5)
    const b = textUpdates(3)
    await store.append([
      ...a.updates.slice(0, 3).map((update) => ({ room: 'a', update })),
      ...b.updates.map((update) => ({ room: 'b', update })),
    ])
    await store.append(a.updates.slice(3).map((update) => ({ room: 'a', update })))
    expect(updatesOf(await store.load('a'))).toEqual(a.updates)
    expect(updatesOf(await store.load('b'))).toEqual(b.updates)
    expect(await store.load('never-written')).toEqual([])
  })

  it('D4: compaction replaces the log by one snapshot that holds the same document', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    const { updates, doc } = textUpdates(40)
    await store.append(updates.map((update) => ({ room: 'r', update })))
    await store.compact('r', Y.encodeStateAsUpdate(doc))
    const stored = await store.load('r')
    expect(stored).toHaveLength(1)
    const restored = new Y.Doc()
    Y.applyUpdate(restored, stored[0]!.update)
    expect(restored.getText('t').toString()).toBe(doc.getText('t').toString())
    await store.append([{ room: 'r', update: updates[0]! }])
    expect(await store.load('r')).toHaveLength(2)
  })

  it('D6: quarantined updates leave the room\'s log and nothing else does', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    const { updates } = textUpdates(4)
    await store.append(updates.map((update) => ({ room: 'r', update })))
    await store.append([{ room: 'other', update: updates[0]! }])
    const stored = await store.load('r')
    await store.quarantine('r', [stored[1]!.id, stored[2]!.id], 'does not apply')
    expect(updatesOf(await store.load('r'))).toEqual([updates[0], updates[3]])
    expect(updatesOf(await store.load('other'))).toEqual([updates[0]])
  })

  it('D8: a checkpoint with no reader in the way completes and keeps every update', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    const { updates } = textUpdates(6)
    await store.append(updates.map((update) => ({ room: 'r', update })))
    await expect(store.checkpoint()).resolves.toBe(true)
    expect(updatesOf(await store.load('r'))).toEqual(updates)
    await store.append([{ room: 'r', update: updates[0]! }])
    expect(await store.load('r')).toHaveLength(7)
  })

  it('R1: a room\'s stamp changes with every append, compaction and quarantine, and only the rooms under the prefix are listed', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    const { updates, doc } = textUpdates(4)
    expect(await store.stamps('space-1/')).toEqual(new Map())
    await store.append([
      { room: 'space-1/a', update: updates[0]! },
      { room: 'space-1/b', update: updates[0]! },
      { room: 'space-10/c', update: updates[0]! },
      { room: 'space-1', update: updates[0]! },
    ])
    const first = await store.stamps('space-1/')
    expect([...first.keys()].sort()).toEqual(['space-1/a', 'space-1/b'])
    const seen = [first.get('space-1/a')!]
    const stampOfA = async () => (await store.stamps('space-1/')).get('space-1/a')!
    await store.append([{ room: 'space-1/a', update: updates[1]! }])
    seen.push(await stampOfA())
    await store.compact('space-1/a', Y.encodeStateAsUpdate(doc))
    seen.push(await stampOfA())
    await store.append([{ room: 'space-1/a', update: updates[2]! }])
    seen.push(await stampOfA())
    const newest = (await store.load('space-1/a')).at(-1)!
    await store.quarantine('space-1/a', [newest.id], 'test')
    seen.push(await stampOfA())
    // Each change gave a stamp unlike the one before it; b, untouched, kept its stamp.
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1])
    expect((await store.stamps('space-1/')).get('space-1/b')).toBe(first.get('space-1/b'))
    expect(await store.stamps('space-2/')).toEqual(new Map())
  })

  it('O1: a working store reports itself writable', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    await expect(store.checkWritable()).resolves.toBeUndefined()
  })

  it('I1: members are stored with their key hash, found by id and by hash, listed per space oldest first, never with the hash', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    await store.addMember(member('m_a', { role: 'owner', createdAt: 1 }))
    await store.addMember(member('m_b', { name: 'Åsa Öberg', role: 'viewer', createdAt: 2 }))
    await store.addMember(member('m_c', { space: 'space-2', createdAt: 3 }))
    const b = { id: 'm_b', space: 'space-1', name: 'Åsa Öberg', role: 'viewer', createdAt: 2, revokedAt: null }
    expect(await store.member('m_b')).toEqual(b)
    expect(await store.memberByKeyHash('hash-of-m_b')).toEqual(b)
    expect(await store.member('m_unknown')).toBeNull()
    expect(await store.memberByKeyHash('hash-unknown')).toBeNull()
    expect((await store.members('space-1')).map((m) => m.id)).toEqual(['m_a', 'm_b'])
    expect(await store.members('space-3')).toEqual([])
    for (const m of await store.members('space-1')) expect(Object.keys(m)).not.toContain('keyHash')
    await expect(store.addMember(member('m_a'))).rejects.toThrow()
    await expect(store.addMember(member('m_d', { keyHash: 'hash-of-m_b' }))).rejects.toThrow()
  })

  it('I5: a revoked member stays listed with its time; the last owner of a space can be neither revoked nor demoted', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    await store.addMember(member('m_owner', { role: 'owner' }))
    await store.addMember(member('m_editor'))
    await store.addMember(member('m_other_owner', { space: 'space-2', role: 'owner' }))
    expect(await store.revokeMember('space-1', 'm_owner', 5)).toBe('last-owner')
    expect(await store.setMemberRole('space-1', 'm_owner', 'editor')).toBe('last-owner')
    expect(await store.setMemberRole('space-1', 'm_owner', 'owner')).toBe('done')
    expect(await store.revokeMember('space-2', 'm_editor', 5)).toBe('not-found')
    expect(await store.revokeMember('space-1', 'm_editor', 5)).toBe('done')
    expect(await store.revokeMember('space-1', 'm_editor', 6)).toBe('not-found')
    expect(await store.setMemberRole('space-1', 'm_editor', 'owner')).toBe('not-found')
    expect(await store.member('m_editor')).toMatchObject({ revokedAt: 5, role: 'editor' })
    await store.addMember(member('m_second', { role: 'viewer', keyHash: 'h2' }))
    expect(await store.setMemberRole('space-1', 'm_second', 'owner')).toBe('done')
    expect(await store.revokeMember('space-1', 'm_owner', 7)).toBe('done')
    expect(await store.revokeMember('space-1', 'm_second', 8)).toBe('last-owner')
    expect((await store.members('space-1')).map((m) => [m.id, m.role, m.revokedAt])).toEqual([
      ['m_owner', 'owner', 7],
      ['m_editor', 'editor', 5],
      ['m_second', 'owner', null],
    ])
  })

  it('I5: two owners revoking each other at once leave one owner', async () => {
    const store = await open()
    onTestFinished(() => store.close())
    // Many spaces at once, so that a backend with concurrent transactions interleaves some pairs.
    const spaces = Array.from({ length: 20 }, (_, i) => `space-${i}`)
    for (const space of spaces) {
      await store.addMember(member(`m_a_${space}`, { space, role: 'owner', keyHash: `a-${space}` }))
      await store.addMember(member(`m_b_${space}`, { space, role: 'owner', keyHash: `b-${space}` }))
    }
    const results = await Promise.all(
      spaces.map((space) => Promise.all([store.revokeMember(space, `m_a_${space}`, 1), store.revokeMember(space, `m_b_${space}`, 1)])),
    )
    for (const [i, space] of spaces.entries()) {
      expect(results[i]!.sort(), space).toEqual(['done', 'last-owner'])
      expect((await store.members(space)).filter((m) => m.revokedAt === null), space).toHaveLength(1)
    }
  })
})

describe('store: sqlite members', () => {
  it('I1: a store file from before members opens, keeps its rooms and gains the members table', async () => {
    const dir = tempDir()
    onTestFinished(dir.remove)
    const old = new Database(join(dir.path, SQLITE_FILE_NAME))
    old.exec('CREATE TABLE updates (id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, data BLOB NOT NULL)')
    old.prepare('INSERT INTO updates (room, data) VALUES (?, ?)').run('space-1/m', Buffer.from([0, 0]))
    old.close()
    const store = openSqliteStore(dir.path)
    onTestFinished(() => store.close())
    expect(updatesOf(await store.load('space-1/m'))).toEqual([new Uint8Array([0, 0])])
    await store.addMember(member('m_a', { role: 'owner' }))
    await store.close()
    const reopened = openSqliteStore(dir.path)
    onTestFinished(() => reopened.close())
    expect(await reopened.member('m_a')).toMatchObject({ name: 'Name of m_a', role: 'owner', revokedAt: null })
  })
})

describe('store: postgres', () => {
  let cluster: TestPostgres
  beforeAll(async () => {
    cluster = await startTestPostgres()
  })
  afterAll(() => cluster?.remove())

  it('C2: servers opening one new database at once create its schema once; reopened, it keeps rooms and members', async () => {
    const url = await cluster.createDatabase()
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)])
    await a.append([{ room: 'space-1/m', update: new Uint8Array([1]) }])
    await b.addMember(member('m_a', { role: 'owner' }))
    await Promise.all([a.close(), b.close()])
    const reopened = await openPostgresStore(url)
    onTestFinished(() => reopened.close())
    expect(updatesOf(await reopened.load('space-1/m'))).toEqual([new Uint8Array([1])])
    expect(await reopened.member('m_a')).toMatchObject({ role: 'owner', revokedAt: null })
  })

  it('C3: two servers appending to the same rooms at once: every update stored once, each server\'s in its order', async () => {
    const url = await cluster.createDatabase()
    const stores = await Promise.all([openPostgresStore(url), openPostgresStore(url)])
    onTestFinished(async () => {
      await Promise.all(stores.map((s) => s.close()))
    })
    const rounds = 40
    await Promise.all(
      stores.map(async (store, s) => {
        for (let i = 0; i < rounds; i++) {
          // Rooms in opposite orders: the row locks are taken in name order, so this cannot deadlock.
          const rooms = s === 0 ? ['a', 'b'] : ['b', 'a']
          await store.append(rooms.map((room) => ({ room, update: Uint8Array.of(s, i) })))
        }
      }),
    )
    for (const room of ['a', 'b']) {
      const stored = updatesOf(await stores[0]!.load(room))
      expect(stored).toHaveLength(2 * rounds)
      for (const s of [0, 1]) expect(stored.filter((u) => u[0] === s).map((u) => u[1])).toEqual([...Array(rounds).keys()])
    }
  })

  it('C5: a server does not compact a room another server wrote to since it loaded it; after loading it again it does', async () => {
    const url = await cluster.createDatabase()
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)])
    onTestFinished(async () => {
      await Promise.all([a.close(), b.close()])
    })
    const { updates, doc } = textUpdates(6)
    await a.append(updates.slice(0, 3).map((update) => ({ room: 'r', update })))
    await a.load('r')
    await b.append([{ room: 'r', update: updates[3]! }])
    await a.append(updates.slice(4).map((update) => ({ room: 'r', update })))
    // A's document lacks B's update: a snapshot of it would drop that update from the log.
    const withoutB = new Y.Doc()
    for (const update of [...updates.slice(0, 3), ...updates.slice(4)]) Y.applyUpdate(withoutB, update)
    await expect(a.compact('r', Y.encodeStateAsUpdate(withoutB))).rejects.toThrow(RoomWrittenElsewhereError)
    expect(updatesOf(await b.load('r'))).toEqual([...updates.slice(0, 3), updates[3], ...updates.slice(4)])
    // Loaded again, A has everything and may compact.
    expect(await a.load('r')).toHaveLength(6)
    await a.compact('r', Y.encodeStateAsUpdate(doc))
    expect(await a.load('r')).toHaveLength(1)
  })

  it('C1: an unreachable database refuses to open with a message that names it, without its password, and says what to do', async () => {
    const url = cluster.url('postgres').replace(`:${cluster.port}/`, ':1/').replace('minutes@', 'minutes:hunter2@')
    const opening = openPostgresStore(url, { connectTimeoutMs: 2_000 })
    await expect(opening).rejects.toThrow(StoreOpenError)
    await expect(opening).rejects.toThrow(/Cannot reach PostgreSQL at postgres:\/\/minutes:\*\*\*@127\.0\.0\.1:1\/postgres.*Check that PostgreSQL runs there/)
    await expect(opening).rejects.not.toThrow(/hunter2/)
  })

  it('C3, C8: an append answers the numbers it gave each room; loadSince and nextSeqs read the log from a number on', async () => {
    const url = await cluster.createDatabase()
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)])
    onTestFinished(async () => {
      await Promise.all([a.close(), b.close()])
    })
    const one = Uint8Array.of(1)
    const two = Uint8Array.of(2)
    expect(await a.append([{ room: 'r', update: one }, { room: 's', update: one }, { room: 'r', update: two }])).toEqual(
      new Map([
        ['r', { ok: true, firstSeq: 1, count: 2 }],
        ['s', { ok: true, firstSeq: 1, count: 1 }],
      ]),
    )
    expect(await b.append([{ room: 'r', update: Uint8Array.of(3) }])).toEqual(new Map([['r', { ok: true, firstSeq: 3, count: 1 }]]))
    expect(await a.loadSince('r', 2)).toEqual({ updates: [two, Uint8Array.of(3)], nextSeq: 4 })
    expect(await a.loadSince('r', 4)).toEqual({ updates: [], nextSeq: 4 })
    expect(await a.nextSeqs(['r', 's', 'never'])).toEqual(new Map([['r', 4], ['s', 2], ['never', 1]]))
    expect((await a.loadNumbered('r')).nextSeq).toBe(4)
  })

  it('C9: a lock is stored only with the number its server expected; a locked room takes nothing but its reopening', async () => {
    const url = await cluster.createDatabase()
    const [a, b] = await Promise.all([openPostgresStore(url), openPostgresStore(url)])
    onTestFinished(async () => {
      await Promise.all([a.close(), b.close()])
    })
    const u = (n: number) => Uint8Array.of(n)
    await a.append([{ room: 'r', update: u(1) }])
    // Another server wrote row 2 after A decided the lock expecting to be row 2: refused, nothing stored.
    await b.append([{ room: 'r', update: u(2) }])
    expect(await a.append([{ room: 'r', update: u(3), lock: { change: 'lock', expectedSeq: 2 } }, { room: 'other', update: u(9) }])).toEqual(
      new Map([
        ['r', { ok: false, refused: 'lock-stale' }],
        ['other', { ok: true, firstSeq: 1, count: 1 }],
      ]),
    )
    // The updates before the lock in the same commit count: the lock is row 4, after row 3.
    expect((await a.append([{ room: 'r', update: u(3) }, { room: 'r', update: u(4), lock: { change: 'lock', expectedSeq: 4 } }])).get('r')).toEqual({ ok: true, firstSeq: 3, count: 2 })
    expect((await b.append([{ room: 'r', update: u(5) }])).get('r')).toEqual({ ok: false, refused: 'locked' })
    expect((await b.append([{ room: 'r', update: u(6), lock: { change: 'unlock' } }, { room: 'r', update: u(7) }])).get('r')).toEqual({ ok: true, firstSeq: 5, count: 2 })
    expect((await a.load('r')).map((s) => s.update[0])).toEqual([1, 2, 3, 4, 6, 7])
  })

  it('C11: one server compacts a room at a time; another finds it busy and leaves it', async () => {
    const url = await cluster.createDatabase()
    const store = await openPostgresStore(url)
    onTestFinished(() => store.close())
    const { updates, doc } = textUpdates(4)
    await store.append(updates.map((update) => ({ room: 'r', update })))
    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    onTestFinished(() => holder.end())
    await holder.query('BEGIN')
    await holder.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [0x6d696e76, 'r'])
    await expect(store.compact('r', Y.encodeStateAsUpdate(doc), 5)).rejects.toThrow(CompactionBusyError)
    await holder.query('ROLLBACK')
    await expect(store.compact('r', Y.encodeStateAsUpdate(doc), 4)).rejects.toThrow(RoomWrittenElsewhereError)
    await store.compact('r', Y.encodeStateAsUpdate(doc), 5)
    expect(await store.loadSince('r', 1)).toMatchObject({ nextSeq: 6 })
    expect(await store.load('r')).toHaveLength(1)
  })
})

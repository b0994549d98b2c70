import Database from 'better-sqlite3'
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { CloseCode } from '../../src/protocol'
import { SQLITE_FILE_NAME } from '../../sync-server/persistence/sqlite-store'
import { createMemoryStore } from '../../sync-server/persistence/memory-store'
import { StoreReadError, type Store } from '../../sync-server/persistence/store'
import { defaultConfig } from '../../sync-server/config'
import { createLogger } from '../../sync-server/logger'
import { createSyncServer } from '../../sync-server/server'
import { TEST_SECRET, ackedClient, closeCodeOf, connectClient, makeToken, startServerProcess, startTestServer, storedRows, tempDir, whenDoc, whenSynced } from '../helpers/server'
import { startPair } from './fuzz-wire'
import { createRandom, seedFromEnv } from '../helpers/random'

const ROOM = 'space-1/meeting'

describe('durability', () => {
  it('D7: after kill -9 at random moments, every update another client received or that was acknowledged is there', async () => {
    const seed = seedFromEnv('KILL_SEED')
    const random = createRandom(seed)
    const runs = Number(process.env.KILL_RUNS ?? 16)
    const data = tempDir()
    onTestFinished(data.remove)
    const token = await makeToken({ room: 'space-1/*' })
    let lost = 0
    let checked = 0
    for (let run = 0; run < runs; run++) {
      const server = await startServerProcess(['--data', data.path, '--log-level', 'warn'])
      onTestFinished(() => server.kill9())
      const room = `space-1/kill-${run % 3}`
      const { provider: writer, acked } = ackedClient(server.url, room, token)
      const observer = connectClient(server.url, room, token)
      await Promise.all([whenSynced(writer), whenSynced(observer)])
      const base = writer.doc.getArray<string>('items').length
      const killAfter = random.int(1, 120)
      // The writer types one item every 2 ms; the server is killed after the observer saw `killAfter`.
      let written = 0
      const typing = setInterval(() => writer.doc.getArray<string>('items').push([`run${run}-${written++}`]), 2)
      await whenDoc(observer.doc, (d) => d.getArray('items').length >= base + killAfter, 20_000)
      await server.kill9()
      clearInterval(typing)
      const received = observer.doc.getArray<string>('items').toArray()
      const writerItems = writer.doc.getArray<string>('items').toArray().filter((item) => item.startsWith(`run${run}-`))
      const ackedItems = writerItems.slice(0, acked.clock)
      writer.destroy()
      observer.destroy()

      const restarted = await startServerProcess(['--data', data.path, '--log-level', 'warn'])
      onTestFinished(() => restarted.kill9())
      const fresh = connectClient(restarted.url, room, token)
      await whenSynced(fresh)
      const recovered = new Set(fresh.doc.getArray<string>('items').toArray())
      for (const item of [...received, ...ackedItems]) {
        checked++
        if (!recovered.has(item)) lost++
      }
      expect({ run, seed, lost }).toEqual({ run, seed, lost: 0 })
      fresh.destroy()
      await restarted.terminate()
    }
    console.log(`kill -9 runs: ${runs}, updates checked: ${checked}, lost: ${lost}`)
    expect(checked).toBeGreaterThan(runs)
  })

  it('D8: once the commit queue is idle the write-ahead log is checkpointed, so deleting it after kill -9 loses nothing acknowledged', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const file = join(data.path, SQLITE_FILE_NAME)
    const server = await startServerProcess(['--data', data.path, '--log-level', 'warn'])
    onTestFinished(() => server.kill9())
    const token = await makeToken({ room: ROOM })
    const { provider: writer, whenAllAcked } = ackedClient(server.url, ROOM, token)
    onTestFinished(() => writer.destroy())
    await whenSynced(writer)
    writer.doc.getText('t').insert(0, 'Beslut: budgeten antas')
    await whenAllAcked()
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
    // Idle: the log is moved into the main file and emptied.
    await vi.waitFor(() => expect(statSync(`${file}-wal`).size).toBe(0), { timeout: 10_000, interval: 50 })
    await server.kill9()
    writer.destroy()
    // The operator's mistake: both side files removed after the crash.
    rmSync(`${file}-wal`)
    rmSync(`${file}-shm`)

    const restarted = await startServerProcess(['--data', data.path, '--log-level', 'warn'])
    onTestFinished(() => restarted.kill9())
    const reader = connectClient(restarted.url, ROOM, token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    expect(reader.doc.getText('t').toString()).toBe('Beslut: budgeten antas')
  })

  it('D9: after kill -9, a store whose -shm exists without its -wal stops the server with a message saying what to do; with the log back it serves everything', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const file = join(data.path, SQLITE_FILE_NAME)
    const server = await startServerProcess(['--data', data.path, '--log-level', 'warn'])
    onTestFinished(() => server.kill9())
    const token = await makeToken({ room: ROOM })
    const { provider: writer, whenAllAcked } = ackedClient(server.url, ROOM, token)
    onTestFinished(() => writer.destroy())
    await whenSynced(writer)
    writer.doc.getText('t').insert(0, 'Kvitterat men bara i loggen')
    await whenAllAcked()
    // Killed right after the ack, before the queue was idle long enough to checkpoint.
    await server.kill9()
    writer.destroy()
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
    renameSync(`${file}-wal`, join(data.path, 'moved-aside'))

    await expect(startServerProcess(['--data', data.path])).rejects.toThrow(/minutes\.sqlite-wal is missing while .*minutes\.sqlite-shm exists.*Put .*minutes\.sqlite-wal back/s)
    expect(existsSync(`${file}-wal`)).toBe(false)

    renameSync(join(data.path, 'moved-aside'), `${file}-wal`)
    const restarted = await startServerProcess(['--data', data.path, '--log-level', 'warn'])
    onTestFinished(() => restarted.kill9())
    const reader = connectClient(restarted.url, ROOM, token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    expect(reader.doc.getText('t').toString()).toBe('Kvitterat men bara i loggen')
  })

  it('D4: past the threshold the log is compacted into a snapshot and the document is unchanged', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const server = await startTestServer({ dataDir: data.path, compactThreshold: 50 })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: ROOM })
    const { provider: writer, whenAllAcked } = ackedClient(server.url, ROOM, token)
    onTestFinished(() => writer.destroy())
    await whenSynced(writer)
    const text = writer.doc.getText('t')
    for (let i = 0; i < 240; i++) {
      text.insert(text.length, `Punkt ${i}. `)
      if (i % 7 === 0) text.delete(0, 3)
      // Each keystroke its own commit, as with a person typing.
      await whenAllAcked()
    }
    const expected = text.toString()
    const reader = connectClient(server.url, ROOM, token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    await whenDoc(reader.doc, (d) => d.getText('t').toString() === expected)
    await vi.waitFor(async () => expect((await server.metrics.compactions.get()).values[0]?.value).toBeGreaterThanOrEqual(4))
    const rows = storedRows(data.path, ROOM)
    expect(rows.length).toBeLessThan(50)
    const restored = new Y.Doc()
    for (const row of rows) Y.applyUpdate(restored, row)
    expect(restored.getText('t').toString()).toBe(expected)
  })

  it('D5: opening and closing 2,000 rooms returns the loaded-rooms count to 0 and memory to near its start', async () => {
    setFlagsFromString('--expose_gc')
    const gc = runInNewContext('gc') as () => void
    const server = await startTestServer({ roomGraceMs: 10 })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: 'space-1/*' })
    const cycle = async (from: number, count: number, batch: number) => {
      for (let i = from; i < from + count; i += batch) {
        await Promise.all(
          Array.from({ length: batch }, async (_, j) => {
            const c = connectClient(server.url, `space-1/room-${i + j}`, token)
            await whenSynced(c)
            c.doc.getText('t').insert(0, `Möte ${i + j}`)
            c.destroy()
          }),
        )
      }
    }
    await cycle(0, 200, 50) // warm up code paths so the baseline is fair
    await vi.waitFor(() => expect(server.rooms.loadedCount).toBe(0))
    gc()
    const before = process.memoryUsage().heapUsed
    await cycle(200, 2_000, 50)
    await vi.waitFor(() => expect(server.rooms.loadedCount).toBe(0), { timeout: 10_000 })
    gc()
    const grown = process.memoryUsage().heapUsed - before
    console.log(`heap growth after 2,000 rooms: ${(grown / 1024 / 1024).toFixed(1)} MiB`)
    expect(grown).toBeLessThan(16 * 1024 * 1024)
  })

  it('D6: a damaged store file stops the server at start with a message naming the file', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const file = join(data.path, SQLITE_FILE_NAME)
    writeFileSync(file, Buffer.from('This is not a database, it is the minutes of 2026-11-25 '.repeat(200)))
    await expect(startServerProcess(['--data', data.path])).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(damaged|not a Minutes database)`))
  })

  it('D6: a stored update that does not apply is quarantined, the rest of the room is served, and nothing is deleted', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const first = await startTestServer({ dataDir: data.path })
    const token = await makeToken({ room: 'space-1/*' })
    const writer = connectClient(first.url, ROOM, token)
    await whenSynced(writer)
    writer.doc.getText('t').insert(0, 'Det som redan sparats')
    await vi.waitFor(() => expect(storedRows(data.path, ROOM).length).toBe(1))
    writer.destroy()
    await first.close()
    const garbage = Buffer.from([1, 1, 200, 7, 0, 255, 255, 255])
    const db = new Database(join(data.path, SQLITE_FILE_NAME))
    db.prepare('INSERT INTO updates (room, data) VALUES (?, ?)').run(ROOM, garbage)
    db.close()

    const server = await startTestServer({ dataDir: data.path })
    onTestFinished(() => server.close())
    const reader = connectClient(server.url, ROOM, token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    expect(reader.doc.getText('t').toString()).toBe('Det som redan sparats')
    expect(storedRows(data.path, ROOM)).toHaveLength(1)
    const check = new Database(join(data.path, SQLITE_FILE_NAME), { readonly: true })
    onTestFinished(() => void check.close())
    const quarantined = check.prepare<[], { room: string; data: Buffer }>('SELECT room, data FROM quarantine').all()
    expect(quarantined).toEqual([{ room: ROOM, data: garbage }])
  })

  it('D2: on a slow disk each commit waits as long as the previous write took, gathers what arrived meanwhile, and loses nothing', async () => {
    const WRITE_MS = 15
    const store = createMemoryStore()
    const starts: number[] = []
    const sizes: number[] = []
    const slow: Store = {
      ...store,
      append: async (entries) => {
        starts.push(performance.now())
        sizes.push(entries.length)
        // A synchronous fsync blocks the loop, as better-sqlite3's does.
        const until = performance.now() + WRITE_MS
        while (performance.now() < until) {
          // the disk is busy
        }
        return store.append(entries)
      },
    }
    const server = createSyncServer({ ...defaultConfig(TEST_SECRET), port: 0, store: 'memory', commitIntervalMs: 0 }, slow, createLogger('silent'))
    const { url } = await server.listen()
    onTestFinished(() => server.close())
    const token = await makeToken({ room: ROOM })
    const { a: writer, b: reader } = await startPair(url, ROOM, token)
    const text = writer.doc.getText('t')
    for (let i = 0; i < 80; i++) {
      text.insert(text.length, `${i} `)
      // A fast typist: a keystroke every 2 ms, several per write.
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    await whenDoc(reader.doc, (d) => d.getText('t').toString() === text.toString())
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!)
    // Each write, then as long again; Node's timers count whole milliseconds (2 ms of slack).
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2 * WRITE_MS - 2)
    expect(Math.max(...sizes)).toBeGreaterThan(1)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(80)
  })

  it('D6: a store that cannot be read refuses the room with 4502 instead of serving it empty', async () => {
    const store = createMemoryStore()
    const unreadable: Store = {
      ...store,
      load: async () => {
        throw new StoreReadError('disk I/O error')
      },
    }
    const server = createSyncServer({ ...defaultConfig(TEST_SECRET), port: 0, store: 'memory' }, unreadable, createLogger('silent'))
    const { url } = await server.listen()
    onTestFinished(() => server.close())
    const ws = new WebSocket(`${url}/${ROOM}?token=${await makeToken({ room: ROOM })}`)
    let received = 0
    ws.on('message', () => received++)
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)))
    expect(code).toBe(CloseCode.roomUnavailable)
    expect(received).toBe(0)
  })

  it('D6: on a full disk the write fails loudly, nothing unsaved is acknowledged, and what was stored stays', async () => {
    const data = tempDir()
    onTestFinished(data.remove)
    const server = await startTestServer({ dataDir: data.path, sqlite: { maxPageCount: 24 } })
    onTestFinished(() => server.close())
    const token = await makeToken({ room: ROOM })
    const { provider: writer, acked } = ackedClient(server.url, ROOM, token)
    onTestFinished(() => writer.destroy())
    await whenSynced(writer)
    writer.doc.getText('t').insert(0, 'Sparat före')
    const savedClock = Y.decodeStateVector(Y.encodeStateVector(writer.doc)).get(writer.doc.clientID)!
    await vi.waitFor(() => expect(acked.clock).toBe(savedClock))

    const closed = closeCodeOf(writer)
    writer.doc.getText('t').insert(0, 'x'.repeat(400 * 1024))
    expect(await closed).toBe(CloseCode.storageFailure)
    writer.disconnect()
    expect(acked.clock).toBe(savedClock)
    expect((await server.metrics.persistFailures.get()).values[0]?.value).toBeGreaterThan(0)

    const reader = connectClient(server.url, ROOM, token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    expect(reader.doc.getText('t').toString()).toBe('Sparat före')
  })
})

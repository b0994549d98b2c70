import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { DocPersistence, readLog, type JournalStorage } from '../../src/storage'
import { UpdateJournal } from '../../src/storage/journal'
import { countWriteTransactions, interceptTransactions, openTestDatabase } from './storage-helpers'

/** localStorage as a Map (the same interface). */
const memoryStorage = (): JournalStorage & { keys(): string[] } => {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    key: (i) => [...items.keys()][i] ?? null,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
    keys: () => [...items.keys()],
  }
}

describe('the synchronous journal ahead of IndexedDB', () => {
  it('an edit whose IndexedDB write never happened (the page closed) is back on the next open, and then written', async () => {
    const db = await openTestDatabase()
    const journal = memoryStorage()
    // The page that typed: its transactions never get to run.
    const stalled = interceptTransactions(db, () => {
      throw new DOMException('the page is gone', 'InvalidStateError')
    })
    const typing = new Y.Doc()
    const first = new DocPersistence({ db: stalled, docId: 'space/m', doc: typing, journal, retryDelayMs: 60_000 })
    await first.whenLoaded
    typing.getText('t').insert(0, 'Beslut: mötet avslutas')
    expect(journal.keys()).toHaveLength(1)
    void first.destroy()

    const reopened = new Y.Doc()
    const second = new DocPersistence({ db, docId: 'space/m', doc: reopened, journal })
    await second.whenLoaded
    expect(reopened.getText('t').toString()).toBe('Beslut: mötet avslutas')
    await second.flushNow()
    expect(journal.keys()).toEqual([])
    const stored = new Y.Doc()
    for (const update of (await readLog(db, 'space/m')).updates) Y.applyUpdate(stored, update)
    expect(stored.getText('t').toString()).toBe('Beslut: mötet avslutas')
    await second.destroy()
  })

  it('the journal is emptied once IndexedDB holds the edits, and other documents\' entries are left alone', async () => {
    const db = await openTestDatabase()
    const journal = memoryStorage()
    new UpdateJournal(journal, 'space/other').append(new Uint8Array([0, 0]))
    const doc = new Y.Doc()
    const persistence = new DocPersistence({ db, docId: 'space/m', doc, journal })
    await persistence.whenLoaded
    for (let i = 0; i < 20; i++) doc.getText('t').insert(i, 'x')
    await persistence.flushNow()
    expect(journal.keys().filter((k) => k.includes('space/m:'))).toEqual([])
    expect(journal.keys().filter((k) => k.includes('space/other:'))).toHaveLength(1)
    await persistence.destroy()
  })

  it('a full journal (quota) does not stop IndexedDB from saving', async () => {
    const db = await openTestDatabase()
    const full: JournalStorage = { length: 0, key: () => null, getItem: () => null, setItem: () => { throw new DOMException('full', 'QuotaExceededError') }, removeItem: () => {} }
    const doc = new Y.Doc()
    const persistence = new DocPersistence({ db, docId: 'space/m', doc, journal: full })
    await persistence.whenLoaded
    doc.getText('t').insert(0, 'ändå sparat')
    await persistence.flushNow()
    const stored = new Y.Doc()
    for (const update of (await readLog(db, 'space/m')).updates) Y.applyUpdate(stored, update)
    expect(stored.getText('t').toString()).toBe('ändå sparat')
    await persistence.destroy()
  })
  it('what the server sent is not journaled and is written in a few transactions, while a keystroke made meanwhile is journaled at once', async () => {
    const writes = countWriteTransactions(await openTestDatabase())
    const storage = memoryStorage()
    const journaled: string[] = []
    const journal = { ...storage, get length() { return storage.length }, setItem: (k: string, v: string) => { journaled.push(k); storage.setItem(k, v) } }
    const server = { origin: 'the provider' }
    const doc = new Y.Doc()
    const persistence = new DocPersistence({ db: writes.db, docId: 'space/m', doc, journal, storedElsewhere: (origin) => origin === server })
    await persistence.whenLoaded
    // Another attendee types 200 characters, each arriving in its own task.
    const peer = new Y.Doc()
    peer.on('update', (update: Uint8Array) => Y.applyUpdate(doc, update, server))
    for (let i = 0; i < 200; i++) {
      peer.getText('peer').insert(i, 'p')
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    expect(journaled).toEqual([])
    doc.getText('t').insert(0, 'mitt')
    expect(journal.keys()).toHaveLength(1)
    expect(journaled).toHaveLength(1)
    await persistence.flushNow()
    expect(writes.count).toBeLessThanOrEqual(5)
    expect(journal.keys()).toEqual([])
    const stored = new Y.Doc()
    for (const update of (await readLog(writes.db, 'space/m')).updates) Y.applyUpdate(stored, update)
    expect(stored.getText('peer').toString()).toBe('p'.repeat(200))
    expect(stored.getText('t').toString()).toBe('mitt')
    await persistence.destroy()
  })

  it('what the server sent reaches IndexedDB by itself, without a local edit or the page closing', async () => {
    const db = await openTestDatabase()
    const server = { origin: 'the provider' }
    const doc = new Y.Doc()
    const persistence = new DocPersistence({ db, docId: 'space/m', doc, storedElsewhere: (origin) => origin === server, durableBatchMs: 5 })
    await persistence.whenLoaded
    const written = new Promise<void>((resolve) => persistence.on('pending', (count) => count === 0 && resolve()))
    const peer = new Y.Doc()
    peer.getText('peer').insert(0, 'från servern')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), server)
    await written
    const stored = new Y.Doc()
    for (const update of (await readLog(db, 'space/m')).updates) Y.applyUpdate(stored, update)
    expect(stored.getText('peer').toString()).toBe('från servern')
    await persistence.destroy()
  })
})

import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { DocPersistence, readLog, type JournalStorage } from '../../src/storage'
import { UpdateJournal } from '../../src/storage/journal'
import { interceptTransactions, openTestDatabase } from './storage-helpers'

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
})

import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { Origin } from '../../src/doc/origins'
import { countLog, DocPersistence, type DocPersistenceOptions, type StorageError } from '../../src/storage'
import { countWriteTransactions, fakePage, interceptTransactions, openTestDatabase } from './storage-helpers'

const bind = (options: Omit<DocPersistenceOptions, 'doc'> & { doc?: Y.Doc }): DocPersistence => {
  const doc = options.doc ?? new Y.Doc()
  const persistence = new DocPersistence({ ...options, doc })
  return persistence
}

const type = (doc: Y.Doc, text: string, at = doc.getText('t').length): void => {
  doc.transact(() => doc.getText('t').insert(at, text), Origin.localForm)
}

/** Opens the same document again from the database, as a reopened panel would. */
const reopen = async (options: Omit<DocPersistenceOptions, 'doc'>): Promise<Y.Doc> => {
  const doc = new Y.Doc()
  const persistence = new DocPersistence({ ...options, doc })
  await persistence.whenLoaded
  await persistence.destroy()
  return doc
}

describe('DocPersistence: the local copy of a meeting', () => {
  it('writes 1,000 quick keystrokes in a handful of transactions, and a reopened panel shows them all', async () => {
    const writes = countWriteTransactions(await openTestDatabase())
    const db = writes.db
    const persistence = bind({ db, docId: 's/m1' })
    await persistence.whenLoaded
    // Ten bursts of 100 keystrokes, each burst in its own task, as fast typing arrives.
    for (let burst = 0; burst < 10; burst++) {
      for (let i = 0; i < 100; i++) type(persistence.doc, 'x')
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    await persistence.flushNow()
    expect(persistence.pendingCount).toBe(0)
    expect(writes.count).toBeGreaterThan(0)
    expect(writes.count).toBeLessThanOrEqual(20)
    await persistence.destroy()
    const again = await reopen({ db, docId: 's/m1' })
    expect(again.getText('t').toString()).toBe('x'.repeat(1000))
  })

  it('starts writing a keystroke in the microtask after it, before any timer could fire', async () => {
    const writes = countWriteTransactions(await openTestDatabase())
    const db = writes.db
    const persistence = bind({ db, docId: 's/m1' })
    await persistence.whenLoaded
    type(persistence.doc, 'a')
    expect(persistence.pendingCount).toBe(1)
    await Promise.resolve()
    expect(writes.count).toBe(1)
    await persistence.destroy()
    expect((await reopen({ db, docId: 's/m1' })).getText('t').toString()).toBe('a')
  })

  it('writes at once when the page is hidden, even with a long gathering delay', async () => {
    const writes = countWriteTransactions(await openTestDatabase())
    const db = writes.db
    const page = fakePage()
    const persistence = bind({ db, docId: 's/m1', flushDelayMs: 60_000, page })
    await persistence.whenLoaded
    type(persistence.doc, 'bye')
    page.window.dispatchEvent(new Event('pagehide'))
    // The transaction is started synchronously by the event: it completes even if the page dies now.
    expect(writes.count).toBe(1)
    await persistence.flushNow()
    expect(persistence.pendingCount).toBe(0)
    page.document.visibilityState = 'hidden'
    type(persistence.doc, '!')
    page.document.dispatchEvent(new Event('visibilitychange'))
    expect(writes.count).toBe(2)
    await persistence.destroy()
    expect((await reopen({ db, docId: 's/m1' })).getText('t').toString()).toBe('bye!')
  })

  it('keeps an edit made right before destroy (the panel closing)', async () => {
    const db = await openTestDatabase()
    const persistence = bind({ db, docId: 's/m1', flushDelayMs: 60_000 })
    await persistence.whenLoaded
    type(persistence.doc, 'last words')
    await persistence.destroy()
    expect((await reopen({ db, docId: 's/m1' })).getText('t').toString()).toBe('last words')
  })

  it('does not grow the store when a meeting is merely opened', async () => {
    const db = await openTestDatabase()
    const first = bind({ db, docId: 's/m1' })
    await first.whenLoaded
    type(first.doc, 'hello')
    await first.destroy()
    const before = await countLog(db, 's/m1')
    for (let i = 0; i < 10; i++) {
      const doc = await reopen({ db, docId: 's/m1' })
      expect(doc.getText('t').toString()).toBe('hello')
    }
    expect(await countLog(db, 's/m1')).toBe(before)
  })

  it('does not write back what it loaded, but does write remote updates', async () => {
    const db = await openTestDatabase()
    const persistence = bind({ db, docId: 's/m1' })
    await persistence.whenLoaded
    const remote = new Y.Doc()
    remote.getText('t').insert(0, 'from a peer')
    Y.applyUpdate(persistence.doc, Y.encodeStateAsUpdate(remote), 'provider')
    await persistence.destroy()
    expect((await reopen({ db, docId: 's/m1' })).getText('t').toString()).toBe('from a peer')
  })

  it('compacts the log past the threshold: the document stays identical and the log shrinks', async () => {
    const db = await openTestDatabase()
    const persistence = bind({ db, docId: 's/m1', compactAfter: 50 })
    await persistence.whenLoaded
    const text = persistence.doc.getText('t')
    for (let i = 0; i < 400; i++) {
      type(persistence.doc, String(i % 10), i % 7 === 0 ? 0 : text.length)
      if (i % 3 === 0) persistence.doc.transact(() => text.delete(0, 1), Origin.localForm)
      await persistence.flushNow()
    }
    await persistence.compact()
    const expected = text.toString()
    expect(await countLog(db, 's/m1')).toBeLessThanOrEqual(51)
    await persistence.destroy()
    const again = await reopen({ db, docId: 's/m1' })
    expect(again.getText('t').toString()).toBe(expected)
    expect(Y.encodeStateVector(again)).toEqual(Y.encodeStateVector(persistence.doc))
  })

  it('reports a quota error, keeps the edits queued, retries, and loses nothing', async () => {
    let refusals = 2
    const db = interceptTransactions(await openTestDatabase(), (original, ...args) => {
      if (args[1] === 'readwrite' && refusals > 0) {
        refusals--
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
      }
      return original(...args)
    })
    const persistence = bind({ db, docId: 's/m1', retryDelayMs: 5 })
    await persistence.whenLoaded
    const errors: (StorageError | null)[] = []
    const cleared = new Promise<void>((resolve) =>
      persistence.on('error', (error) => {
        errors.push(error)
        if (error === null) resolve()
      }),
    )
    type(persistence.doc, 'important')
    await cleared
    expect(errors[0]).toMatchObject({ code: 'quota', docId: 's/m1' })
    expect(errors.at(-1)).toBeNull()
    expect(persistence.pendingCount).toBe(0)
    await persistence.destroy()
    expect((await reopen({ db, docId: 's/m1' })).getText('t').toString()).toBe('important')
  })

  it('reports a write that fails inside the transaction (abort), and retries it', async () => {
    let aborts = 1
    const db = interceptTransactions(await openTestDatabase(), (original, ...args) => {
      const tx = original(...args)
      if (args[1] === 'readwrite' && aborts > 0) {
        aborts--
        queueMicrotask(() => tx.abort())
      }
      return tx
    })
    const persistence = bind({ db, docId: 's/m1', retryDelayMs: 5 })
    await persistence.whenLoaded
    const seen: (StorageError | null)[] = []
    const cleared = new Promise<void>((resolve) =>
      persistence.on('error', (error) => {
        seen.push(error)
        if (error === null) resolve()
      }),
    )
    type(persistence.doc, 'kept')
    await cleared
    expect(seen[0]?.code).toBe('unavailable')
    await persistence.destroy()
    expect((await reopen({ db, docId: 's/m1' })).getText('t').toString()).toBe('kept')
  })

  it('does not apply a record whose bytes changed after it was written, even when they still decode', async () => {
    const db = await openTestDatabase()
    const first = bind({ db, docId: 's/m1' })
    await first.whenLoaded
    type(first.doc, 'one ')
    await first.flushNow()
    type(first.doc, 'two')
    await first.destroy()
    // Flip "two" to "Two" inside the stored bytes: still a valid Yjs update, no longer what was written.
    const keys = await db.getAllKeysFromIndex('updates', 'by-doc', 's/m1')
    const last = (await db.get('updates', keys.at(-1)!))!
    const at = last.update.findIndex((byte, i) => byte === 0x74 && last.update[i + 1] === 0x77 && last.update[i + 2] === 0x6f)
    expect(at).toBeGreaterThanOrEqual(0)
    const damaged = Uint8Array.from(last.update)
    damaged[at] = 0x54
    expect(() => Y.decodeUpdate(damaged)).not.toThrow()
    await db.put('updates', { ...last, update: damaged }, keys.at(-1))

    const doc = new Y.Doc()
    const second = new DocPersistence({ db, docId: 's/m1', doc })
    const reported = new Promise<StorageError | null>((resolve) => second.on('error', resolve))
    await second.whenLoaded
    expect(await reported).toMatchObject({ code: 'corrupt', docId: 's/m1' })
    expect(doc.getText('t').toString()).toBe('one ')
    await second.destroy()
  })

  it('reports a corrupt record without losing the others, and compaction keeps it', async () => {
    const db = await openTestDatabase()
    const first = bind({ db, docId: 's/m1' })
    await first.whenLoaded
    type(first.doc, 'one ')
    await first.flushNow()
    await db.add('updates', { docId: 's/m1', update: new Uint8Array([0xff, 0xff, 0xff, 0x07, 1, 2, 3]) })
    type(first.doc, 'two')
    await first.destroy()

    const doc = new Y.Doc()
    const second = new DocPersistence({ db, docId: 's/m1', doc })
    const reported = new Promise<StorageError | null>((resolve) => second.on('error', resolve))
    await second.whenLoaded
    expect(await reported).toMatchObject({ code: 'corrupt', docId: 's/m1' })
    expect(doc.getText('t').toString()).toBe('one two')
    await second.compact()
    expect(await countLog(db, 's/m1')).toBe(2)
    await second.destroy()
    expect((await reopen({ db, docId: 's/m1' })).getText('t').toString()).toBe('one two')
  })
})

import 'fake-indexeddb/auto'
import { deleteDB } from 'idb'
import { onTestFinished } from 'vitest'
import { openMinutesDatabase, type MinutesDatabase } from '../../src/storage'

let counter = 0

/** A fresh database for one test, closed and deleted when the test ends. */
export const openTestDatabase = async (): Promise<MinutesDatabase> => {
  const name = `minutes-test-${process.pid}-${++counter}`
  const db = await openMinutesDatabase(name)
  onTestFinished(async () => {
    db.close()
    await deleteDB(name)
  })
  return db
}

type Transaction = MinutesDatabase['transaction']

/**
 * A view of `db` whose `transaction` goes through `intercept`. A proxy rather than assigning
 * `db.transaction`, which idb would wrap a second time (and a second, unobserved `done`
 * promise would then reject unhandled when the transaction aborts).
 */
export const interceptTransactions = (
  db: MinutesDatabase,
  intercept: (original: Transaction, ...args: Parameters<Transaction>) => ReturnType<Transaction>,
): MinutesDatabase => {
  const original = db.transaction.bind(db) as Transaction
  const patched = ((...args: Parameters<Transaction>) => intercept(original, ...args)) as Transaction
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction') return patched
      const value: unknown = Reflect.get(target, prop)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** A view of `db` that counts the read-write transactions touching the update log. */
export const countWriteTransactions = (db: MinutesDatabase): { db: MinutesDatabase; readonly count: number } => {
  const counter = { db, count: 0 }
  counter.db = interceptTransactions(db, (original, stores, mode, options) => {
    const names: readonly string[] = typeof stores === 'string' ? [stores] : Array.from(stores as ArrayLike<string>)
    if (mode === 'readwrite' && names.includes('updates')) counter.count++
    return original(stores, mode, options)
  })
  return counter
}

/** A stand-in for `{ window, document }` whose events the test fires. */
export const fakePage = (): { window: EventTarget; document: EventTarget & { visibilityState: string } } => {
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' })
  return { window: new EventTarget(), document }
}

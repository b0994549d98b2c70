import type { ReadableStore } from '../../src/session'

/** Resolves with the store's value once `predicate` holds; rejects after `timeoutMs` naming the last value. */
export const whenStore = <T>(store: ReadableStore<T>, predicate: (value: T) => boolean, timeoutMs = 10_000): Promise<T> =>
  predicate(store.get())
    ? Promise.resolve(store.get())
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          stop()
          reject(new Error(`store condition not met within ${timeoutMs} ms; last: ${JSON.stringify(store.get())}`))
        }, timeoutMs)
        const stop = store.subscribe(() => {
          if (!predicate(store.get())) return
          clearTimeout(timer)
          stop()
          resolve(store.get())
        })
      })

export const noEditor = () => {
  throw new Error('no editor in this test')
}

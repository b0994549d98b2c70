/**
 * The one shape through which the panel's components read changing values (sync status,
 * presence, the meeting list): a current value plus change notification. Services keep their
 * own classes; the sessions adapt them to this, and the UI renders it (`useStore`).
 */
export interface ReadableStore<T> {
  get(): T
  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void
}

/** A store whose value is set from outside: adapters and tests push values into it. */
export interface WritableStore<T> extends ReadableStore<T> {
  set(value: T): void
}

export const createStore = <T>(initial: T): WritableStore<T> => {
  let value = initial
  const listeners = new Set<() => void>()
  return {
    get: () => value,
    set: (next) => {
      if (Object.is(next, value)) return
      value = next
      for (const listener of [...listeners]) listener()
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

import { useEffect, useReducer } from 'preact/hooks'
import type { ReadableStore } from '../session/store'

export { createStore, type ReadableStore, type WritableStore } from '../session/store'

/** Re-renders the component whenever `store` changes. */
export const useStore = <T>(store: ReadableStore<T>): T => {
  const [, bump] = useReducer((n: number, _change: void) => n + 1, 0)
  useEffect(() => {
    const stop = store.subscribe(() => bump())
    // A change between the first render and this effect would otherwise go unseen.
    bump()
    return stop
  }, [store])
  return store.get()
}

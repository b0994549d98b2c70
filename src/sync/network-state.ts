/** Whether the browser believes it has a network, and when that changes. */
export interface NetworkState {
  readonly online: boolean
  /** Calls `onChange` on every change; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void
}

/** `navigator.onLine` with the window's `online` / `offline` events. Pass the panel's `window`. */
export const browserNetworkState = (win: Pick<Window, 'navigator' | 'addEventListener' | 'removeEventListener'>): NetworkState => ({
  get online() {
    return win.navigator.onLine
  },
  subscribe(onChange) {
    win.addEventListener('online', onChange)
    win.addEventListener('offline', onChange)
    return () => {
      win.removeEventListener('online', onChange)
      win.removeEventListener('offline', onChange)
    }
  },
})

/** For Node and tests: always online. */
export const alwaysOnline: NetworkState = { online: true, subscribe: () => () => {} }

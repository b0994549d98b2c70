import { createStore, type ReadableStore } from './store'

interface TabLike {
  url?: string
}
interface BrowserEvent<L> {
  addListener(listener: L): void
  removeListener(listener: L): void
}

/** The part of `browser.tabs` / `browser.windows` the watcher uses (so tests can fake it). */
export interface TabsApi {
  query(query: { active: true; currentWindow?: true; lastFocusedWindow?: true }): Promise<TabLike[]>
  onActivated: BrowserEvent<(info: unknown) => void>
  onUpdated: BrowserEvent<(tabId: number, change: { url?: string; status?: string }) => void>
}
export interface WindowsApi {
  onFocusChanged: BrowserEvent<(windowId: number) => void>
}

/** Pages of this extension itself are never "the call": the panel may be opened as a tab. */
const isOwnPage = (url: string | undefined, ownOrigin: string): boolean => url !== undefined && url.startsWith(ownOrigin)

/**
 * The address of the active tab of the panel's window, kept current as the user switches tabs,
 * navigates or changes windows. Reading another tab's address needs the `tabs` permission;
 * without it the address reads as null. Only the address is read, never the page.
 */
export const watchActiveTab = (
  tabs: TabsApi,
  windows: WindowsApi | undefined,
  ownOrigin: string,
): { store: ReadableStore<string | null>; destroy(): void } => {
  const store = createStore<string | null>(null)
  let generation = 0
  let destroyed = false
  const refresh = (): void => {
    const mine = ++generation
    void (async () => {
      try {
        let [tab] = await tabs.query({ active: true, currentWindow: true })
        if (isOwnPage(tab?.url, ownOrigin)) [tab] = await tabs.query({ active: true, lastFocusedWindow: true })
        // A later refresh started meanwhile knows better.
        // One of our own pages (the panel opened as a tab, a print page) is never the call and
        // leaves the offer as it was: the user comes back to the panel from the call's tab.
        if (!destroyed && mine === generation && !isOwnPage(tab?.url, ownOrigin)) store.set(tab?.url ?? null)
      } catch {
        if (!destroyed && mine === generation) store.set(null)
      }
    })()
  }
  const onActivated = (): void => refresh()
  const onUpdated = (_tabId: number, change: { url?: string; status?: string }): void => {
    if (change.url !== undefined || change.status === 'complete') refresh()
  }
  const onFocusChanged = (): void => refresh()
  tabs.onActivated.addListener(onActivated)
  tabs.onUpdated.addListener(onUpdated)
  windows?.onFocusChanged.addListener(onFocusChanged)
  refresh()
  return {
    store,
    destroy: () => {
      destroyed = true
      tabs.onActivated.removeListener(onActivated)
      tabs.onUpdated.removeListener(onUpdated)
      windows?.onFocusChanged.removeListener(onFocusChanged)
    },
  }
}

import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { SpaceIndex } from '../../src/sync'
import { watchActiveTab, type TabsApi, type WindowsApi } from '../../src/session'
import { exchange } from './doc-exchange'

const OWN = 'chrome-extension://minutes/'

/** A browser with one window whose active tab the test sets, firing the events Chrome fires. */
const fakeBrowser = (initial: string) => {
  let active = initial
  const listeners = { activated: new Set<(info: unknown) => void>(), updated: new Set<(id: number, change: { url?: string; status?: string }) => void>(), focus: new Set<(id: number) => void>() }
  const event = <L>(set: Set<L>) => ({ addListener: (l: L) => void set.add(l), removeListener: (l: L) => void set.delete(l) })
  const tabs: TabsApi = {
    query: async () => [{ url: active }],
    onActivated: event(listeners.activated),
    onUpdated: event(listeners.updated),
  }
  const windows: WindowsApi = { onFocusChanged: event(listeners.focus) }
  return {
    tabs,
    windows,
    listeners,
    activate: (url: string) => {
      active = url
      for (const l of listeners.activated) l({ tabId: 1 })
    },
    navigate: (url: string) => {
      active = url
      for (const l of listeners.updated) l(1, { url })
    },
  }
}

const next = (store: { get(): string | null; subscribe(l: () => void): () => void }, value: string | null): Promise<void> =>
  store.get() === value
    ? Promise.resolve()
    : new Promise((resolve) => {
        const stop = store.subscribe(() => {
          if (store.get() !== value) return
          stop()
          resolve()
        })
      })

describe("the active tab's address", () => {
  it('follows tab switches and navigation, and ignores our own pages', async () => {
    const browser = fakeBrowser('https://example.org/')
    const watcher = watchActiveTab(browser.tabs, browser.windows, OWN)
    await next(watcher.store, 'https://example.org/')
    browser.activate('https://meet.google.com/abc-defg-hij')
    await next(watcher.store, 'https://meet.google.com/abc-defg-hij')
    // Coming back to the panel opened as a tab keeps the offer.
    browser.activate(`${OWN}sidepanel.html`)
    browser.navigate('https://zoom.us/j/81234567890')
    await next(watcher.store, 'https://zoom.us/j/81234567890')
    watcher.destroy()
    expect([...browser.listeners.activated, ...browser.listeners.updated, ...browser.listeners.focus]).toHaveLength(0)
  })
})

describe("a call's meeting in the space's list", () => {
  it('two attendees listing it at once converge on one entry', () => {
    const a = new SpaceIndex(new Y.Doc())
    const b = new SpaceIndex(new Y.Doc())
    expect(a.ensure('call-x', { title: 'Google Meet abc-defg-hij', group: '', date: '2024-05-02', createdBy: 'Anna' })).toBe(true)
    expect(b.ensure('call-x', { title: 'Google Meet abc-defg-hij', group: '', date: '2024-05-02', createdBy: 'Bo' })).toBe(true)
    exchange(a.doc, b.doc)
    expect(a.list()).toEqual(b.list())
    expect(a.list().map((m) => [m.id, m.title])).toEqual([['call-x', 'Google Meet abc-defg-hij']])
    expect(a.ensure('call-x', { title: 'other', group: '', date: '2024-05-02', createdBy: 'Anna' })).toBe(false)
  })
})

// @vitest-environment jsdom
import { h, render } from 'preact'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { createStore, type ReplicationProgress } from '../../src/session'
import type { Language } from '../../src/ui/i18n'
import { createI18n, I18nContext } from '../../src/ui/i18n-context'
import { ReplicationStatus } from '../../src/ui/replication-status'

let container: HTMLElement | null = null
afterEach(() => {
  if (container !== null) render(null, container)
  container?.remove()
  container = null
})

const mount = (language: Language, progress: ReturnType<typeof createStore<ReplicationProgress | null>>) => {
  container = document.createElement('div')
  document.body.append(container)
  act(() => render(h(I18nContext.Provider, { value: createI18n(language) }, h(ReplicationStatus, { progress })), container!))
  return container
}

describe('replication status', () => {
  it('R2: says how far the fetch of meetings is while it runs, in English and Swedish, and nothing when idle', () => {
    for (const [language, running, failed] of [
      ['en', 'Fetching 12 of 40 meetings', 'Fetching 39 of 40 meetings 1 could not be fetched; trying again later.'],
      ['sv', 'Hämtar 12 av 40 möten', 'Hämtar 39 av 40 möten 1 gick inte att hämta; försöker igen senare.'],
    ] as const) {
      const progress = createStore<ReplicationProgress | null>(null)
      const root = mount(language, progress)
      expect(root.textContent).toBe('')
      act(() => progress.set({ done: 12, total: 40, failed: 0 }))
      expect(root.querySelector('[role="status"]')?.textContent).toBe(running)
      act(() => progress.set({ done: 39, total: 40, failed: 1 }))
      expect(root.textContent).toBe(failed)
      act(() => progress.set(null))
      expect(root.textContent).toBe('')
      render(null, root)
      root.remove()
      container = null
    }
  })

  it('R2: says so when fetching stopped with the storage nearly full', () => {
    container = document.createElement('div')
    document.body.append(container)
    const nearlyFull = createStore<number | null>(92)
    act(() => render(h(I18nContext.Provider, { value: createI18n('sv') }, h(ReplicationStatus, { progress: createStore<ReplicationProgress | null>(null), nearlyFull })), container!))
    expect(container.querySelector('[role="alert"]')?.textContent).toBe(
      'Webbläsarens lagring för Minutes är 92 % full: tidigare möten hämtas inte längre. Det som är sparat finns kvar; frigör diskutrymme eller ta bort möten du inte behöver här.',
    )
  })
})

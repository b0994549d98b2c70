// Composition root of the side panel: reads the page's configuration once (language, page
// events, storage), builds the services the UI depends on, and stops everything it started
// from one destroy() on pagehide.
import { render } from 'preact'
import { openMinutesDatabase, requestPersistentStorage } from '../../src/storage'
import { browserNetworkState } from '../../src/sync'
import {
  createSpaceSession,
  createSyncConnector,
  loadPlace,
  loadProfile,
  savePlace,
  saveProfile,
  watchActiveTab,
  type TabsApi,
  type WindowsApi,
} from '../../src/session'
import { App, createI18n, pickColor, resolveLanguage, type PanelServices } from '../../src/ui'
import { mountMinutesEditor } from '../../src/ui/editor-mount'
import '../../src/editor/editor.css'
import './style.css'

const start = async (root: HTMLElement): Promise<() => void> => {
  // `uiLanguage` (public/_locales) names the locale Chrome picked this extension's messages
  // in, which follows --lang; getUILanguage() and @@ui_locale can still say en-US then.
  const language = resolveLanguage(
    browser.i18n.getMessage('uiLanguage'),
    browser.i18n.getUILanguage(),
    navigator.language,
  )
  const i18n = createI18n(language)
  document.documentElement.lang = language
  document.title = i18n.t('app.title')

  const page = { window, document }
  // Another page upgrading the schema closes our connection; reloading picks up the new one.
  const db = await openMinutesDatabase(undefined, { onVersionChange: () => location.reload() })
  void requestPersistentStorage(navigator.storage)
  const network = browserNetworkState(window)
  const connect = createSyncConnector({ network })

  // "Minutes for this call": the active tab's address (the `tabs` permission; README, Permissions).
  const activeTab = watchActiveTab(
    browser.tabs as unknown as TabsApi,
    browser.windows as unknown as WindowsApi | undefined,
    browser.runtime.getURL('/'),
  )

  const services: PanelServices = {
    activeTab: activeTab.store,
    loadProfile: () => loadProfile(db),
    saveProfile: (profile) => saveProfile(db, profile, Date.now()),
    loadPlace: () => loadPlace(db),
    savePlace: (place) => savePlace(db, place),
    openSpace: (profile) =>
      createSpaceSession({
        db,
        profile,
        page,
        journal: window.localStorage,
        connect,
        mountEditor: (options) => mountMinutesEditor({ ...options, t: i18n.t }),
        now: Date.now,
        replication: { network, ...(navigator.storage?.estimate !== undefined ? { storageEstimate: () => navigator.storage.estimate() } : {}) },
      }),
  }

  render(<App services={services} i18n={i18n} defaultColor={pickColor(Math.random)} />, root)

  return () => {
    // Unmounting runs every effect cleanup: sessions flush to IndexedDB and close sockets.
    render(null, root)
    activeTab.destroy()
    db.close()
  }
}

const root = document.getElementById('app')
if (root === null) throw new Error('sidepanel.html has no #app element')
const started = start(root)
const destroy = (): void => {
  window.removeEventListener('pagehide', destroy)
  void started.then((stop) => stop())
}
window.addEventListener('pagehide', destroy)
started.catch((error: unknown) => {
  console.error('Minutes could not start', error)
  root.textContent = String(error)
})

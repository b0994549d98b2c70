// The background script only wires the side panel (a service worker dies after 30 s idle, so
// no document or socket lives here). Chrome: the toolbar button opens the side panel.
// Firefox: the toolbar button toggles the sidebar.
export default defineBackground(() => {
  if (import.meta.env.BROWSER === 'firefox') {
    const firefox = browser as unknown as {
      browserAction?: { onClicked: { addListener(listener: () => void): void } }
      sidebarAction?: { toggle(): Promise<void> }
    }
    firefox.browserAction?.onClicked.addListener(() => void firefox.sidebarAction?.toggle())
  } else {
    void browser.sidePanel.setPanelBehavior({ openPanelOnActionClick: true })
  }
})

// The background script only wires the side panel (a service worker dies after 30 s idle, so
// no document or socket lives here).
export default defineBackground(() => {
  if (import.meta.env.BROWSER !== 'firefox') {
    void browser.sidePanel.setPanelBehavior({ openPanelOnActionClick: true })
  }
})

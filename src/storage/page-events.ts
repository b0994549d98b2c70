/**
 * The page whose lifecycle decides when buffered work must be written out now: `pagehide`
 * on its window, `visibilitychange` to hidden on its document. Pass `{ window, document }`
 * from the panel's entry point; tests pass plain `EventTarget`s.
 */
export interface PageEvents {
  window: EventTarget
  document: EventTarget & { readonly visibilityState: string }
}

/** Calls `onLeave` whenever the page is hidden or being unloaded. Returns the unsubscribe. */
export const onPageLeave = (page: PageEvents | undefined, onLeave: () => void): (() => void) => {
  if (page === undefined) return () => {}
  const onVisibility = (): void => {
    if (page.document.visibilityState === 'hidden') onLeave()
  }
  page.window.addEventListener('pagehide', onLeave)
  page.document.addEventListener('visibilitychange', onVisibility)
  return () => {
    page.window.removeEventListener('pagehide', onLeave)
    page.document.removeEventListener('visibilitychange', onVisibility)
  }
}

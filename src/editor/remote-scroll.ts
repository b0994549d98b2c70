import { Plugin, type Transaction } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { ySyncPluginKey } from 'y-prosemirror'
import { remoteScrollKey } from './keys'

const isRemote = (tr: Transaction): boolean =>
  (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true

/**
 * Keeps the caret in view while others type, once per frame instead of once per update.
 *
 * y-prosemirror asks to scroll the selection into view with every remote change while the
 * local caret is in view, so text arriving above does not push it off screen. ProseMirror does
 * that at once, and measuring the caret right after the DOM changed forces a layout for every
 * remote update (benchmark 8: the largest cost of a burst of remote updates, and what delayed
 * the keys typed meanwhile). Here the scroll of a remote change waits for the next animation
 * frame, where layout is due anyway, and happens only if the caret has left the window.
 * Scrolls asked for by our own transactions (typing, commands) stay immediate.
 */
export const remoteScrollPlugin = (): Plugin => {
  let frame: number | null = null
  const check = (view: EditorView): void => {
    frame = null
    if (view.isDestroyed || !view.hasFocus()) return
    const caret = view.coordsAtPos(view.state.selection.head, 1)
    const height = view.dom.ownerDocument.documentElement.clientHeight
    if (caret.top < 0 || caret.bottom > height) view.dispatch(view.state.tr.scrollIntoView())
  }
  return new Plugin<boolean>({
    key: remoteScrollKey,
    // Whether the latest transaction that asked to scroll was a remote change.
    state: {
      init: () => false,
      apply: (tr, remote) => (tr.scrolledIntoView ? isRemote(tr) : remote),
    },
    props: {
      handleScrollToSelection(view) {
        if (remoteScrollKey.getState(view.state) !== true) return false
        frame ??= requestAnimationFrame(() => check(view))
        return true
      },
    },
    view: () => ({
      destroy: () => {
        if (frame !== null) cancelAnimationFrame(frame)
        frame = null
      },
    }),
  })
}

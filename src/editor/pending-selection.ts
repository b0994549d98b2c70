import { Plugin, TextSelection, type Selection, type Transaction } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import type * as Y from 'yjs'

/**
 * Where the person just put the caret, before ProseMirror has read it.
 *
 * A click moves the DOM selection at once, but ProseMirror reads it only on the next
 * `selectionchange` event. y-prosemirror saves the editor state's selection as relative
 * positions before every Yjs transaction and restores it after a remote change
 * (`beforeAllTransactions` in its sync plugin), and the view then writes that selection back
 * into the DOM. A remote keystroke that arrives between the click and `selectionchange` thus
 * put the caret back where it was before the click, and the next word landed there (2–3 of 30
 * rounds in tests/e2e/caret-under-remote-typing.test.ts before this existed).
 *
 * So, before any Yjs transaction, a text selection that the DOM has and the state does not is
 * dispatched first. It must run before y-prosemirror's listener: `watchPendingSelection` is
 * registered before the view (and its sync plugin) exists. Only public view API is used, and
 * nothing is done while composing or when focus is outside the text (in a field of a node view).
 */
/** The text selection the DOM has and the editor state does not yet, or null. */
export const pendingSelection = (view: EditorView): Selection | null => {
  if (view.isDestroyed || view.composing || !view.editable) return null
  const document = view.dom.ownerDocument
  if (document.activeElement !== view.dom) return null
  const selection = document.getSelection()
  if (selection === null || selection.rangeCount === 0) return null
  const { anchorNode, anchorOffset, focusNode, focusOffset } = selection
  if (anchorNode === null || focusNode === null || !view.dom.contains(anchorNode) || !view.dom.contains(focusNode)) return null
  let anchor: number
  let head: number
  try {
    anchor = view.posAtDOM(anchorNode, anchorOffset)
    head = view.posAtDOM(focusNode, focusOffset)
  } catch {
    return null
  }
  const current = view.state.selection
  if (!(current instanceof TextSelection) || (current.anchor === anchor && current.head === head)) return null
  const size = view.state.doc.content.size
  if (anchor < 0 || head < 0 || anchor > size || head > size) return null
  const $anchor = view.state.doc.resolve(anchor)
  const $head = view.state.doc.resolve(head)
  if (!$anchor.parent.inlineContent || !$head.parent.inlineContent) return null
  return TextSelection.between($anchor, $head)
}

/** Dispatches the pending selection, if there is one (before a Yjs transaction). */
export const adoptPendingSelection = (view: EditorView): void => {
  const pending = pendingSelection(view)
  if (pending !== null) view.dispatch(view.state.tr.setSelection(pending))
}

/**
 * A transaction that changes neither the text nor the selection (a remote caret moving:
 * y-prosemirror's cursor plugin) still makes the view write the state's selection into the
 * DOM, so it too would undo a click not yet read: it carries the pending selection instead.
 * Call it in `dispatchTransaction`, before the transaction is applied.
 */
export const carryPendingSelection = (view: EditorView, tr: Transaction): void => {
  if (tr.docChanged || tr.selectionSet) return
  const pending = pendingSelection(view)
  if (pending !== null) tr.setSelection(pending)
}

/**
 * Calls `adoptPendingSelection` before every transaction of `doc`; register it before the
 * editor view is created. Returns the function that stops it.
 */
export const watchPendingSelection = (doc: Y.Doc, view: () => EditorView | null): (() => void) => {
  const before = (): void => {
    const current = view()
    if (current !== null) adoptPendingSelection(current)
  }
  doc.on('beforeAllTransactions', before)
  return () => doc.off('beforeAllTransactions', before)
}

/**
 * Keys act on the state's selection (Enter splits there): a key pressed before ProseMirror has
 * read a new DOM selection adopts it first. First in the plugin list, ahead of the keymaps.
 */
export const pendingSelectionPlugin = (): Plugin =>
  new Plugin({
    props: {
      handleKeyDown(view) {
        adoptPendingSelection(view)
        return false
      },
    },
  })

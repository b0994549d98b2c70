import { EditorState } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { initProseMirrorDoc } from 'y-prosemirror'
import { createEditorTranslator } from './messages'
import { followFirstNumber } from './numbering'
import { carryPendingSelection, watchPendingSelection } from './pending-selection'
import { createEditorPlugins, type EditorOptions } from './plugins'
import { schema } from '../doc/schema'

/** A mounted minutes editor. */
export interface MinutesEditor {
  readonly view: EditorView
  /** Removes the view and every listener it added (to the Y.Doc, the awareness, the DOM). */
  destroy(): void
}

/**
 * Mounts the minutes editor bound to `options.fragment` into `mount`. The first render shows
 * what the fragment holds (local content loaded from IndexedDB before any network); an
 * empty fragment shows one empty agenda item, which is written only once someone types.
 */
export const createEditorView = (mount: HTMLElement, options: EditorOptions): MinutesEditor => {
  const translate = options.translate ?? createEditorTranslator('en')
  const fromFragment = options.fragment.length > 0 ? initProseMirrorDoc(options.fragment, schema) : null
  const doc = fromFragment !== null && fromFragment.doc.childCount > 0 ? fromFragment.doc : undefined
  const plugins = createEditorPlugins({
    ...options,
    translate,
    ...(doc !== undefined && fromFragment !== null ? { mapping: fromFragment.mapping as never } : {}),
  })
  const state = EditorState.create({ schema, plugins, ...(doc !== undefined ? { doc } : {}) })
  // Before the view: its listener must run ahead of the one y-prosemirror's binding adds.
  let mounted: EditorView | null = null
  const stopWatching = options.fragment.doc === null ? () => {} : watchPendingSelection(options.fragment.doc, () => mounted)
  const view = new EditorView(mount, {
    state,
    dispatchTransaction(this: EditorView, tr) {
      // y-prosemirror 1.3.7 batches cursor metas into a timeout and dispatches them even to
      // a view destroyed meanwhile (its `binding.isDestroyed` is never set): drop those.
      if (this.isDestroyed) return
      carryPendingSelection(this, tr)
      const next = this.state.apply(tr)
      // A plugin refused it (the lock): the state is unchanged, nothing to draw or report.
      if (next === this.state) return
      this.updateState(next)
      if (mounted !== null) options.onTransaction?.(next)
    },
    attributes: {
      class: 'minutes-editor',
      'aria-label': translate('editor.label'),
      role: 'textbox',
      'aria-multiline': 'true',
    },
  })
  // The decision label is drawn by CSS (`content: var(--minutes-decision-label)`).
  view.dom.style.setProperty('--minutes-decision-label', JSON.stringify(`${translate('editor.decisionLabel')} `))
  mounted = view
  const stopNumbering = options.fragment.doc === null ? () => {} : followFirstNumber(view.dom, options.fragment.doc)
  return {
    view,
    destroy: () => {
      stopNumbering()
      stopWatching()
      view.destroy()
    },
  }
}

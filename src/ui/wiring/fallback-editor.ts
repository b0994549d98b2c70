/**
 * A bare ProseMirror binding of the meeting body, used until `src/editor`'s
 * `createEditorView` is wired in. Delete this file then.
 */
import { baseKeymap } from 'prosemirror-commands'
import { keymap } from 'prosemirror-keymap'
import { EditorState } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { redoCommand, undoCommand, yCursorPlugin, ySyncPlugin, yUndoPlugin } from 'y-prosemirror'
import { getBody } from '../../doc'
import { schema } from '../../editor/schema'
import { createStore } from '../store'
import type { ToolbarView } from '../toolbar-view'
import type { MountEditor } from './mount-editor'

export const mountFallbackEditor: MountEditor = ({ mount, doc, awareness, label }) => {
  const plugins = [
    ySyncPlugin(getBody(doc)),
    ...(awareness === null ? [] : [yCursorPlugin(awareness)]),
    yUndoPlugin(),
    keymap({ 'Mod-z': undoCommand, 'Mod-y': redoCommand, 'Mod-Shift-z': redoCommand }),
    keymap(baseKeymap),
  ]
  const toolbar = createStore<ToolbarView>({ buttons: [] })
  // ySyncPlugin dispatches while the view is being constructed: `view` is not assigned yet then.
  let view: EditorView | undefined
  const publish = (): void => {
    if (view === undefined) return
    const current = view
    toolbar.set({
      buttons: [
        { id: 'undo', label: 'toolbar.undo', active: undefined, enabled: undoCommand(current.state) === true, run: () => void undoCommand(current.state, current.dispatch) },
        { id: 'redo', label: 'toolbar.redo', active: undefined, enabled: redoCommand(current.state) === true, run: () => void redoCommand(current.state, current.dispatch) },
      ],
    })
  }
  view = new EditorView(mount, {
    state: EditorState.create({ schema, plugins }),
    attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'minutes-editor' },
    dispatchTransaction(this: EditorView, tr) {
      this.updateState(this.state.apply(tr))
      publish()
    },
  })
  publish()
  const mounted = view
  return { toolbar, focus: () => mounted.focus(), destroy: () => mounted.destroy() }
}

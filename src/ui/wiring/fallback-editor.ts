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
  const view: EditorView = new EditorView(mount, {
    state: EditorState.create({ schema, plugins }),
    attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'minutes-editor' },
    dispatchTransaction: (tr) => {
      view.updateState(view.state.apply(tr))
      publish()
    },
  })
  const publish = (): void =>
    toolbar.set({
      buttons: [
        { id: 'undo', label: 'toolbar.undo', active: undefined, enabled: undoCommand(view.state) === true, run: () => void undoCommand(view.state, view.dispatch) },
        { id: 'redo', label: 'toolbar.redo', active: undefined, enabled: redoCommand(view.state) === true, run: () => void redoCommand(view.state, view.dispatch) },
      ],
    })
  publish()
  return { toolbar, focus: () => view.focus(), destroy: () => view.destroy() }
}

import type { EditorView } from 'prosemirror-view'
import { getBody } from '../../doc'
import { createEditorView, createToolbar } from '../../editor'
import type { MountedEditor } from '../panel-services'
import { createStore } from '../store'
import type { ToolbarView } from '../toolbar-view'
import type { MountEditorOptions } from './mount-editor'

/**
 * Mounts `src/editor`'s minutes editor and keeps a toolbar view of its toolbar model: which
 * buttons apply and which are pressed, re-evaluated after every transaction (local or remote).
 */
export const createEditorMounter =
  ({ askAttachmentName }: { askAttachmentName: () => string | null }) =>
  ({ mount, doc, awareness, t, user }: MountEditorOptions): MountedEditor => {
    const editor = createEditorView(mount, {
      fragment: getBody(doc),
      user,
      ...(awareness !== null ? { awareness } : {}),
      translate: t,
    })
    const view = editor.view
    const items = createToolbar({ ticker: { name: user.name }, attachmentName: askAttachmentName })
    const toolbar = createStore<ToolbarView>({ buttons: [] })
    const publish = (): void => {
      const state = view.state
      toolbar.set({
        buttons: items.map((item) => ({
          id: item.id,
          label: item.labelKey,
          active: item.isActive?.(state),
          enabled: item.isEnabled(state),
          run: () => {
            item.command(view.state, view.dispatch, view)
            view.focus()
          },
        })),
      })
    }
    view.setProps({
      dispatchTransaction(this: EditorView, tr) {
        this.updateState(this.state.apply(tr))
        publish()
      },
    })
    publish()
    return { toolbar, focus: () => view.focus(), destroy: () => editor.destroy() }
  }

import type { Command, EditorState, Transaction } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { ySyncPluginKey } from 'y-prosemirror'
import { getBody, getPerson, isLocked, listPeople, observeAdjustment, responsibleChoices } from '../../doc'
import { carryPendingSelection, createEditorView, createToolbar } from '../../editor'
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
      // An action's responsible is free initials, or a person id of the meeting: show initials.
      responsibleLabel: (value) => {
        const person = getPerson(doc, value)
        return person === undefined ? value : person.initials || person.name
      },
      responsibleChoices: () => responsibleChoices(listPeople(doc)),
    })
    const view = editor.view
    const items = createToolbar({
      ticker: { name: user.name },
      attachmentName: askAttachmentName,
      roundTitles: { checkin: t('rounds.checkinTitle'), checkout: t('rounds.checkoutTitle') },
    })
    const toolbar = createStore<ToolbarView>({ buttons: [] })
    const editorState = createStore<EditorState>(view.state)
    // An adjusted, locked meeting is read-only (SPEC L2 refuses the change anyway): the text is
    // not editable, and transactions that would change it (a checkbox click, a toolbar button)
    // are dropped. Changes that arrive from others through y-prosemirror still apply.
    const locked = (): boolean => isLocked(doc)
    const refused = (tr: Transaction): boolean =>
      tr.docChanged && locked() && (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin !== true
    const publish = (): void => {
      const state = view.state
      editorState.set(state)
      const readOnly = locked()
      toolbar.set({
        buttons: items.map((item) => ({
          id: item.id,
          label: item.labelKey,
          active: item.isActive?.(state),
          enabled: !readOnly && item.isEnabled(state),
          ...(item.shortcut !== undefined ? { shortcut: item.shortcut } : {}),
          run: () => {
            item.command(view.state, view.dispatch, view)
            view.focus()
          },
        })),
      })
    }
    view.setProps({
      editable: () => !locked(),
      dispatchTransaction(this: EditorView, tr) {
        // y-prosemirror 1.3.7 batches cursor metas into a timeout and dispatches them even to
        // a view destroyed meanwhile (its `binding.isDestroyed` is never set): drop those.
        if (this.isDestroyed || refused(tr)) return
        carryPendingSelection(this, tr)
        this.updateState(this.state.apply(tr))
        publish()
      },
    })
    // `editable` is read when the view updates: update it when the lock changes.
    let wasLocked = locked()
    const stopLock = observeAdjustment(doc, () => {
      if (locked() === wasLocked) return
      wasLocked = locked()
      view.setProps({})
      publish()
    })
    publish()
    const run = (command: Command): boolean => {
      if (locked()) return false
      return command(view.state, view.dispatch, view)
    }
    return {
      toolbar,
      state: editorState,
      run,
      focus: () => view.focus(),
      destroy: () => {
        stopLock()
        editor.destroy()
      },
    }
  }

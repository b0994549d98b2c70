import type { EditorState, Plugin } from 'prosemirror-state'
import type { Awareness } from 'y-protocols/awareness'
import { yCursorPlugin, ySyncPlugin, yUndoPlugin } from 'y-prosemirror'
import type * as Y from 'yjs'
import { ActionItemView } from './action-item-view'
import { AgendaItemView } from './agenda-item-view'
import { AttachmentView } from './attachment-view'
import { buildCursor } from './cursor'
import { minutesInputRules } from './input-rules'
import { integrityPlugin } from './integrity-plugin'
import { lockPlugin, type LockOptions } from './lock-plugin'
import { minutesKeymap } from './keymap'
import { createEditorTranslator, type EditorTranslate } from './messages'
import { PartyInputView } from './party-input-view'
import { pendingSelectionPlugin } from './pending-selection'
import { remoteScrollPlugin } from './remote-scroll'
import { slashMenuPlugin, type SlashMenuOptions } from './slash-menu'
import { Plugin as PMPlugin } from 'prosemirror-state'
import { nodeViewsKey } from './keys'

/** Everything the editor needs from the panel. */
export interface EditorOptions {
  /** The meeting's body (`getBody(doc)`). */
  fragment: Y.XmlFragment
  /** This attendee: the name is written into actions they tick and shown on their caret. */
  user: { name: string; color?: string }
  /** Presence: remote carets are drawn when given. The panel sets the `user` field itself. */
  awareness?: Awareness
  /** Strings shown inside the document. Default: the editor's English strings. */
  translate?: EditorTranslate
  /** The clock for tick times; tests pass a fixed one. */
  now?: () => Date
  /** How to show an action's responsible (a person id → initials). Default: as stored. */
  responsibleLabel?: (responsible: string) => string
  /** Whom an action's responsible field offers (the meeting's people). Default: nobody. */
  responsibleChoices?: () => ReadonlyArray<{ value: string; label: string }>
  /** y-prosemirror's mapping from `initProseMirrorDoc`, when the state starts from the fragment. */
  mapping?: Map<Y.AbstractType<unknown>, unknown>
  /** The "/" menu's entries and strings; no menu without them. */
  slashMenu?: SlashMenuOptions
  /** When the document is read-only (an adjusted meeting); always editable without it. */
  lock?: LockOptions
  /**
   * Called after every transaction the view applies, local or remote (not during
   * `createEditorView` itself: read the state once it returns), e.g. to redraw a toolbar.
   */
  onTransaction?: (state: EditorState) => void
}

/**
 * The editor's plugins, in order. Build this list once per view and keep it: recreating
 * y-prosemirror's plugins on a live view loses the binding and the undo history
 * (y-prosemirror#102).
 */
export const createEditorPlugins = (options: EditorOptions): Plugin[] => {
  const translate = options.translate ?? createEditorTranslator('en')
  const ticker = { name: options.user.name, ...(options.now ? { now: options.now } : {}) }
  const nodeViews = new PMPlugin({
    key: nodeViewsKey,
    props: {
      nodeViews: {
        action_item: (node, view, getPos) =>
          new ActionItemView(node, view, getPos, {
            ticker,
            translate,
            ...(options.responsibleLabel ? { responsibleLabel: options.responsibleLabel } : {}),
            ...(options.responsibleChoices ? { responsibleChoices: options.responsibleChoices } : {}),
          }),
        agenda_item: (node, view, getPos) => new AgendaItemView(node, view, getPos, { translate, people: options.fragment.doc }),
        attachment: (node, view, getPos) => new AttachmentView(node, view, getPos, translate),
        party_input: (node, view, getPos) => new PartyInputView(node, view, getPos, translate),
      },
    },
  })
  const plugins: Plugin[] = [
    pendingSelectionPlugin(),
    ySyncPlugin(options.fragment, options.mapping ? { mapping: options.mapping as never } : {}),
    yUndoPlugin(),
  ]
  if (options.lock) plugins.push(lockPlugin(options.lock))
  if (options.awareness) plugins.push(yCursorPlugin(options.awareness, { cursorBuilder: buildCursor }))
  // Ahead of the keymap: while the menu is open, its arrows, Enter, Tab and Escape are the menu's.
  if (options.slashMenu) plugins.push(slashMenuPlugin(options.slashMenu))
  plugins.push(
    ...minutesKeymap(ticker),
    minutesInputRules(),
    integrityPlugin(),
    remoteScrollPlugin(),
    nodeViews,
  )
  return plugins
}

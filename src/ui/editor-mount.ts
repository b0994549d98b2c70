import type { Command, EditorState } from 'prosemirror-state'
import { getBody, getPerson, isLocked, listPeople, observeAdjustment, responsibleChoices } from '../doc'
import {
  AGENDA_KINDS,
  createEditorView,
  createToolbar,
  insertAgendaItem,
  type SlashCommand,
  type ToolbarItem,
} from '../editor'
import type { MountedEditor, MountEditorOptions, ToolbarView } from '../session'
import type { Translate } from './i18n'
import { createStore } from './store'
import { COMMAND_ICONS } from './toolbar-icons'

/** What the "/" menu offers after what the toolbar runs. */
const SLASH_TOOLBAR_COMMANDS = ['decision', 'action', 'partyInput', 'attachment', 'checkinRound', 'checkoutRound']

/**
 * The "/" menu's entries: a new agenda item of each kind (the rounds, agenda items of the
 * check-in and check-out kinds with their titles, come from the toolbar), then the toolbar's
 * own commands, so both run the very same command.
 */
const slashCommands = (items: readonly ToolbarItem[], t: Translate): SlashCommand[] => [
  ...AGENDA_KINDS.filter((kind) => kind !== 'checkin' && kind !== 'checkout').map((kind) => ({
    id: `agendaItem-${kind}`,
    label: t('slash.agendaItem', { kind: t(`editor.kind.${kind}`) }),
    command: insertAgendaItem(kind),
    icon: COMMAND_ICONS.agendaItem!,
  })),
  ...SLASH_TOOLBAR_COMMANDS.flatMap((id) => {
    const item = items.find((candidate) => candidate.id === id)
    if (item === undefined) return []
    const icon = COMMAND_ICONS[id]
    return [{ id, label: t(item.labelKey), command: item.command, ...(icon !== undefined ? { icon } : {}) }]
  }),
]

/**
 * Mounts `src/editor`'s minutes editor and keeps a toolbar view of its toolbar model: which
 * buttons apply and which are pressed, re-evaluated after every transaction (local or remote).
 */
export const mountMinutesEditor = ({ mount, doc, awareness, t, user }: MountEditorOptions & { t: Translate }): MountedEditor => {
  const items = createToolbar({
    ticker: { name: user.name },
    roundTitles: { checkin: t('rounds.checkinTitle'), checkout: t('rounds.checkoutTitle') },
  })
  const slash = slashCommands(items, t)
  // An adjusted, locked meeting is read-only (the editor's lock; SPEC L2 refuses the change
  // anyway), and so is every button of the toolbar.
  const locked = (): boolean => isLocked(doc)
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
    slashMenu: { commands: () => slash, label: t('slash.label'), empty: (query) => t('slash.empty', { query }) },
    lock: { isLocked: locked, observe: (listener) => observeAdjustment(doc, () => listener()) },
    // After every transaction, local or remote, and when the lock flips.
    onTransaction: () => publish(),
  })
  const view = editor.view
  const toolbar = createStore<ToolbarView>({ buttons: [] })
  const editorState = createStore<EditorState>(view.state)
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
    destroy: () => editor.destroy(),
  }
}

import type { NodeType } from 'prosemirror-model'
import type { Command, EditorState } from 'prosemirror-state'
import { redoCommand, undoCommand } from 'y-prosemirror'
import { insertAttachmentAndName } from './attachment-view'
import { insertPartyInputAndLabel } from './party-input-view'
import {
  actionAt,
  insertAction,
  insertAgendaItem,
  insertDecision,
  insertRound,
  liftItem,
  setHeading,
  setParagraph,
  sinkItem,
  toggleAction,
  toggleEm,
  toggleStrong,
  wrapInBulletList,
  wrapInOrderedList,
  type Ticker,
} from './commands'
import { Keys } from './keymap'
import { nodeType, schema } from '../doc/schema'

/** Labels of the toolbar's buttons, in both languages (the panel's dictionaries hold the same keys). */
export const toolbarMessages = {
  en: {
    'toolbar.agendaItem': 'New agenda item',
    'toolbar.heading': 'Heading',
    'toolbar.paragraph': 'Plain text',
    'toolbar.bulletList': 'Bullet list',
    'toolbar.orderedList': 'Numbered list',
    'toolbar.indent': 'Indent',
    'toolbar.outdent': 'Outdent',
    'toolbar.decision': 'Decision',
    'toolbar.action': 'Action',
    'toolbar.toggleAction': 'Tick or untick the action',
    'toolbar.partyInput': 'Input from a party',
    'toolbar.attachment': 'Attachment',
    'toolbar.bold': 'Bold',
    'toolbar.italic': 'Italic',
    'toolbar.undo': 'Undo',
    'toolbar.redo': 'Redo',
    'toolbar.checkinRound': 'Add a check-in round',
    'toolbar.checkoutRound': 'Add a check-out round',
  },
  sv: {
    'toolbar.agendaItem': 'Ny punkt på dagordningen',
    'toolbar.heading': 'Rubrik',
    'toolbar.paragraph': 'Vanlig text',
    'toolbar.bulletList': 'Punktlista',
    'toolbar.orderedList': 'Numrerad lista',
    'toolbar.indent': 'Öka indrag',
    'toolbar.outdent': 'Minska indrag',
    'toolbar.decision': 'Beslut',
    'toolbar.action': 'Åtgärd',
    'toolbar.toggleAction': 'Bocka av eller återöppna åtgärden',
    'toolbar.partyInput': 'Inspel från part',
    'toolbar.attachment': 'Bilaga',
    'toolbar.bold': 'Fetstil',
    'toolbar.italic': 'Kursiv',
    'toolbar.undo': 'Ångra',
    'toolbar.redo': 'Gör om',
    'toolbar.checkinRound': 'Lägg till en incheckningsrunda',
    'toolbar.checkoutRound': 'Lägg till en utcheckningsrunda',
  },
} as const

export type ToolbarLabelKey = keyof (typeof toolbarMessages)['en']

/** One toolbar button: what it is called, what it does, and whether it is on or usable now. */
export interface ToolbarItem {
  id: string
  labelKey: ToolbarLabelKey
  /** The key that does the same, in ProseMirror's notation (`Mod-Enter`), if any. */
  shortcut?: string
  command: Command
  /** For toggles: pressed at this state. */
  isActive?: (state: EditorState) => boolean
  /** Usable at this state (the command applies). */
  isEnabled: (state: EditorState) => boolean
}

const inBlock = (type: NodeType) => (state: EditorState) => state.selection.$from.parent.type === type

const inList = (type: NodeType) => (state: EditorState) => {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type === nodeType('bullet_list') || node.type === nodeType('ordered_list')) return node.type === type
  }
  return false
}

const markActive = (name: 'strong' | 'em') => (state: EditorState) => {
  const mark = schema.marks[name]!
  const { from, to, empty, $from } = state.selection
  return empty ? mark.isInSet(state.storedMarks ?? $from.marks()) !== undefined : state.doc.rangeHasMark(from, to, mark)
}

/**
 * The toolbar model: every command the panel offers, in order. Built once per view (the tick
 * command needs to know who ticks). An attachment and a party input are inserted with the
 * focus in their name or label field; `roundTitles` are the titles the check-in and
 * check-out rounds get, in the panel's language.
 */
export const createToolbar = (options: { ticker: Ticker; roundTitles?: { checkin: string; checkout: string } }): ToolbarItem[] => {
  const roundTitles = options.roundTitles ?? { checkin: 'Check-in', checkout: 'Check-out' }
  const item = (
    id: string,
    labelKey: ToolbarLabelKey,
    command: Command,
    extra: { shortcut?: string; isActive?: (state: EditorState) => boolean } = {},
  ): ToolbarItem => ({ id, labelKey, command, isEnabled: (state) => command(state), ...extra })
  return [
    item('agendaItem', 'toolbar.agendaItem', insertAgendaItem(), { shortcut: Keys.newAgendaItem }),
    item('paragraph', 'toolbar.paragraph', setParagraph(), { isActive: inBlock(nodeType('paragraph')) }),
    item('heading', 'toolbar.heading', setHeading(3), { isActive: inBlock(nodeType('heading')) }),
    item('bulletList', 'toolbar.bulletList', wrapInBulletList(), { isActive: inList(nodeType('bullet_list')) }),
    item('orderedList', 'toolbar.orderedList', wrapInOrderedList(), { isActive: inList(nodeType('ordered_list')) }),
    item('indent', 'toolbar.indent', sinkItem(), { shortcut: Keys.indent }),
    item('outdent', 'toolbar.outdent', liftItem(), { shortcut: Keys.outdent }),
    item('decision', 'toolbar.decision', insertDecision(), { isActive: inBlock(nodeType('decision')) }),
    item('action', 'toolbar.action', insertAction(), { isActive: inBlock(nodeType('action_item')) }),
    item('toggleAction', 'toolbar.toggleAction', toggleAction(options.ticker), {
      shortcut: Keys.toggleAction,
      isActive: (state) => actionAt(state)?.node.attrs.status === 'done',
    }),
    item('partyInput', 'toolbar.partyInput', insertPartyInputAndLabel()),
    item('attachment', 'toolbar.attachment', insertAttachmentAndName()),
    item('bold', 'toolbar.bold', toggleStrong(), { shortcut: Keys.bold, isActive: markActive('strong') }),
    item('italic', 'toolbar.italic', toggleEm(), { shortcut: Keys.italic, isActive: markActive('em') }),
    item('undo', 'toolbar.undo', (state, dispatch) => undoCommand(state, dispatch) === true, { shortcut: Keys.undo }),
    item('redo', 'toolbar.redo', (state, dispatch) => redoCommand(state, dispatch) === true, { shortcut: Keys.redo }),
    item('checkinRound', 'toolbar.checkinRound', insertRound('checkin', roundTitles.checkin)),
    item('checkoutRound', 'toolbar.checkoutRound', insertRound('checkout', roundTitles.checkout)),
  ]
}

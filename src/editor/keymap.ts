import { baseKeymap, chainCommands } from 'prosemirror-commands'
import { keymap } from 'prosemirror-keymap'
import type { Command, Plugin } from 'prosemirror-state'
import { redoCommand, undoCommand } from 'y-prosemirror'
import {
  insertAgendaItem,
  liftItem,
  sinkItem,
  splitAction,
  splitItem,
  toggleAction,
  toggleEm,
  toggleStrong,
  unwrapTextblockAtStart,
  type Ticker,
} from './commands'
import { focusBlockFields } from './field-focus'

/** The editor's keys, for documentation and the toolbar's shortcut hints. */
export const Keys = {
  toggleAction: 'Mod-Enter',
  newAgendaItem: 'Mod-Shift-Enter',
  indent: 'Tab',
  outdent: 'Shift-Tab',
  undo: 'Mod-z',
  redo: 'Mod-Shift-z',
  redoAlt: 'Mod-y',
  bold: 'Mod-b',
  italic: 'Mod-i',
} as const

/**
 * The minutes keymap, in front of ProseMirror's base keymap. Undo and redo go through
 * y-prosemirror's UndoManager, which only tracks this client's edits: Mod-Z never takes
 * back what someone else typed.
 */
export const minutesKeymap = (ticker: Ticker): Plugin[] => {
  const bindings: Record<string, Command> = {
    [Keys.toggleAction]: toggleAction(ticker),
    [Keys.newAgendaItem]: insertAgendaItem(),
    // Tab inside a list nests; in a title or an action it goes to that block's fields;
    // elsewhere it is not ours (focus moves on, as it should).
    [Keys.indent]: chainCommands(sinkItem(), focusBlockFields()),
    [Keys.outdent]: liftItem(),
    [Keys.undo]: undoCommand,
    [Keys.redo]: redoCommand,
    [Keys.redoAlt]: redoCommand,
    [Keys.bold]: toggleStrong(),
    [Keys.italic]: toggleEm(),
    Enter: chainCommands(splitAction(), splitItem()),
    Backspace: unwrapTextblockAtStart(),
  }
  return [keymap(bindings), keymap(baseKeymap)]
}

import type { Command } from 'prosemirror-state'
import { actionAt, agendaItemAt } from './commands'
import { nodeType } from '../doc/schema'

/**
 * Tab from an agenda item's title moves the keyboard focus to that item's kind and presenter
 * fields; Tab from an action's text, to its responsible and due date. (In a list, Tab nests
 * first.) The fields give the caret back with Escape or Enter.
 */
export const focusBlockFields = (): Command => (state, _dispatch, view) => {
  if (view === undefined) return false
  const { $from } = state.selection
  const action = actionAt(state)
  const target =
    action !== null
      ? { pos: action.pos, selector: '.action-responsible input' }
      : $from.parent.type === nodeType('agenda_title')
        ? (() => {
            const item = agendaItemAt(state)
            return item === null ? null : { pos: item.pos, selector: '.agenda-kind' }
          })()
        : null
  if (target === null) return false
  const dom = view.nodeDOM(target.pos)
  const field = dom instanceof HTMLElement ? dom.querySelector<HTMLElement>(target.selector) : null
  if (field === null) return false
  field.focus()
  return true
}

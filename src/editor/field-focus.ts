import type { Command } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { actionAt, agendaItemAt } from './commands'
import { nodeType } from '../doc/schema'

/** The field matching `selector` in the node view of the node at `pos`, or null. */
export const fieldOfNode = (view: EditorView | undefined, pos: number, selector: string): HTMLElement | null => {
  const dom = view?.nodeDOM(pos)
  return dom instanceof HTMLElement ? dom.querySelector<HTMLElement>(selector) : null
}

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
  const field = fieldOfNode(view, target.pos, target.selector)
  if (field === null) return false
  field.focus()
  return true
}

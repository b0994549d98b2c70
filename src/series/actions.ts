import type { Node as PMNode } from 'prosemirror-model'
import * as Y from 'yjs'
import { getBody, readBody } from '../doc/meeting-doc'
import { NodeName } from '../doc/schema'

/** An action as written in a meeting's minutes (the `action_item` node's attributes and text). */
export interface WrittenAction {
  id: string
  text: string
  responsible: string
  due: string
  status: 'open' | 'done'
  checkedBy: string
  checkedAt: string
  /** The title of the agenda item it stands under, for context. */
  agendaTitle: string
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '')

/** Every action of a meeting's body, in document order. Actions without an id are skipped. */
export const readWrittenActions = (doc: Y.Doc): WrittenAction[] => {
  let root: PMNode
  try {
    root = readBody(doc)
  } catch {
    // A body that does not fit the schema (a foreign client) has no actions we can trust.
    return []
  }
  const actions: WrittenAction[] = []
  root.forEach((item) => {
    const agendaTitle = item.firstChild?.type.name === NodeName.agendaTitle ? item.firstChild.textContent : ''
    item.descendants((node) => {
      if (node.type.name !== NodeName.actionItem) return true
      const id = str(node.attrs.id)
      if (id !== '') {
        actions.push({
          id,
          text: node.textContent,
          responsible: str(node.attrs.responsible),
          due: str(node.attrs.due),
          status: node.attrs.status === 'done' ? 'done' : 'open',
          checkedBy: str(node.attrs.checkedBy),
          checkedAt: str(node.attrs.checkedAt),
          agendaTitle,
        })
      }
      return false
    })
  })
  return actions
}

const findActionElement = (fragment: Y.XmlFragment | Y.XmlElement, id: string): Y.XmlElement | null => {
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue
    if (child.nodeName === NodeName.actionItem && child.getAttribute('id') === id) return child
    const found = findActionElement(child, id)
    if (found !== null) return found
  }
  return null
}

/**
 * Ticks or unticks an action in its own meeting, outside the editor (from the action
 * register): only the action's attributes change, each its own key, exactly as the editor's
 * tick does, so a concurrent tick of another action is kept. Returns false when the meeting
 * has no action with this id.
 */
export const setWrittenActionDone = (
  doc: Y.Doc,
  id: string,
  done: boolean,
  by: { name: string; at: string },
  origin: unknown,
): boolean => {
  const element = findActionElement(getBody(doc), id)
  if (element === null) return false
  doc.transact(() => {
    element.setAttribute('status', done ? 'done' : 'open')
    element.setAttribute('checkedBy', done ? by.name : '')
    element.setAttribute('checkedAt', done ? by.at : '')
  }, origin)
  return true
}

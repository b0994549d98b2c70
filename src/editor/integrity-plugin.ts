import type { Node as PMNode } from 'prosemirror-model'
import { Plugin, type Transaction } from 'prosemirror-state'
import { ySyncPluginKey } from 'y-prosemirror'
import { newId } from '../doc/ids'
import { integrityKey } from './keys'
import { nodeType } from '../doc/schema'

const ID_NODES = new Set(['agenda_item', 'action_item', 'decision'])
const LISTS = new Set(['bullet_list', 'ordered_list'])

const isRemote = (tr: Transaction): boolean => {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
  return meta?.isChangeOrigin === true
}

interface Broken {
  node: PMNode
  pos: number
}

const findBroken = (doc: PMNode): Broken[] => {
  const broken: Broken[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock || node.isLeaf) return false
    const empty = node.childCount === 0 && node.type === nodeType('party_input')
    if (empty || !node.type.validContent(node.content)) broken.push({ node, pos })
    return true
  })
  return broken
}

/**
 * Repairs what a merge of concurrent edits can leave behind: a party input whose paragraphs
 * two people deleted at the same moment gets an empty paragraph to type in; a node whose
 * content does not fit (should the binding ever let one through) gets its required start
 * (an agenda item its title), an empty list is removed, a second title becomes a paragraph.
 * Nothing anyone wrote is removed.
 */
const repair = (tr: Transaction): void => {
  // Deepest and last first, so earlier positions stay valid.
  const broken = findBroken(tr.doc).sort((a, b) => b.pos - a.pos)
  for (const { node, pos } of broken) {
    if (LISTS.has(node.type.name) && node.childCount === 0) {
      tr.delete(pos, pos + node.nodeSize)
      continue
    }
    if (node.type === nodeType('party_input') && node.childCount === 0) {
      tr.insert(pos + 1, nodeType('paragraph').create())
      continue
    }
    const fill = node.type.contentMatch.fillBefore(node.content, true)
    if (fill !== null) {
      tr.insert(pos + 1, fill)
      continue
    }
    if (node.type === nodeType('agenda_item')) {
      node.forEach((child, offset, index) => {
        if (index > 0 && child.type === nodeType('agenda_title')) {
          tr.setNodeMarkup(pos + 1 + offset, nodeType('paragraph'))
        }
      })
    }
  }
}

/**
 * Gives every agenda item, action and decision an id, and a new one to a copy (a paste, a
 * split): follow-up across meetings refers to actions by id.
 */
const assignIds = (tr: Transaction): void => {
  const seen = new Set<string>()
  tr.doc.descendants((node, pos) => {
    if (node.isTextblock && !ID_NODES.has(node.type.name)) return false
    if (!ID_NODES.has(node.type.name)) return true
    const id = String(node.attrs.id ?? '')
    if (id === '' || seen.has(id)) {
      const fresh = newId()
      seen.add(fresh)
      const attrs: Record<string, unknown> = { ...node.attrs, id: fresh }
      // A copied action starts open: the tick belonged to the original.
      if (node.type === nodeType('action_item')) Object.assign(attrs, { status: 'open', checkedBy: '', checkedAt: '' })
      tr.setNodeMarkup(pos, undefined, attrs)
    } else {
      seen.add(id)
    }
    return !node.isTextblock
  })
}

/**
 * Keeps the document valid and its ids unique after every change. Runs on remote changes
 * only to repair (each client may repair the same thing; the repairs converge), and on
 * local changes only to assign ids (never fighting a peer over an id it assigned). Its
 * changes are kept out of the undo history.
 */
export const integrityPlugin = (): Plugin =>
  new Plugin({
    key: integrityKey,
    appendTransaction: (transactions, _oldState, newState) => {
      if (!transactions.some((tr) => tr.docChanged)) return null
      const remote = transactions.some(isRemote)
      const tr = newState.tr
      if (remote) repair(tr)
      else assignIds(tr)
      if (!tr.docChanged) return null
      return tr.setMeta('addToHistory', false)
    },
  })


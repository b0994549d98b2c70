import type { Node as PMNode } from 'prosemirror-model'
import { schema, type ActionStatus, type AgendaKind } from './schema'

/** A list entry: its text, and optionally blocks nested under it (a nested list, an action…). */
export type ListItemDescription = string | { text: string; children?: BlockDescription[] }

/** One block of an agenda item, in plain data. */
export type BlockDescription =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; text: string; level?: number }
  | { type: 'bullets'; items: ListItemDescription[] }
  | { type: 'numbered'; items: ListItemDescription[]; start?: number }
  | { type: 'decision'; text: string; id?: string }
  | {
      type: 'action'
      text: string
      id?: string
      responsible?: string
      due?: string
      status?: ActionStatus
      checkedBy?: string
      checkedAt?: string
    }
  | { type: 'party'; label: string; paragraphs: string[] }
  | { type: 'attachment'; name: string; href?: string }

/** One agenda item in plain data. */
export interface AgendaItemDescription {
  title: string
  id?: string
  kind?: AgendaKind
  presenter?: string
  blocks?: BlockDescription[]
}

type Json = Record<string, unknown>

const inline = (text: string): Json[] => (text === '' ? [] : [{ type: 'text', text }])

const listItemJSON = (item: ListItemDescription, ids: () => string): Json => {
  const { text, children = [] } = typeof item === 'string' ? { text: item } : item
  return {
    type: 'list_item',
    content: [{ type: 'paragraph', content: inline(text) }, ...children.map((block) => blockJSON(block, ids))],
  }
}

const blockJSON = (block: BlockDescription, ids: () => string): Json => {
  switch (block.type) {
    case 'paragraph':
      return { type: 'paragraph', content: inline(block.text) }
    case 'heading':
      return { type: 'heading', attrs: { level: block.level ?? 3 }, content: inline(block.text) }
    case 'bullets':
      return { type: 'bullet_list', content: block.items.map((item) => listItemJSON(item, ids)) }
    case 'numbered':
      return {
        type: 'ordered_list',
        attrs: { order: block.start ?? 1 },
        content: block.items.map((item) => listItemJSON(item, ids)),
      }
    case 'decision':
      return { type: 'decision', attrs: { id: block.id ?? ids() }, content: inline(block.text) }
    case 'action':
      return {
        type: 'action_item',
        attrs: {
          id: block.id ?? ids(),
          responsible: block.responsible ?? '',
          due: block.due ?? '',
          status: block.status ?? 'open',
          checkedBy: block.checkedBy ?? '',
          checkedAt: block.checkedAt ?? '',
        },
        content: inline(block.text),
      }
    case 'party':
      return {
        type: 'party_input',
        attrs: { label: block.label },
        content: (block.paragraphs.length === 0 ? [''] : block.paragraphs).map((text) => ({
          type: 'paragraph',
          content: inline(text),
        })),
      }
    case 'attachment':
      return { type: 'attachment', attrs: { name: block.name, href: block.href ?? '' } }
  }
}

/**
 * The ProseMirror document for a list of agenda items, checked against the schema (a
 * description that does not fit throws: a programming error). No items gives one empty
 * item, the smallest valid body. Ids missing from the description come from `ids`.
 */
export const meetingBodyNode = (items: readonly AgendaItemDescription[], ids: () => string): PMNode => {
  const content = (items.length === 0 ? [{ title: '' }] : items).map((item) => ({
    type: 'agenda_item',
    attrs: { id: item.id ?? ids(), kind: item.kind ?? 'information', presenter: item.presenter ?? '' },
    content: [
      { type: 'agenda_title', content: inline(item.title) },
      ...(item.blocks ?? []).map((block) => blockJSON(block, ids)),
    ],
  }))
  const node = schema.nodeFromJSON({ type: 'doc', content })
  node.check()
  return node
}

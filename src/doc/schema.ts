import { Schema, type DOMOutputSpec, type Node as PMNode } from 'prosemirror-model'

/** What an agenda item is for; drives its label and how exports group items. */
export type AgendaKind = 'decision' | 'information' | 'dialog' | 'brief' | 'checkin' | 'checkout'
export const AGENDA_KINDS: readonly AgendaKind[] = ['decision', 'information', 'dialog', 'brief', 'checkin', 'checkout']

export type ActionStatus = 'open' | 'done'

/** Node names, so other modules (export, follow-up) never spell them by hand. */
export const NodeName = {
  doc: 'doc',
  agendaItem: 'agenda_item',
  agendaTitle: 'agenda_title',
  paragraph: 'paragraph',
  heading: 'heading',
  bulletList: 'bullet_list',
  orderedList: 'ordered_list',
  listItem: 'list_item',
  decision: 'decision',
  actionItem: 'action_item',
  partyInput: 'party_input',
  attachment: 'attachment',
  text: 'text',
  hardBreak: 'hard_break',
} as const

/** Links come from peers: only ever render web and mail addresses (http(s), mailto) as links. */
export const safeHref = (href: unknown): string | null =>
  typeof href === 'string' && /^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : null

const str = (value: unknown): string => (typeof value === 'string' ? value : '')

const dataAttrs = (node: PMNode, names: readonly string[]): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name of names) {
    const value = node.attrs[name]
    if (typeof value === 'string' && value !== '') out[`data-${name.toLowerCase()}`] = value
  }
  return out
}

/**
 * The ProseMirror schema of a meeting's body.
 *
 * Agenda items are the only top-level nodes: y-prosemirror rebuilds the top-level fragment
 * on every remote change, so a long meeting must have tens of top-level nodes, not thousands
 * of paragraphs. Numbering is not stored (CSS counters), so inserting or moving an item
 * concurrently never leaves two items with the same number.
 *
 * Node attributes become per-key attributes of a Y.XmlElement (last writer wins per key),
 * which is why an action's tick lives in attributes: ticks of different actions never
 * conflict, ticks of the same action converge. y-prosemirror drops a remote node whose
 * content does not fit the schema, so a container a merge can empty and that carries data
 * of its own (a party input's label) accepts being empty; a list emptied by two concurrent
 * deletions is dropped, which loses nothing.
 */
export const schema = new Schema({
  nodes: {
    doc: { content: 'agenda_item+' },

    agenda_item: {
      content: 'agenda_title block*',
      defining: true,
      isolating: true,
      attrs: {
        id: { default: '' },
        kind: { default: 'information' },
        presenter: { default: '' },
      },
      parseDOM: [
        {
          tag: 'section.agenda-item',
          getAttrs: (dom) => ({
            id: dom.getAttribute('data-id') ?? '',
            kind: dom.getAttribute('data-kind') ?? 'information',
            presenter: dom.getAttribute('data-presenter') ?? '',
          }),
        },
      ],
      toDOM: (node): DOMOutputSpec => [
        'section',
        { class: 'agenda-item', ...dataAttrs(node, ['id', 'kind', 'presenter']) },
        0,
      ],
    },

    agenda_title: {
      content: 'inline*',
      defining: true,
      parseDOM: [{ tag: 'h2.agenda-title' }],
      toDOM: (): DOMOutputSpec => ['h2', { class: 'agenda-title' }, 0],
    },

    paragraph: {
      group: 'block',
      content: 'inline*',
      parseDOM: [{ tag: 'p' }],
      toDOM: (): DOMOutputSpec => ['p', 0],
    },

    heading: {
      group: 'block',
      content: 'inline*',
      defining: true,
      attrs: { level: { default: 3 } },
      parseDOM: [3, 4, 5, 6].map((level) => ({ tag: `h${level}`, attrs: { level } })),
      toDOM: (node): DOMOutputSpec => {
        const level = Math.min(6, Math.max(3, Number(node.attrs.level) || 3))
        return [`h${level}`, 0]
      },
    },

    bullet_list: {
      group: 'block',
      content: 'list_item+',
      parseDOM: [{ tag: 'ul' }],
      toDOM: (): DOMOutputSpec => ['ul', 0],
    },

    ordered_list: {
      group: 'block',
      content: 'list_item+',
      attrs: { order: { default: 1 } },
      parseDOM: [
        {
          tag: 'ol',
          getAttrs: (dom) => ({ order: dom.hasAttribute('start') ? Number(dom.getAttribute('start')) : 1 }),
        },
      ],
      toDOM: (node): DOMOutputSpec =>
        Number(node.attrs.order) === 1 ? ['ol', 0] : ['ol', { start: String(node.attrs.order) }, 0],
    },

    list_item: {
      content: 'paragraph block*',
      defining: true,
      parseDOM: [{ tag: 'li' }],
      toDOM: (): DOMOutputSpec => ['li', 0],
    },

    decision: {
      group: 'block',
      content: 'inline*',
      defining: true,
      attrs: { id: { default: '' } },
      parseDOM: [{ tag: 'p.decision', getAttrs: (dom) => ({ id: dom.getAttribute('data-id') ?? '' }) }],
      toDOM: (node): DOMOutputSpec => ['p', { class: 'decision', ...dataAttrs(node, ['id']) }, 0],
    },

    action_item: {
      group: 'block',
      content: 'inline*',
      defining: true,
      attrs: {
        id: { default: '' },
        /** A person id of the meeting, or free initials ("AA", "Alla"). */
        responsible: { default: '' },
        /** ISO date or empty. */
        due: { default: '' },
        status: { default: 'open' },
        /** Display name of who ticked it, and when (ISO timestamp); empty while open. */
        checkedBy: { default: '' },
        checkedAt: { default: '' },
      },
      parseDOM: [
        {
          tag: 'div.action-item',
          getAttrs: (dom) => ({
            id: dom.getAttribute('data-id') ?? '',
            responsible: dom.getAttribute('data-responsible') ?? '',
            due: dom.getAttribute('data-due') ?? '',
            status: dom.getAttribute('data-status') === 'done' ? 'done' : 'open',
            checkedBy: dom.getAttribute('data-checkedby') ?? '',
            checkedAt: dom.getAttribute('data-checkedat') ?? '',
          }),
          contentElement: '.action-text',
        },
      ],
      // The editor renders actions with a node view (a real checkbox); this is for copy/paste.
      toDOM: (node): DOMOutputSpec => [
        'div',
        {
          class: 'action-item',
          ...dataAttrs(node, ['id', 'responsible', 'due', 'checkedBy', 'checkedAt']),
          'data-status': node.attrs.status === 'done' ? 'done' : 'open',
        },
        ['div', { class: 'action-text' }, 0],
      ],
    },

    party_input: {
      group: 'block',
      // Not `paragraph+`: a merge can empty it, and y-prosemirror drops a node whose content
      // does not fit, label and all. The integrity plugin gives an empty one a paragraph.
      content: 'paragraph*',
      defining: true,
      attrs: { label: { default: '' } },
      parseDOM: [
        {
          tag: 'div.party-input',
          getAttrs: (dom) => ({ label: dom.getAttribute('data-label') ?? '' }),
          contentElement: '.party-input-body',
        },
      ],
      toDOM: (node): DOMOutputSpec => [
        'div',
        { class: 'party-input', ...dataAttrs(node, ['label']) },
        ['div', { class: 'party-input-label', contenteditable: 'false' }, str(node.attrs.label)],
        ['div', { class: 'party-input-body' }, 0],
      ],
    },

    attachment: {
      group: 'block',
      atom: true,
      selectable: true,
      attrs: { name: { default: '' }, href: { default: '' } },
      parseDOM: [
        {
          tag: 'p.attachment',
          getAttrs: (dom) => ({
            name: dom.textContent?.trim() ?? '',
            href: dom.querySelector('a')?.getAttribute('href') ?? '',
          }),
        },
      ],
      toDOM: (node): DOMOutputSpec => {
        const name = str(node.attrs.name)
        const href = safeHref(node.attrs.href)
        return [
          'p',
          { class: 'attachment' },
          href === null ? ['span', name] : ['a', { href, target: '_blank', rel: 'noopener noreferrer' }, name],
        ]
      },
    },

    text: { group: 'inline' },

    hard_break: {
      inline: true,
      group: 'inline',
      selectable: false,
      parseDOM: [{ tag: 'br' }],
      toDOM: (): DOMOutputSpec => ['br'],
    },
  },
  marks: {
    strong: {
      parseDOM: [{ tag: 'strong' }, { tag: 'b' }],
      toDOM: (): DOMOutputSpec => ['strong', 0],
    },
    em: {
      parseDOM: [{ tag: 'em' }, { tag: 'i' }],
      toDOM: (): DOMOutputSpec => ['em', 0],
    },
  },
})

export type MinutesSchema = typeof schema

/** The node types of the schema, by name. Throws on a name the schema lacks (a programming error). */
export const nodeType = (name: (typeof NodeName)[keyof typeof NodeName]) => {
  const type = schema.nodes[name]
  if (type === undefined) throw new Error(`schema has no node ${name}`)
  return type
}

export const isAgendaKind = (value: unknown): value is AgendaKind =>
  typeof value === 'string' && (AGENDA_KINDS as readonly string[]).includes(value)

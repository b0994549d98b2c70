import type { Node as PMNode } from 'prosemirror-model'
import { Plugin } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import { agendaLabelsKey } from './keys'
import type { EditorMessageKey, EditorTranslate } from './messages'
import { isAgendaKind } from './schema'

const labelLine = (item: PMNode, translate: EditorTranslate): string => {
  const kind = item.attrs.kind
  const parts = [isAgendaKind(kind) ? translate(`editor.kind.${kind}` as EditorMessageKey) : String(kind ?? '')]
  const presenter = String(item.attrs.presenter ?? '')
  if (presenter !== '') parts.push(translate('editor.presenter', { name: presenter }))
  return parts.filter((part) => part !== '').join(' · ')
}

const build = (doc: PMNode, translate: EditorTranslate): DecorationSet => {
  const decorations: Decoration[] = []
  // Only the top level: tens of nodes, cheap to redo on every change.
  doc.forEach((item, offset) => {
    const title = item.firstChild
    if (title === null) return
    const text = labelLine(item, translate)
    const pos = offset + 1 + title.nodeSize
    decorations.push(
      Decoration.widget(
        pos,
        (view) => {
          const line = view.dom.ownerDocument.createElement('div')
          line.className = 'agenda-item-meta'
          line.contentEditable = 'false'
          line.textContent = text
          return line
        },
        { side: -1, key: `${String(item.attrs.id)}|${text}`, ignoreSelection: true },
      ),
    )
  })
  return DecorationSet.create(doc, decorations)
}

/**
 * Shows an agenda item's kind and presenter ("Beslut · Föredragande: Mats Nilsson") under
 * its title. They are attributes, not text, so they cannot be typed over by accident and
 * exports read them as data.
 */
export const agendaLabelsPlugin = (translate: EditorTranslate): Plugin<DecorationSet> =>
  new Plugin<DecorationSet>({
    key: agendaLabelsKey,
    state: {
      init: (_, state) => build(state.doc, translate),
      apply: (tr, set) => (tr.docChanged ? build(tr.doc, translate) : set),
    },
    props: {
      decorations: (state) => agendaLabelsKey.getState(state) as DecorationSet,
    },
  })

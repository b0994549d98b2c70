import type { Node as PMNode } from 'prosemirror-model'
import { TextSelection } from 'prosemirror-state'
import type { EditorView, NodeView, ViewMutationRecord } from 'prosemirror-view'
import { setAgendaAttrsAt } from './commands'
import type { EditorMessageKey, EditorTranslate } from './messages'
import { AGENDA_KINDS, isAgendaKind } from '../doc/schema'

/**
 * An agenda item: a header line with its kind (a menu) and its presenter (a text field),
 * edited in place, above the numbered title and the item's content. Kind and presenter are
 * attributes, not text, so they cannot be typed over by accident, exports read them as data,
 * and two people setting them on different items never conflict.
 *
 * The fields write on `change` (a choice in the menu; Enter or leaving the text field), so a
 * presenter is one change, not one per keystroke. Escape, and Enter in the presenter field,
 * put the caret back at the end of the item's title.
 */
export class AgendaItemView implements NodeView {
  readonly dom: HTMLElement
  readonly contentDOM: HTMLElement
  private readonly head: HTMLElement
  private readonly kind: HTMLSelectElement
  private readonly presenter: HTMLInputElement
  private node: PMNode

  constructor(
    node: PMNode,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    translate: EditorTranslate,
  ) {
    this.node = node
    const doc = view.dom.ownerDocument
    this.dom = doc.createElement('section')
    this.dom.className = 'agenda-item'
    this.head = doc.createElement('div')
    this.head.className = 'agenda-item-meta'
    this.head.contentEditable = 'false'

    this.kind = doc.createElement('select')
    this.kind.className = 'agenda-kind'
    this.kind.setAttribute('aria-label', translate('editor.kind.label'))
    for (const kind of AGENDA_KINDS) {
      const option = doc.createElement('option')
      option.value = kind
      option.textContent = translate(`editor.kind.${kind}` as EditorMessageKey)
      this.kind.append(option)
    }
    this.kind.addEventListener('change', this.onKind)

    const presenterLabel = doc.createElement('label')
    presenterLabel.className = 'agenda-presenter'
    const presenterText = doc.createElement('span')
    presenterText.textContent = translate('editor.presenter.label')
    this.presenter = doc.createElement('input')
    this.presenter.type = 'text'
    this.presenter.name = 'presenter'
    this.presenter.autocomplete = 'off'
    this.presenter.placeholder = translate('editor.presenter.placeholder')
    this.presenter.addEventListener('change', this.onPresenter)
    presenterLabel.append(presenterText, this.presenter)

    this.head.append(this.kind, presenterLabel)
    this.head.addEventListener('keydown', this.onKeyDown)
    this.contentDOM = doc.createElement('div')
    this.contentDOM.className = 'agenda-item-body'
    this.dom.append(this.head, this.contentDOM)
    this.render()
  }

  private readonly onKind = (): void => {
    const pos = this.getPos()
    if (pos === undefined || !this.view.editable || !isAgendaKind(this.kind.value)) return this.render()
    setAgendaAttrsAt(pos, { kind: this.kind.value })(this.view.state, this.view.dispatch)
    this.render()
  }

  private readonly onPresenter = (): void => {
    const pos = this.getPos()
    if (pos === undefined || !this.view.editable) return this.render()
    const presenter = this.presenter.value.trim()
    setAgendaAttrsAt(pos, { presenter })(this.view.state, this.view.dispatch)
    this.presenter.value = presenter
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const back = event.key === 'Escape' || (event.key === 'Enter' && event.target === this.presenter)
    if (!back) return
    event.preventDefault()
    if (event.target === this.presenter) this.onPresenter()
    this.returnToTitle()
  }

  private returnToTitle(): void {
    const pos = this.getPos()
    if (pos === undefined) return
    const title = this.view.state.doc.nodeAt(pos)?.firstChild
    if (title == null) return
    const end = pos + 1 + title.nodeSize - 1
    this.view.dispatch(this.view.state.tr.setSelection(TextSelection.create(this.view.state.doc, end)))
    this.view.focus()
  }

  private render(): void {
    const attrs = this.node.attrs
    const kind = String(attrs.kind ?? 'information')
    const presenter = String(attrs.presenter ?? '')
    const id = String(attrs.id ?? '')
    this.dom.dataset.kind = kind
    if (id !== '') this.dom.dataset.id = id
    if (presenter !== '') this.dom.dataset.presenter = presenter
    else delete this.dom.dataset.presenter
    if (this.kind.value !== kind) this.kind.value = isAgendaKind(kind) ? kind : 'information'
    // Never overwrite what this person is typing with another value.
    if (this.presenter.ownerDocument.activeElement !== this.presenter) this.presenter.value = presenter
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false
    this.node = node
    this.render()
    return true
  }

  stopEvent(event: Event): boolean {
    return this.head.contains(event.target as Node | null)
  }

  ignoreMutation(mutation: ViewMutationRecord): boolean {
    return mutation.type !== 'selection' && !this.contentDOM.contains(mutation.target)
  }

  destroy(): void {
    this.kind.removeEventListener('change', this.onKind)
    this.presenter.removeEventListener('change', this.onPresenter)
    this.head.removeEventListener('keydown', this.onKeyDown)
  }
}

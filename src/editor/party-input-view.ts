import type { Node as PMNode } from 'prosemirror-model'
import type { EditorView, NodeView, ViewMutationRecord } from 'prosemirror-view'
import { setPartyLabelAt } from './commands'
import type { EditorTranslate } from './messages'

/**
 * Input from a party: an editable label ("SSR", "Kommunal") in a text field, then the
 * party's paragraphs. The label is a node attribute, written when the field changes.
 */
export class PartyInputView implements NodeView {
  readonly dom: HTMLElement
  readonly contentDOM: HTMLElement
  private readonly input: HTMLInputElement
  private node: PMNode

  constructor(
    node: PMNode,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    translate: EditorTranslate,
  ) {
    this.node = node
    const doc = view.dom.ownerDocument
    this.dom = doc.createElement('div')
    this.dom.className = 'party-input'
    const head = doc.createElement('div')
    head.className = 'party-input-label'
    head.contentEditable = 'false'
    this.input = doc.createElement('input')
    this.input.type = 'text'
    this.input.setAttribute('aria-label', translate('editor.party.label'))
    this.input.placeholder = translate('editor.party.placeholder')
    this.input.addEventListener('change', this.onChange)
    head.append(this.input)
    this.contentDOM = doc.createElement('div')
    this.contentDOM.className = 'party-input-body'
    this.dom.append(head, this.contentDOM)
    this.input.value = String(node.attrs.label ?? '')
  }

  private readonly onChange = (): void => {
    const pos = this.getPos()
    if (pos === undefined) return
    setPartyLabelAt(pos, this.input.value.trim())(this.view.state, this.view.dispatch)
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false
    this.node = node
    const label = String(node.attrs.label ?? '')
    // Do not overwrite what this person is typing with an older remote value.
    if (this.input.ownerDocument.activeElement !== this.input) this.input.value = label
    return true
  }

  stopEvent(event: Event): boolean {
    return event.target === this.input
  }

  ignoreMutation(mutation: ViewMutationRecord): boolean {
    return mutation.type !== 'selection' && !this.contentDOM.contains(mutation.target)
  }

  destroy(): void {
    this.input.removeEventListener('change', this.onChange)
  }
}

import type { Node as PMNode } from 'prosemirror-model'
import { TextSelection, type Command } from 'prosemirror-state'
import type { EditorView, NodeView, ViewMutationRecord } from 'prosemirror-view'
import { insertPartyInput, setPartyLabelAt } from './commands'
import { fieldOfNode } from './field-focus'
import type { EditorTranslate } from './messages'

/**
 * Input from a party: an editable label ("SSR", "Kommunal") in a text field, then the
 * party's paragraphs. The label is a node attribute, written when the field changes; Enter or
 * Escape in it puts the caret at the end of the party's text.
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
    this.input.name = 'party-label'
    this.input.autocomplete = 'off'
    this.input.addEventListener('change', this.onChange)
    this.input.addEventListener('keydown', this.onKeyDown)
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

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' && event.key !== 'Escape') return
    event.preventDefault()
    this.onChange()
    const pos = this.getPos()
    if (pos === undefined) return
    const end = pos + this.node.nodeSize - 2
    const state = this.view.state
    this.view.dispatch(state.tr.setSelection(TextSelection.near(state.doc.resolve(end), -1)))
    this.view.focus()
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
    this.input.removeEventListener('keydown', this.onKeyDown)
  }
}

/**
 * Inserts input from a party after the block at the cursor and puts the keyboard focus in
 * its label field (the toolbar's and the "/" menu's command): label, Enter, then the text.
 */
export const insertPartyInputAndLabel = (): Command => (state, dispatch, view) => {
  if (!dispatch) return insertPartyInput()(state)
  if (!insertPartyInput()(state, dispatch)) return false
  const { $from } = view?.state.selection ?? state.selection
  const label = fieldOfNode(view, $from.before($from.depth - 1), 'input[name="party-label"]')
  // After the toolbar's own `view.focus()`: the label field must keep the focus.
  if (label !== null) queueMicrotask(() => label.focus())
  return true
}

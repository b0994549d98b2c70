import type { Node as PMNode } from 'prosemirror-model'
import type { EditorView, NodeView, ViewMutationRecord } from 'prosemirror-view'
import { setActionDoneAt, type Ticker } from './commands'
import type { EditorTranslate } from './messages'

export interface ActionItemViewOptions {
  ticker: Ticker
  translate: EditorTranslate
  /** How to show the responsible: a person id becomes initials or a name. Default: as stored. */
  responsibleLabel?: (responsible: string) => string
}

/**
 * An action item: a native checkbox (named after the action's text), the editable text,
 * and a line with responsible and due date. Ticking dispatches an ordinary transaction that
 * changes the node's attributes, so it syncs, and undoes, like any edit.
 */
export class ActionItemView implements NodeView {
  readonly dom: HTMLElement
  readonly contentDOM: HTMLElement
  private readonly checkbox: HTMLInputElement
  private readonly details: HTMLElement
  private node: PMNode

  constructor(
    node: PMNode,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    private readonly options: ActionItemViewOptions,
  ) {
    this.node = node
    const doc = view.dom.ownerDocument
    this.dom = doc.createElement('div')
    this.dom.className = 'action-item'
    const box = doc.createElement('span')
    box.className = 'action-check'
    box.contentEditable = 'false'
    this.checkbox = doc.createElement('input')
    this.checkbox.type = 'checkbox'
    this.checkbox.addEventListener('change', this.onChange)
    box.append(this.checkbox)
    this.contentDOM = doc.createElement('div')
    this.contentDOM.className = 'action-text'
    this.details = doc.createElement('div')
    this.details.className = 'action-details'
    this.details.contentEditable = 'false'
    this.dom.append(box, this.contentDOM, this.details)
    this.render()
  }

  private readonly onChange = (): void => {
    const pos = this.getPos()
    if (pos === undefined) return
    setActionDoneAt(pos, this.checkbox.checked, this.options.ticker)(this.view.state, this.view.dispatch)
    // The node's state decides, not the click: if the command did not apply, undo the click.
    this.checkbox.checked = this.node.attrs.status === 'done'
  }

  private render(): void {
    const { translate } = this.options
    const attrs = this.node.attrs
    const done = attrs.status === 'done'
    this.checkbox.checked = done
    const text = this.node.textContent.trim()
    this.checkbox.setAttribute(
      'aria-label',
      text === '' ? translate('editor.action.checkboxEmpty') : translate('editor.action.checkbox', { text }),
    )
    this.dom.dataset.status = done ? 'done' : 'open'
    const parts: string[] = []
    const responsible = String(attrs.responsible ?? '')
    if (responsible !== '') {
      const name = this.options.responsibleLabel?.(responsible) ?? responsible
      parts.push(translate('editor.action.responsible', { name }))
    }
    const due = String(attrs.due ?? '')
    if (due !== '') parts.push(translate('editor.action.due', { date: due }))
    const checkedBy = String(attrs.checkedBy ?? '')
    if (done && checkedBy !== '') parts.push(translate('editor.action.checkedBy', { name: checkedBy }))
    this.details.textContent = parts.join(' · ')
    this.details.hidden = parts.length === 0
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false
    this.node = node
    this.render()
    return true
  }

  stopEvent(event: Event): boolean {
    return event.target === this.checkbox
  }

  ignoreMutation(mutation: ViewMutationRecord): boolean {
    return mutation.type !== 'selection' && !this.contentDOM.contains(mutation.target)
  }

  destroy(): void {
    this.checkbox.removeEventListener('change', this.onChange)
  }
}

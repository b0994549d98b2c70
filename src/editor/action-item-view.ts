import type { Node as PMNode } from 'prosemirror-model'
import type { EditorView, NodeView, ViewMutationRecord } from 'prosemirror-view'
import { TextSelection } from 'prosemirror-state'
import { setActionAttrsAt, setActionDoneAt, type Ticker } from './commands'
import { normaliseIsoDate } from '../doc/dates'
import type { EditorTranslate } from './messages'

export interface ActionItemViewOptions {
  ticker: Ticker
  translate: EditorTranslate
  /** How to show the responsible: a person id becomes initials or a name. Default: as stored. */
  responsibleLabel?: (responsible: string) => string
  /** Whom the responsible field offers (the meeting's people: value stored, label shown). */
  responsibleChoices?: () => ReadonlyArray<{ value: string; label: string }>
}

let datalistCounter = 0

/**
 * An action item: a native checkbox (named after the action's text), the editable text,
 * and a line with its responsible and due date as fields edited in place. Ticking and the
 * fields dispatch ordinary transactions that change the node's attributes, so they sync, and
 * undo, like any edit; each attribute is its own key, so two people never undo each other.
 *
 * The fields write on `change` (Enter or leaving the field). The due date is ISO
 * (`2026-03-25`, what Swedish minutes write; `2026-3-5` and `20260305` are accepted); anything
 * else is marked invalid and not written. Escape, and Enter in a field, return the caret to
 * the end of the action's text.
 */
export class ActionItemView implements NodeView {
  readonly dom: HTMLElement
  readonly contentDOM: HTMLElement
  private readonly checkbox: HTMLInputElement
  private readonly details: HTMLElement
  private readonly responsible: HTMLInputElement
  private readonly due: HTMLInputElement
  private readonly choices: HTMLDataListElement
  private readonly checked: HTMLElement
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
    const { translate } = options
    this.choices = doc.createElement('datalist')
    this.choices.id = `minutes-responsible-${++datalistCounter}`
    this.responsible = field(doc, 'responsible', translate('editor.action.responsibleLabel'), translate('editor.action.responsiblePlaceholder'))
    this.responsible.setAttribute('list', this.choices.id)
    this.responsible.addEventListener('focus', this.fillChoices)
    this.due = field(doc, 'due', translate('editor.action.dueLabel'), translate('editor.action.duePlaceholder'))
    this.due.inputMode = 'numeric'
    this.due.maxLength = 10
    this.checked = doc.createElement('span')
    this.checked.className = 'action-checked-by'
    this.details.append(this.responsible.parentElement!, this.due.parentElement!, this.checked, this.choices)
    this.details.addEventListener('change', this.onFieldChange)
    this.details.addEventListener('keydown', this.onKeyDown)
    this.dom.append(box, this.contentDOM, this.details)
    this.render()
  }

  private readonly fillChoices = (): void => {
    const choices = this.options.responsibleChoices?.() ?? []
    this.choices.replaceChildren(
      ...choices.map((choice) => {
        const option = this.choices.ownerDocument.createElement('option')
        option.value = this.options.responsibleLabel?.(choice.value) ?? choice.value
        option.label = choice.label
        return option
      }),
    )
  }

  /** What to store for what was typed: a person's id when it names one of the choices. */
  private responsibleValue(typed: string): string {
    const wanted = typed.trim().toLocaleLowerCase()
    if (wanted === '') return ''
    for (const choice of this.options.responsibleChoices?.() ?? []) {
      const shown = (this.options.responsibleLabel?.(choice.value) ?? choice.value).toLocaleLowerCase()
      if (shown === wanted || choice.value.toLocaleLowerCase() === wanted || choice.label.toLocaleLowerCase() === wanted) return choice.value
    }
    return typed.trim()
  }

  private readonly onFieldChange = (event: Event): void => {
    const pos = this.getPos()
    if (pos === undefined || !this.view.editable) return this.render()
    if (event.target === this.responsible) {
      const responsible = this.responsibleValue(this.responsible.value)
      setActionAttrsAt(pos, { responsible })(this.view.state, this.view.dispatch)
      this.responsible.value = responsible === '' ? '' : (this.options.responsibleLabel?.(responsible) ?? responsible)
    } else if (event.target === this.due) {
      const due = normaliseIsoDate(this.due.value)
      this.due.setAttribute('aria-invalid', String(due === null))
      if (due === null) return
      setActionAttrsAt(pos, { due })(this.view.state, this.view.dispatch)
      this.due.value = due
    }
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' && event.key !== 'Enter') return
    event.preventDefault()
    if (event.key === 'Enter') this.onFieldChange(event)
    const pos = this.getPos()
    if (pos === undefined) return
    const end = pos + this.node.nodeSize - 1
    this.view.dispatch(this.view.state.tr.setSelection(TextSelection.create(this.view.state.doc, end)))
    this.view.focus()
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
    const active = this.dom.ownerDocument.activeElement
    // Never overwrite what this person is typing with another value.
    const responsible = String(attrs.responsible ?? '')
    if (active !== this.responsible) this.responsible.value = responsible === '' ? '' : (this.options.responsibleLabel?.(responsible) ?? responsible)
    const due = String(attrs.due ?? '')
    if (active !== this.due) {
      this.due.value = due
      this.due.removeAttribute('aria-invalid')
    }
    this.dom.dataset.due = due
    // Empty fields marked for the locked view's style (no `:has()`: see agenda-item-view.ts).
    this.responsible.parentElement?.classList.toggle('empty', responsible === '')
    this.due.parentElement?.classList.toggle('empty', due === '')
    const checkedBy = String(attrs.checkedBy ?? '')
    this.checked.textContent = done && checkedBy !== '' ? translate('editor.action.checkedBy', { name: checkedBy }) : ''
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false
    this.node = node
    this.render()
    return true
  }

  stopEvent(event: Event): boolean {
    return event.target === this.checkbox || this.details.contains(event.target as Node | null)
  }

  ignoreMutation(mutation: ViewMutationRecord): boolean {
    return mutation.type !== 'selection' && !this.contentDOM.contains(mutation.target)
  }

  destroy(): void {
    this.checkbox.removeEventListener('change', this.onChange)
    this.responsible.removeEventListener('focus', this.fillChoices)
    this.details.removeEventListener('change', this.onFieldChange)
    this.details.removeEventListener('keydown', this.onKeyDown)
  }
}

/** A small labelled text field of the action's detail line; the label wraps it. */
const field = (doc: Document, name: string, label: string, placeholder: string): HTMLInputElement => {
  const wrapper = doc.createElement('label')
  wrapper.className = `action-field action-${name}`
  const text = doc.createElement('span')
  text.textContent = label
  const input = doc.createElement('input')
  input.type = 'text'
  input.name = name
  input.autocomplete = 'off'
  input.placeholder = placeholder
  wrapper.append(text, input)
  return input
}

import type { Node as PMNode } from 'prosemirror-model'
import { TextSelection, type Command } from 'prosemirror-state'
import type { EditorView, NodeView } from 'prosemirror-view'
import { insertAttachment, setAttachmentAttrsAt } from './commands'
import { fieldOfNode } from './field-focus'
import type { EditorTranslate } from './messages'
import { nodeType, safeHref } from '../doc/schema'

/**
 * An attachment reference ("Bilaga: Budgetuppföljning"): a paperclip, its name and an
 * optional link, both edited in place, in the line itself (no dialog). They write on
 * `change` (Enter or leaving the field); Escape and Enter put the caret after the attachment.
 * A link that is not http(s) or mailto is marked invalid and not written. When the meeting is
 * locked the fields refuse the change, and a link opens.
 */
export class AttachmentView implements NodeView {
  readonly dom: HTMLElement
  private readonly name: HTMLInputElement
  private readonly href: HTMLInputElement
  private readonly open: HTMLAnchorElement
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
    this.dom.className = 'attachment'
    this.dom.contentEditable = 'false'
    this.name = input(doc, 'attachment-name', translate('editor.attachment.nameLabel'), translate('editor.attachment.namePlaceholder'))
    this.href = input(doc, 'attachment-link', translate('editor.attachment.linkLabel'), translate('editor.attachment.linkPlaceholder'))
    this.href.type = 'url'
    this.open = doc.createElement('a')
    this.open.className = 'attachment-open'
    this.open.target = '_blank'
    this.open.rel = 'noopener noreferrer'
    this.open.textContent = translate('editor.attachment.open')
    this.dom.append(this.name, this.href, this.open)
    this.dom.addEventListener('change', this.onChange)
    this.dom.addEventListener('keydown', this.onKeyDown)
    this.render()
  }

  private readonly onChange = (event: Event): void => {
    const pos = this.getPos()
    if (pos === undefined || !this.view.editable) return this.render()
    if (event.target === this.name) {
      const name = this.name.value.trim()
      setAttachmentAttrsAt(pos, { name })(this.view.state, this.view.dispatch)
      this.name.value = name
    } else if (event.target === this.href) {
      const typed = this.href.value.trim()
      const valid = typed === '' || safeHref(typed) !== null
      this.href.setAttribute('aria-invalid', String(!valid))
      if (valid) setAttachmentAttrsAt(pos, { href: typed })(this.view.state, this.view.dispatch)
    }
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' && event.key !== 'Enter') return
    event.preventDefault()
    if (event.key === 'Enter') this.onChange(event)
    const pos = this.getPos()
    if (pos === undefined) return
    // The caret goes into the text block after the attachment, or a new paragraph there.
    const after = pos + this.node.nodeSize
    const state = this.view.state
    const next = state.doc.resolve(after).nodeAfter
    const tr = state.tr
    if (next === null || !next.isTextblock) tr.insert(after, nodeType('paragraph').create())
    this.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, after + 1)).scrollIntoView())
    this.view.focus()
  }

  private render(): void {
    const name = String(this.node.attrs.name ?? '')
    const href = String(this.node.attrs.href ?? '')
    const active = this.dom.ownerDocument.activeElement
    // Never overwrite what this person is typing with another value.
    if (active !== this.name) this.name.value = name
    if (active !== this.href) {
      this.href.value = href
      this.href.removeAttribute('aria-invalid')
    }
    const target = safeHref(href)
    if (target === null) this.open.removeAttribute('href')
    else this.open.href = target
    this.open.hidden = target === null
  }

  update(node: PMNode): boolean {
    if (node.type !== this.node.type) return false
    this.node = node
    this.render()
    return true
  }

  stopEvent(event: Event): boolean {
    return event.target !== this.dom && this.dom.contains(event.target as Node | null)
  }

  ignoreMutation(): boolean {
    return true
  }

  destroy(): void {
    this.dom.removeEventListener('change', this.onChange)
    this.dom.removeEventListener('keydown', this.onKeyDown)
  }
}

const input = (doc: Document, name: string, label: string, placeholder: string): HTMLInputElement => {
  const field = doc.createElement('input')
  field.type = 'text'
  field.name = name
  field.autocomplete = 'off'
  field.placeholder = placeholder
  field.setAttribute('aria-label', label)
  return field
}

/**
 * Inserts an attachment after the block at the cursor and puts the keyboard focus in its
 * name field, where the name is typed (the toolbar's and the "/" menu's command).
 */
export const insertAttachmentAndName = (): Command => (state, dispatch, view) => {
  if (!dispatch) return insertAttachment('')(state)
  if (!insertAttachment('')(state, dispatch)) return false
  const name = view === undefined ? null : fieldOfNode(view, view.state.selection.from, 'input[name="attachment-name"]')
  // After the toolbar's own `view.focus()`: the name field must keep the focus.
  if (name !== null) queueMicrotask(() => name.focus())
  return true
}

import type { Node as PMNode } from 'prosemirror-model'
import { TextSelection } from 'prosemirror-state'
import type { EditorView, NodeView, ViewMutationRecord } from 'prosemirror-view'
import type * as Y from 'yjs'
import { setAgendaAttrsAt } from './commands'
import type { EditorMessageKey, EditorTranslate } from './messages'
import { addGuest } from '../doc/attendance'
import { listPeople, observePeople, removePerson } from '../doc/people'
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
 *
 * Below them, the item's guests (people of the meeting who attend this item only): each with
 * a button that removes them, and a field where Enter adds one. They are the meeting's people
 * (`doc/attendance`), so the People tab and the exports list the same guests.
 */
export class AgendaItemView implements NodeView {
  readonly dom: HTMLElement
  readonly contentDOM: HTMLElement
  private readonly head: HTMLElement
  private readonly kind: HTMLSelectElement
  private readonly presenter: HTMLInputElement
  private readonly guests: HTMLElement
  private readonly guestList: HTMLElement
  private readonly guestInput: HTMLInputElement
  private readonly translate: EditorTranslate
  private readonly stopPeople: () => void
  private node: PMNode

  constructor(
    node: PMNode,
    private readonly view: EditorView,
    private readonly getPos: () => number | undefined,
    options: { translate: EditorTranslate; people: Y.Doc | null },
  ) {
    this.node = node
    const { translate, people } = options
    this.translate = translate
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

    this.guests = doc.createElement('div')
    this.guests.className = 'agenda-guests'
    const guestsText = doc.createElement('span')
    guestsText.className = 'agenda-guests-label'
    guestsText.textContent = translate('editor.guests.label')
    this.guestList = doc.createElement('span')
    this.guestList.className = 'agenda-guest-list'
    this.guestInput = doc.createElement('input')
    this.guestInput.type = 'text'
    this.guestInput.name = 'item-guest'
    this.guestInput.autocomplete = 'off'
    this.guestInput.placeholder = translate('editor.guests.placeholder')
    this.guestInput.setAttribute('aria-label', translate('editor.guests.add'))
    this.guests.append(guestsText, this.guestList, this.guestInput)
    this.guests.hidden = people === null
    this.guests.addEventListener('click', this.onGuestClick)

    this.head.append(this.kind, presenterLabel, this.guests)
    this.head.addEventListener('keydown', this.onKeyDown)
    this.people = people
    this.stopPeople = people === null ? () => {} : observePeople(people, () => this.renderGuests())
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

  private readonly people: Y.Doc | null

  private readonly onGuestClick = (event: MouseEvent): void => {
    const button = (event.target as HTMLElement | null)?.closest<HTMLButtonElement>('button[data-guest]')
    if (button == null || this.people === null || !this.view.editable) return
    removePerson(this.people, button.dataset.guest ?? '')
    this.guestInput.focus()
  }

  private addGuest(): void {
    const name = this.guestInput.value.trim()
    const item = String(this.node.attrs.id ?? '')
    if (name === '' || item === '' || this.people === null || !this.view.editable) return
    addGuest(this.people, { name, agendaItem: item })
    this.guestInput.value = ''
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.target === this.guestInput && event.key === 'Enter') {
      event.preventDefault()
      if (this.guestInput.value.trim() !== '') return this.addGuest()
      return this.returnToTitle()
    }
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
    // Classes, not `:has()` in the style sheet: Chromium re-checks `:has()` rules on every DOM
    // change inside the editor, which doubled the time to open a long meeting.
    this.presenter.parentElement?.classList.toggle('empty', presenter === '')
    this.renderGuests()
  }

  private renderGuests(): void {
    if (this.people === null) return
    const item = String(this.node.attrs.id ?? '')
    const guests = item === '' ? [] : listPeople(this.people).filter((person) => person.attendance === 'guest' && person.agendaItem === item)
    const shown = [...this.guestList.querySelectorAll<HTMLButtonElement>('button[data-guest]')].map((button) => `${button.dataset.guest}\u0000${button.dataset.name}`)
    this.guests.classList.toggle('has-guests', guests.length > 0)
    if (shown.join('\u0001') === guests.map((guest) => `${guest.id}\u0000${guest.name}`).join('\u0001')) return
    const doc = this.guestList.ownerDocument
    this.guestList.replaceChildren(
      ...guests.map((guest) => {
        const chip = doc.createElement('span')
        chip.className = 'agenda-guest'
        chip.textContent = guest.name
        const remove = doc.createElement('button')
        remove.type = 'button'
        remove.dataset.guest = guest.id
        remove.dataset.name = guest.name
        remove.textContent = '×'
        remove.setAttribute('aria-label', this.translate('editor.guests.remove', { name: guest.name }))
        chip.append(remove)
        return chip
      }),
    )
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
    this.guests.removeEventListener('click', this.onGuestClick)
    this.stopPeople()
  }
}

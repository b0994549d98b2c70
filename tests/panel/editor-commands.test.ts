// @vitest-environment jsdom
import { TextSelection } from 'prosemirror-state'
import { describe, expect, it } from 'vitest'
import { buildMeeting } from '../../src/doc'
import { createToolbar, insertAgendaItem, setPresenter, setResponsible } from '../../src/editor'
import { agendaTitles, checkbox, click, mountEditor, press, type } from './editor-harness'

const cursorToEndOfFirstTitle = (view: import('prosemirror-view').EditorView): void => {
  const title = view.state.doc.firstChild!.firstChild!
  view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, 2 + title.content.size)))
}

const kindsShown = (mount: HTMLElement): string[] => [...mount.querySelectorAll<HTMLSelectElement>('.agenda-kind')].map((el) => el.value)
const presentersShown = (mount: HTMLElement): string[] =>
  [...mount.querySelectorAll<HTMLInputElement>('.agenda-item-meta input[name="presenter"]')].map((el) => el.value)

describe('writing minutes', () => {
  it('starts a new meeting with one numbered agenda item to type the title into', () => {
    const { view, mount } = mountEditor()
    type(view, 'Incheckning')
    expect(agendaTitles(view)).toEqual(['Incheckning'])
    expect(mount.querySelector('.agenda-item h2.agenda-title')?.textContent).toBe('Incheckning')
  })

  it('turns "[] " into an action with a checkbox named after its text', () => {
    const { view, mount } = mountEditor()
    type(view, 'Skolval')
    press(view, 'Enter')
    type(view, '[] Boka resa till Västerås')
    const action = view.state.doc.firstChild!.child(1)
    expect(action.type.name).toBe('action_item')
    expect(action.textContent).toBe('Boka resa till Västerås')
    expect(action.attrs.status).toBe('open')
    expect(action.attrs.id).not.toBe('')
    expect(checkbox(mount, 'Done: Boka resa till Västerås').checked).toBe(false)
  })

  it('turns "Beslut: " and "Decision: " into a decision block', () => {
    const { view, mount } = mountEditor()
    type(view, 'Kort, kort')
    press(view, 'Enter')
    type(view, 'Beslut: Ledningsgruppen tog beslut om att tacka ja.')
    press(view, 'Enter')
    type(view, 'Decision: We join.')
    const item = view.state.doc.firstChild!
    expect(item.child(1).type.name).toBe('decision')
    expect(item.child(1).textContent).toBe('Ledningsgruppen tog beslut om att tacka ja.')
    expect(item.child(2).type.name).toBe('decision')
    expect(mount.querySelectorAll('p.decision')).toHaveLength(2)
  })

  it('makes bullet and numbered lists from "- ", "* " and "1. ", and nests them with Tab', () => {
    const { view, mount } = mountEditor()
    type(view, 'Mål och Ekonomi')
    press(view, 'Enter')
    type(view, '- Resultat +21,5 mkr')
    press(view, 'Enter')
    type(view, 'Utfall per verksamhet')
    press(view, 'Enter')
    expect(press(view, 'Tab')).toBe(true)
    type(view, 'förskola - 4,4mkr')
    expect(mount.querySelector('ul > li ul > li')?.textContent).toBe('förskola - 4,4mkr')
    expect(press(view, 'Shift-Tab')).toBe(true)
    expect(mount.querySelectorAll('ul ul li')).toHaveLength(0)
    press(view, 'Enter')
    press(view, 'Enter')
    type(view, '1. första')
    expect(mount.querySelector('ol > li')?.textContent).toBe('första')
    type(view, '')
    const more = mountEditor()
    type(more.view, 'x')
    press(more.view, 'Enter')
    type(more.view, '* stjärna')
    expect(more.mount.querySelector('ul > li')?.textContent).toBe('stjärna')
  })

  it('ticks and unticks the action at the cursor with Mod-Enter, recording who and when', () => {
    const { view, mount } = mountEditor({ user: { name: 'Ingrid Nyman' } })
    type(view, 'Politik')
    press(view, 'Enter')
    type(view, '[] Kalla till möte')
    expect(press(view, 'Mod-Enter')).toBe(true)
    const action = () => view.state.doc.firstChild!.child(1)
    expect(action().attrs).toMatchObject({ status: 'done', checkedBy: 'Ingrid Nyman', checkedAt: '2023-02-27T09:30:00.000Z' })
    expect(checkbox(mount, 'Done: Kalla till möte').checked).toBe(true)
    expect(mount.querySelector('.action-details')?.textContent).toContain('Ticked by Ingrid Nyman')
    press(view, 'Mod-Enter')
    expect(action().attrs).toMatchObject({ status: 'open', checkedBy: '', checkedAt: '' })
    expect(checkbox(mount, 'Done: Kalla till möte').checked).toBe(false)
  })

  it('does nothing on Mod-Enter outside an action', () => {
    const { view } = mountEditor()
    type(view, 'Titel')
    expect(press(view, 'Mod-Enter')).toBe(false)
  })

  it('ticks an action by clicking its checkbox', () => {
    const { view, mount } = mountEditor({ user: { name: 'Marie Krantz' } })
    type(view, 'Punkt')
    press(view, 'Enter')
    type(view, '[] Skicka underlag')
    click(checkbox(mount, 'Done: Skicka underlag'))
    expect(view.state.doc.firstChild!.child(1).attrs.checkedBy).toBe('Marie Krantz')
  })

  it('continues a run of actions with Enter and leaves it on an empty one', () => {
    const { view } = mountEditor()
    type(view, 'Punkt')
    press(view, 'Enter')
    type(view, '[] Första')
    press(view, 'Enter')
    type(view, 'Andra')
    press(view, 'Enter')
    press(view, 'Enter')
    type(view, 'Vanlig text')
    const item = view.state.doc.firstChild!
    expect([1, 2, 3].map((i) => item.child(i).type.name)).toEqual(['action_item', 'action_item', 'paragraph'])
    expect(item.child(1).attrs.id).not.toBe(item.child(2).attrs.id)
  })

  it('adds a new agenda item after the current one with Mod-Shift-Enter, numbered by position', () => {
    const { view, mount } = mountEditor()
    type(view, 'Första')
    press(view, 'Enter')
    type(view, 'text')
    cursorToEndOfFirstTitle(view)
    expect(press(view, 'Mod-Shift-Enter')).toBe(true)
    type(view, 'Andra')
    expect(agendaTitles(view)).toEqual(['Första', 'Andra'])
    expect(mount.querySelectorAll('section.agenda-item')).toHaveLength(2)
  })

  it('sets kind and presenter of the item at the cursor, shown under its title', () => {
    const { view, mount } = mountEditor()
    type(view, 'Skolval - Utfall')
    insertAgendaItem('decision')(view.state, view.dispatch)
    setPresenter('Mats Nilsson')(view.state, view.dispatch)
    const item = view.state.doc.child(1)
    expect(item.attrs).toMatchObject({ kind: 'decision', presenter: 'Mats Nilsson' })
    expect(kindsShown(mount)).toEqual(['information', 'decision'])
    expect(presentersShown(mount)).toEqual(['', 'Mats Nilsson'])
  })

  it('edits kind and presenter in place, in the header of the item', () => {
    const { view, mount } = mountEditor()
    type(view, 'Skolval')
    insertAgendaItem()(view.state, view.dispatch)
    type(view, 'Budget')
    const second = mount.querySelectorAll('.agenda-item-meta')[1]!
    const kind = second.querySelector('select')!
    kind.value = 'dialog'
    kind.dispatchEvent(new Event('change', { bubbles: true }))
    const presenter = second.querySelector<HTMLInputElement>('input[name="presenter"]')!
    presenter.value = '  Birgitta Forssman '
    presenter.dispatchEvent(new Event('change', { bubbles: true }))
    expect(view.state.doc.child(1).attrs).toMatchObject({ kind: 'dialog', presenter: 'Birgitta Forssman' })
    expect(view.state.doc.child(0).attrs).toMatchObject({ kind: 'information', presenter: '' })
    expect(mount.querySelectorAll('section.agenda-item')[1]!.getAttribute('data-kind')).toBe('dialog')
    expect(agendaTitles(view)).toEqual(['Skolval', 'Budget'])
  })

  it('edits the responsible of an action (initials of a person become their id) and its due date in place; a date that does not exist is refused', () => {
    const { view, mount } = mountEditor({
      responsibleChoices: () => [{ value: 'person-co', label: 'CO – Christian Olsson' }],
      responsibleLabel: (value) => (value === 'person-co' ? 'CO' : value),
    })
    type(view, 'Skolval')
    press(view, 'Enter')
    type(view, '[] Återkoppla till gruppen')
    const responsible = mount.querySelector<HTMLInputElement>('.action-details input[name="responsible"]')!
    responsible.value = 'co'
    responsible.dispatchEvent(new Event('change', { bubbles: true }))
    const due = mount.querySelector<HTMLInputElement>('.action-details input[name="due"]')!
    due.value = '2026-3-5'
    due.dispatchEvent(new Event('change', { bubbles: true }))
    const action = () => view.state.doc.firstChild!.child(1)
    expect(action().attrs).toMatchObject({ responsible: 'person-co', due: '2026-03-05' })
    expect(responsible.value).toBe('CO')
    expect(due.value).toBe('2026-03-05')
    due.value = '2026-02-30'
    due.dispatchEvent(new Event('change', { bubbles: true }))
    expect(due.getAttribute('aria-invalid')).toBe('true')
    expect(action().attrs.due).toBe('2026-03-05')
  })

  it('sets the responsible of an action, and refuses outside an action', () => {
    const { view, mount } = mountEditor()
    type(view, 'Punkt')
    expect(setResponsible('AA')(view.state)).toBe(false)
    press(view, 'Enter')
    type(view, '[] Dialog kring gruppindelning')
    expect(setResponsible('AA')(view.state, view.dispatch)).toBe(true)
    expect(mount.querySelector<HTMLInputElement>('.action-details input[name="responsible"]')?.value).toBe('AA')
  })

  it('offers a toolbar whose buttons are enabled only where they apply', () => {
    const { view } = mountEditor()
    const toolbar = createToolbar({ ticker: { name: 'Anna' } })
    const byId = (id: string) => toolbar.find((item) => item.id === id)!
    type(view, 'Punkt')
    expect(byId('toggleAction').isEnabled(view.state)).toBe(false)
    expect(byId('agendaItem').isEnabled(view.state)).toBe(true)
    byId('action').command(view.state, view.dispatch)
    type(view, 'Ring HR')
    expect(byId('toggleAction').isEnabled(view.state)).toBe(true)
    expect(byId('action').isActive?.(view.state)).toBe(true)
    expect(new Set(toolbar.map((item) => item.labelKey)).size).toBe(toolbar.length)
  })

  it('writes input from a party with an editable label', () => {
    const { view, mount } = mountEditor()
    type(view, 'Avslutsamtal')
    const toolbar = createToolbar({ ticker: { name: 'Anna' } })
    toolbar.find((item) => item.id === 'partyInput')!.command(view.state, view.dispatch)
    type(view, 'SSR tycker att det låter logiskt.')
    const label = mount.querySelector<HTMLInputElement>('.party-input input')!
    expect(label.getAttribute('aria-label')).toBe('Party')
    label.value = 'SSR'
    label.dispatchEvent(new Event('change'))
    const party = view.state.doc.firstChild!.child(1)
    expect(party.type.name).toBe('party_input')
    expect(party.attrs.label).toBe('SSR')
    expect(party.textContent).toBe('SSR tycker att det låter logiskt.')
  })

  it('renders only web links for attachments a peer wrote', () => {
    const { view, doc, mount } = mountEditor()
    buildMeeting(doc, {
      items: [
        {
          title: 'Statsbidrag',
          blocks: [
            { type: 'attachment', name: 'Bilaga 1', href: 'javascript:alert(1)' },
            { type: 'attachment', name: 'Bilaga 2', href: 'https://example.org/b2.pdf' },
          ],
        },
      ],
    })
    expect(view.state.doc.firstChild!.childCount).toBe(3)
    const links = [...mount.querySelectorAll('.attachment a[href]')].map((a) => a.getAttribute('href'))
    expect(links).toEqual(['https://example.org/b2.pdf'])
    expect(mount.querySelector<HTMLInputElement>('.attachment input[name="attachment-name"]')?.value).toBe('Bilaga 1')
  })
})

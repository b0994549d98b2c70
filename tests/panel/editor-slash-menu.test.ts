// @vitest-environment jsdom
import { TextSelection } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { describe, expect, it } from 'vitest'
import { createMeetingDoc } from '../../src/doc'
import { filterSlashCommands, insertAction, insertDecision, slashMenuKey, type SlashCommand, type SlashMenuOptions } from '../../src/editor'
import { connect } from './doc-exchange'
import { mountEditor, press, type } from './editor-harness'

const commands: SlashCommand[] = [
  { id: 'item-decision', label: 'Punkt: Beslut', command: insertDecision() },
  { id: 'decision', label: 'Beslut', command: insertDecision() },
  { id: 'action', label: 'Åtgärd', command: insertAction() },
]
const slashMenu: SlashMenuOptions = { commands: () => commands, label: 'Infoga', empty: (query) => `Inget matchar ${query}` }

const menuOf = (view: EditorView) => slashMenuKey.getState(view.state)
const body = (view: EditorView) => view.state.doc.firstChild!

describe('the "/" menu', () => {
  it('filters by every typed word, ignoring case and accents, labels that start with it first', () => {
    expect(filterSlashCommands(commands, 'beslut').map((c) => c.id)).toEqual(['decision', 'item-decision'])
    expect(filterSlashCommands(commands, 'ATGARD').map((c) => c.id)).toEqual(['action'])
    expect(filterSlashCommands(commands, 'punkt bes').map((c) => c.id)).toEqual(['item-decision'])
    expect(filterSlashCommands(commands, '').length).toBe(3)
  })

  it('opens on "/" in an empty paragraph, runs the active entry on Enter and removes "/query"', () => {
    const { view } = mountEditor({ slashMenu })
    type(view, 'Budget')
    press(view, 'Enter')
    type(view, '/bes')
    expect(menuOf(view)).toMatchObject({ query: 'bes', index: 0 })
    expect(view.dom.getAttribute('aria-activedescendant')).toMatch(/-decision$/)
    press(view, 'Enter')
    expect(menuOf(view)).toBeNull()
    expect(body(view).child(1).type.name).toBe('decision')
    expect(body(view).child(1).textContent).toBe('')
  })

  it('Escape keeps the "/" as typed; mid-word "/" is only text', () => {
    const { view } = mountEditor({ slashMenu })
    type(view, 'Budget')
    press(view, 'Enter')
    type(view, 'och/eller /x')
    expect(menuOf(view)).toMatchObject({ query: 'x' })
    press(view, 'Escape')
    expect(menuOf(view)).toBeNull()
    type(view, 'y')
    expect(menuOf(view)).toBeNull()
    expect(body(view).child(1).textContent).toBe('och/eller /xy')
  })

  it('keeps its place and query through a remote change before it in the same paragraph', () => {
    const a = mountEditor({ slashMenu })
    const b = mountEditor({ doc: createMeetingDoc() })
    const stop = connect(a.doc, b.doc)
    type(a.view, 'Budget')
    press(a.view, 'Enter')
    type(a.view, 'Text /åt')
    const before = menuOf(a.view)!
    // B types at the start of A's paragraph: every position after it shifts by four.
    const start = b.view.state.doc.firstChild!.child(0).nodeSize + 2
    b.view.dispatch(b.view.state.tr.setSelection(TextSelection.create(b.view.state.doc, start)).insertText('Bo: '))
    expect(body(a.view).child(1).textContent).toBe('Bo: Text /åt')
    expect(menuOf(a.view)).toEqual({ ...before, from: before.from + 4 })
    press(a.view, 'Enter')
    expect(body(a.view).child(1).type.name).toBe('action_item')
    expect(body(a.view).child(1).textContent).toBe('Bo: Text ')
    stop()
  })
})

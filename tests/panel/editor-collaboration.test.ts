// @vitest-environment jsdom
import { TextSelection } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { describe, expect, it } from 'vitest'
import { buildMeeting, createMeetingDoc } from '../../src/doc'
import { checkbox, click, mountEditor, press, type } from './editor-harness'
import { connect, exchange } from './doc-exchange'

const twoActions = {
  items: [
    {
      title: 'Politik',
      blocks: [
        { type: 'action' as const, text: 'Kalla till möte', responsible: 'RN' },
        { type: 'action' as const, text: 'Titta på avtalet', responsible: 'KL' },
      ],
    },
  ],
}

/** Two attendees, each with their own doc and editor, starting from the same synced content. */
const twoAttendees = () => {
  const docA = createMeetingDoc()
  buildMeeting(docA, twoActions)
  const docB = createMeetingDoc()
  exchange(docA, docB)
  const a = mountEditor({ doc: docA, user: { name: 'Annika' } })
  const b = mountEditor({ doc: docB, user: { name: 'Katarina' } })
  return { a, b }
}

const actionAttrs = (view: EditorView) => {
  const out: Record<string, unknown>[] = []
  view.state.doc.descendants((node) => {
    if (node.type.name === 'action_item') out.push({ text: node.textContent, ...node.attrs })
  })
  return out
}

const endOf = (view: EditorView, text: string): number => {
  let found = -1
  view.state.doc.descendants((node, pos) => {
    if (node.isTextblock && node.textContent === text) found = pos + 1 + node.content.size
  })
  if (found < 0) throw new Error(`no block with text ${text}`)
  return found
}

describe('two attendees in the same minutes', () => {
  it('keeps both ticks when two attendees tick different actions at the same moment', () => {
    const { a, b } = twoAttendees()
    // Offline from each other while they click: neither has seen the other's tick.
    click(checkbox(a.mount, 'Done: Kalla till möte'))
    click(checkbox(b.mount, 'Done: Titta på avtalet'))
    exchange(a.doc, b.doc)
    for (const { mount, view } of [a, b]) {
      expect(checkbox(mount, 'Done: Kalla till möte').checked).toBe(true)
      expect(checkbox(mount, 'Done: Titta på avtalet').checked).toBe(true)
      expect(actionAttrs(view).map((x) => x.checkedBy)).toEqual(['Annika', 'Katarina'])
    }
  })

  it('converges when two attendees tick the same action at the same moment', () => {
    const { a, b } = twoAttendees()
    click(checkbox(a.mount, 'Done: Kalla till möte'))
    click(checkbox(b.mount, 'Done: Kalla till möte'))
    exchange(a.doc, b.doc)
    expect(actionAttrs(a.view)).toEqual(actionAttrs(b.view))
    expect(checkbox(a.mount, 'Done: Kalla till möte').checked).toBe(true)
    expect(['Annika', 'Katarina']).toContain(actionAttrs(a.view)[0]!.checkedBy)
    expect(checkbox(a.mount, 'Done: Titta på avtalet').checked).toBe(false)
  })

  it('keeps a tick made while the other attendee edits the text of the same action', () => {
    const { a, b } = twoAttendees()
    click(checkbox(a.mount, 'Done: Titta på avtalet'))
    b.view.dispatch(b.view.state.tr.insertText(' med Mathem', endOf(b.view, 'Titta på avtalet')))
    exchange(a.doc, b.doc)
    for (const { mount } of [a, b]) {
      expect(checkbox(mount, 'Done: Titta på avtalet med Mathem').checked).toBe(true)
    }
  })

  it('shows what one attendee types to the other as they type', () => {
    const { a, b } = twoAttendees()
    const disconnect = connect(a.doc, b.doc)
    a.view.dispatch(a.view.state.tr.setSelection(TextSelection.create(a.view.state.doc, endOf(a.view, 'Politik'))))
    press(a.view, 'Enter')
    type(a.view, 'Annika informerar.')
    expect(b.mount.textContent).toContain('Annika informerar.')
    disconnect()
  })

  it('undoes only your own change with Mod-Z, and redoes it with Mod-Shift-Z', () => {
    const { a, b } = twoAttendees()
    const disconnect = connect(a.doc, b.doc)
    a.view.dispatch(a.view.state.tr.insertText(' (AA)', endOf(a.view, 'Kalla till möte')))
    b.view.dispatch(b.view.state.tr.insertText(' snarast', endOf(b.view, 'Titta på avtalet')))
    expect(press(a.view, 'Mod-z')).toBe(true)
    for (const { view } of [a, b]) {
      expect(actionAttrs(view).map((x) => x.text)).toEqual(['Kalla till möte', 'Titta på avtalet snarast'])
    }
    expect(press(a.view, 'Mod-Shift-z')).toBe(true)
    expect(actionAttrs(b.view).map((x) => x.text)).toEqual(['Kalla till möte (AA)', 'Titta på avtalet snarast'])
    disconnect()
  })

  it('undoes your own tick without touching the other attendee\'s', () => {
    const { a, b } = twoAttendees()
    const disconnect = connect(a.doc, b.doc)
    click(checkbox(a.mount, 'Done: Kalla till möte'))
    click(checkbox(b.mount, 'Done: Titta på avtalet'))
    press(a.view, 'Mod-z')
    for (const { mount } of [a, b]) {
      expect(checkbox(mount, 'Done: Kalla till möte').checked).toBe(false)
      expect(checkbox(mount, 'Done: Titta på avtalet').checked).toBe(true)
    }
    disconnect()
  })

  it('drops a list that two attendees emptied at the same moment and keeps everything else', () => {
    const docA = createMeetingDoc()
    buildMeeting(docA, { items: [{ title: 'Punkt', blocks: [{ type: 'bullets', items: ['ett', 'två'] }, { type: 'paragraph', text: 'slut' }] }] })
    const docB = createMeetingDoc()
    exchange(docA, docB)
    const a = mountEditor({ doc: docA })
    const b = mountEditor({ doc: docB })
    const deleteListItem = (view: EditorView, text: string): void => {
      view.state.doc.descendants((node, pos) => {
        if (node.type.name === 'list_item' && node.textContent === text) {
          view.dispatch(view.state.tr.delete(pos, pos + node.nodeSize))
        }
        return true
      })
    }
    deleteListItem(a.view, 'ett')
    deleteListItem(b.view, 'två')
    exchange(a.doc, b.doc)
    exchange(a.doc, b.doc)
    for (const { view, mount } of [a, b]) {
      expect(() => view.state.doc.check()).not.toThrow()
      expect(mount.querySelectorAll('ul')).toHaveLength(0)
      expect(view.state.doc.firstChild!.lastChild!.textContent).toBe('slut')
    }
  })
})

describe('a merge the schema does not allow', () => {
  it('keeps a party input (and its label) that two attendees emptied at the same moment', () => {
    const docA = createMeetingDoc()
    buildMeeting(docA, { items: [{ title: 'Formeringen', blocks: [{ type: 'party', label: 'SSR', paragraphs: ['ett', 'två'] }] }] })
    const docB = createMeetingDoc()
    exchange(docA, docB)
    const a = mountEditor({ doc: docA })
    const b = mountEditor({ doc: docB })
    const deleteParagraph = (view: EditorView, text: string): void => {
      view.state.doc.descendants((node, pos) => {
        if (node.type.name === 'paragraph' && node.textContent === text) {
          view.dispatch(view.state.tr.delete(pos, pos + node.nodeSize))
        }
        return true
      })
    }
    deleteParagraph(a.view, 'ett')
    deleteParagraph(b.view, 'två')
    exchange(a.doc, b.doc)
    exchange(a.doc, b.doc)
    for (const { view, mount } of [a, b]) {
      expect(() => view.state.doc.check()).not.toThrow()
      expect(mount.querySelector<HTMLInputElement>('.party-input input')?.value).toBe('SSR')
      // Somewhere to type the party's input again.
      expect(mount.querySelectorAll('.party-input-body p').length).toBeGreaterThan(0)
    }
    expect(a.view.state.doc.toJSON()).toEqual(b.view.state.doc.toJSON())
  })
})

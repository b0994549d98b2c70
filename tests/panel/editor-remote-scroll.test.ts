// @vitest-environment jsdom
import { TextSelection } from 'prosemirror-state'
import { describe, expect, it, vi } from 'vitest'
import { ySyncPluginKey } from 'y-prosemirror'
import { buildMeeting, createMeetingDoc } from '../../src/doc'
import { mountEditor } from './editor-harness'

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()))

const focusedEditor = () => {
  const doc = createMeetingDoc()
  buildMeeting(doc, { items: [{ title: 'Ekonomi', blocks: [{ type: 'paragraph', text: 'Budgeten' }] }] })
  const { view } = mountEditor({ doc })
  // jsdom focuses only elements with a tab index, not contenteditable ones.
  view.dom.tabIndex = 0
  view.focus()
  view.dispatch(view.state.tr.setSelection(TextSelection.atEnd(view.state.doc)))
  return view
}

describe('keeping the caret in view while others type (benchmark 8)', () => {
  it('measures the caret once in the next frame for a burst of remote changes, not once per change', async () => {
    const view = focusedEditor()
    const measured = vi.spyOn(view, 'coordsAtPos')
    // What y-prosemirror dispatches for each remote change while the local caret is in view
    // (in a browser; under Node it never asks to scroll).
    for (let i = 0; i < 20; i++) view.dispatch(view.state.tr.setMeta(ySyncPluginKey, { isChangeOrigin: true }).scrollIntoView())
    expect(measured).not.toHaveBeenCalled()
    await nextFrame()
    expect(measured).toHaveBeenCalledTimes(1)
  })

  it('scrolls to the caret at once for our own changes', () => {
    const view = focusedEditor()
    const measured = vi.spyOn(view, 'coordsAtPos')
    view.dispatch(view.state.tr.insertText('!').scrollIntoView())
    expect(measured).toHaveBeenCalledTimes(1)
  })
})

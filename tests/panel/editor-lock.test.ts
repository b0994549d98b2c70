// @vitest-environment jsdom
import { describe, expect, it, onTestFinished } from 'vitest'
import { buildMeeting, createMeetingDoc, getBody } from '../../src/doc'
import { lockKey, type LockOptions } from '../../src/editor'
import { connect, exchange } from './doc-exchange'
import { mountEditor, type } from './editor-harness'

/** A lock the test flips, as the adjustment flips a meeting's; counts who listens. */
const testLock = (locked: boolean) => {
  const listeners = new Set<() => void>()
  const options: LockOptions = {
    isLocked: () => locked,
    observe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  return {
    options,
    listeners,
    set: (next: boolean) => {
      locked = next
      for (const listener of [...listeners]) listener()
    },
  }
}

const meeting = () => {
  const doc = createMeetingDoc()
  buildMeeting(doc, { items: [{ title: 'Budget', blocks: [{ type: 'paragraph', text: 'Utfall' }] }] })
  return doc
}


describe('the editor’s lock (an adjusted meeting is read-only)', () => {
  it('refuses a local edit while locked: neither the editor nor the Y.Doc changes', () => {
    const doc = meeting()
    const lock = testLock(true)
    const { view } = mountEditor({ doc, lock: lock.options })
    const before = view.state.doc
    const stored = getBody(doc).toString()
    type(view, 'x')
    view.dispatch(view.state.tr.insertText('Ändrat ', 1))
    expect(view.state.doc.eq(before)).toBe(true)
    expect(getBody(doc).toString()).toBe(stored)
  })

  it('still applies a change from another attendee while locked', () => {
    const docA = meeting()
    const docB = createMeetingDoc()
    exchange(docA, docB)
    const lock = testLock(true)
    const a = mountEditor({ doc: docA })
    const b = mountEditor({ doc: docB, lock: lock.options })
    onTestFinished(connect(docA, docB))
    a.view.dispatch(a.view.state.tr.insertText('Protokoll ', 2))
    expect(a.view.state.doc.textContent).toBe('Protokoll BudgetUtfall')
    expect(b.view.state.doc.textContent).toBe('Protokoll BudgetUtfall')
    expect(b.view.editable).toBe(false)
  })

  it('makes the text editable again, and edits apply again, when the lock flips back; not editable when it flips on', () => {
    const doc = meeting()
    const lock = testLock(false)
    const { view, mount } = mountEditor({ doc, lock: lock.options })
    const text = () => mount.querySelector('.ProseMirror')!
    expect(view.editable).toBe(true)
    expect(text().getAttribute('contenteditable')).toBe('true')

    lock.set(true)
    expect(lockKey.getState(view.state)).toBe(true)
    expect(view.editable).toBe(false)
    expect(text().getAttribute('contenteditable')).toBe('false')
    view.dispatch(view.state.tr.insertText('Nej ', 2))
    expect(view.state.doc.textContent).not.toContain('Nej ')

    lock.set(false)
    expect(view.editable).toBe(true)
    expect(text().getAttribute('contenteditable')).toBe('true')
    view.dispatch(view.state.tr.insertText('Ja ', 2))
    expect(view.state.doc.textContent).toContain('Ja ')
    expect(getBody(doc).toString()).toContain('Ja ')
  })

  it('stops listening to the lock when the editor is destroyed', () => {
    const lock = testLock(false)
    const { editor } = mountEditor({ lock: lock.options })
    expect(lock.listeners.size).toBe(1)
    editor.destroy()
    expect(lock.listeners.size).toBe(0)
  })
})

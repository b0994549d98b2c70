// @vitest-environment jsdom
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { buildMeeting, createMeetingDoc } from '../../src/doc'
import { mountEditor } from './editor-harness'

const STYLE_SHEETS = ['src/editor/editor.css', 'entrypoints/sidepanel/style.css']

describe('empty fields of items and actions', () => {
  it('are marked by a class, so a locked meeting hides them without :has()', () => {
    const doc = createMeetingDoc()
    buildMeeting(doc, {
      items: [
        { title: 'Budget', presenter: 'Mats Nilsson', blocks: [{ type: 'action', text: 'Skicka underlaget', responsible: 'MK', due: '2026-03-25' }] },
        { title: 'Övrigt', blocks: [{ type: 'action', text: 'Boka lokal' }] },
      ],
    })
    const { mount } = mountEditor({ doc })
    const presenters = [...mount.querySelectorAll('.agenda-presenter')].map((label) => label.classList.contains('empty'))
    expect(presenters).toEqual([false, true])
    const fields = [...mount.querySelectorAll('.action-field')].map((label) => `${label.querySelector('input')!.name}:${label.classList.contains('empty')}`)
    expect(fields).toEqual(['responsible:false', 'due:false', 'responsible:true', 'due:true'])
  })

  it.each(STYLE_SHEETS)('%s uses no :has() (Chromium re-checks it on every change inside the editor; a 5,000-paragraph meeting opened in twice the time)', (file) => {
    expect(readFileSync(file, 'utf8')).not.toMatch(/:has\(/)
  })
})

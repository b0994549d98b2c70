// @vitest-environment jsdom
import { h, render, type VNode } from 'preact'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { approve, buildMeeting, contentHash, createMeetingDoc, getBody, getMeta, getPerson, isLocked, markFinal, writeApproval, writeFinal, writeReopening } from '../../src/doc'
import { MessageType, type AdjustmentRequest } from '../../src/protocol'
import { getApprovalsMap } from '../../src/doc/adjustment'
import { Origin } from '../../src/doc/origins'
import { AdjustmentPanel } from '../../src/ui/adjustment-panel'
import { AttendanceList } from '../../src/ui/attendance-list'
import { createI18n, I18nContext } from '../../src/ui/i18n-context'
import type { AdjustmentRequests, PresencePeer } from '../../src/ui/panel-services'
import { createStore } from '../../src/ui/store'
import { mountMinutesEditor } from '../../src/ui/editor-mount'
import { createTranslator } from '../../src/ui/i18n'
import './editor-harness'

const NOW = new Date('2023-09-25T10:00:00Z')
const cleanups: Array<() => void> = []
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!()
  document.body.replaceChildren()
})

const meeting = () => {
  const doc = createMeetingDoc()
  buildMeeting(doc, {
    meta: { secretary: 'Ingrid Nyman' },
    people: [
      { id: 'cc', name: 'Cecilia Cederström', initials: 'CC', adjuster: true },
      { id: 'in', name: 'Ingrid Nyman' },
    ],
    items: [{ id: 'a', title: 'Val av justerare', blocks: [{ type: 'action', text: 'Skicka ut', responsible: 'cc' }] }],
  })
  return doc
}

const show = (node: VNode<any>) => {
  const container = document.createElement('div')
  document.body.append(container)
  act(() => render(h(I18nContext.Provider, { value: createI18n('sv') }, node), container))
  cleanups.push(() => render(null, container))
  return container
}

const click = (element: Element | null) => {
  if (element === null) throw new Error('no such element')
  act(() => {
    ;(element as HTMLElement).click()
  })
}

describe('the panel when the minutes are adjusted', () => {
  it('the editor is not editable once the meeting is locked, and typing or ticking changes nothing', () => {
    const doc = meeting()
    const mount = document.createElement('div')
    document.body.append(mount)
    const editor = mountMinutesEditor({
      mount,
      doc,
      awareness: null,
      t: createTranslator('sv'),
      user: { name: 'Ingrid Nyman', color: '#000000' },
    })
    cleanups.push(() => editor.destroy())
    const view = mount.querySelector('.ProseMirror')!
    expect(view.getAttribute('contenteditable')).toBe('true')
    // The responsible, stored as a person id, shows as that person's initials.
    expect(mount.querySelector<HTMLInputElement>('.action-details input[name="responsible"]')!.value).toContain('CC')

    markFinal(doc, { name: 'Ingrid Nyman', now: NOW })
    approve(doc, 'cc', { name: 'Cecilia Cederström', now: NOW })
    expect(isLocked(doc)).toBe(true)
    expect(view.getAttribute('contenteditable')).toBe('false')
    expect(editor.toolbar.get().buttons.every((button) => !button.enabled)).toBe(true)

    const before = getBody(doc).toString()
    const state = editor.state!.get()
    expect(editor.run!((s, dispatch) => (dispatch?.(s.tr.insertText('Ändrat ', 1)), true))).toBe(false)
    click(mount.querySelector('.action-item input[type="checkbox"]'))
    const kind = mount.querySelector<HTMLSelectElement>('.agenda-kind')!
    kind.value = 'dialog'
    kind.dispatchEvent(new Event('change', { bubbles: true }))
    const due = mount.querySelector<HTMLInputElement>('.action-details input[name="due"]')!
    due.value = '2030-01-01'
    due.dispatchEvent(new Event('change', { bubbles: true }))
    expect(kind.value).not.toBe('dialog')
    editor.toolbar.get().buttons.find((button) => button.id === 'agendaItem')!.run()
    expect(getBody(doc).toString()).toBe(before)
    expect(editor.state!.get().doc.eq(state.doc)).toBe(true)
  })

  it('the secretary marks final, the adjuster approves in their panel, and the panel shows the lock', () => {
    const doc = meeting()
    const secretary = show(h(AdjustmentPanel, { doc, selfName: 'Ingrid Nyman', now: () => NOW }))
    expect(secretary.querySelector('.approve')).toBeNull()
    click(secretary.querySelector('.mark-final'))
    expect(getMeta(doc).status).toBe('final')
    expect(secretary.querySelector('.pending')!.textContent).toBe('Cecilia Cederström har inte justerat ännu')

    const adjuster = show(h(AdjustmentPanel, { doc, selfName: 'cecilia cederström', now: () => NOW }))
    click(adjuster.querySelector('.approve'))
    expect(isLocked(doc)).toBe(true)
    expect(secretary.querySelector('.adjustment')!.getAttribute('data-state')).toBe('locked')
    expect(secretary.querySelector('.approved')!.textContent).toMatch(/Cecilia Cederström justerade/)
  })

  it('a reopening asks for a reason, goes to the server, and the panel then lists what changed', () => {
    const doc = meeting()
    markFinal(doc, { name: 'Ingrid Nyman', now: NOW })
    approve(doc, 'cc', { name: 'Cecilia Cederström', now: NOW })
    const sent: string[] = []
    const panel = show(h(AdjustmentPanel, { doc, selfName: 'Ingrid Nyman', reopen: (reason: string) => sent.push(reason) > 0, now: () => NOW }))
    click(panel.querySelector('button.reopen'))
    const reason = panel.querySelector<HTMLTextAreaElement>('textarea[name="reopen-reason"]')!
    act(() => {
      reason.value = 'Fel datum'
      reason.dispatchEvent(new Event('input', { bubbles: true }))
    })
    act(() => {
      panel.querySelector('form.reopen-form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    })
    expect(sent).toEqual(['Fel datum'])

    // The server's answer, written with the server's own writer (SPEC L3, J9), then an edit of the item's title.
    act(() => writeReopening(doc, { by: { name: 'Ingrid Nyman', memberId: 'm-ingrid' }, reason: 'Fel datum', now: NOW }, Origin.server))
    expect(getMeta(doc).status).toBe('draft')
    act(() => {
      const title = (getBody(doc).get(0) as Y.XmlElement).get(0) as Y.XmlElement
      ;(title.get(0) as Y.XmlText).insert(0, 'Ny: ')
    })
    const lines = [...panel.querySelectorAll('.diff-lines li')].map((li) => [li.getAttribute('data-kind'), li.textContent])
    expect(lines).toEqual([
      ['removed', 'Borttaget: − Val av justerare'],
      ['added', 'Tillagt: + Ny: Val av justerare'],
    ])
    expect(panel.querySelector('.reopenings')!.textContent).toMatch(/Öppnat igen av Ingrid Nyman .*: Fel datum/)
  })

  it('"Checka in mig" checks in the profile\'s person; someone in the panel but not checked in is offered a check-in', () => {
    const doc = meeting()
    const presence = createStore<readonly PresencePeer[]>([
      { clientId: 1, name: 'Ingrid Nyman', color: '#000', self: true, verified: false },
      { clientId: 2, name: 'Cecilia Cederström', color: '#111', self: false, verified: false },
    ])
    const view = show(h(AttendanceList, { doc, selfName: 'Ingrid Nyman', presence, now: () => NOW }))
    click(view.querySelector('.check-in-self'))
    expect(view.querySelector('.self-checked-in')!.textContent).toBe('Du är incheckad som Ingrid Nyman.')
    expect(view.querySelector('.check-in-peer')!.textContent).toBe('Checka in Cecilia Cederström')
    click(view.querySelector('.check-in-peer'))
    expect(view.querySelector('.in-panel')).toBeNull()
    // Someone in the panel who is not listed is offered to be added, not "checked in" as if listed.
    act(() => presence.set([...presence.get(), { clientId: 3, name: 'Mounir Mansour', color: '#222', self: false, verified: false }]))
    expect(view.querySelector('.check-in-peer')!.textContent).toBe('Lägg till Mounir Mansour som närvarande')
    expect([...view.querySelectorAll('li.person')].map((li) => li.getAttribute('data-checked-in'))).toEqual(['true', 'true'])
  })
})

/** Requests as the meeting session keeps them: sent when "connected", else queued. */
const fakeRequests = (connected: boolean) => {
  const sent: AdjustmentRequest[] = []
  const queued = createStore<readonly AdjustmentRequest[]>([])
  const refused = createStore<string | null>(null)
  const requests: AdjustmentRequests = {
    queued,
    refused,
    ready: Promise.resolve(),
    send: (request) => {
      if (connected) sent.push(request)
      else queued.set([...queued.get(), request])
      return connected
    },
  }
  return { requests, sent, queued, refused }
}

describe('the adjustment on a server (SPEC J): requests, not writes', () => {
  const MEMBER = { id: 'm-cecilia', name: 'Cecilia Cederström', role: 'editor' as const }

  it('approving sends the request with the content hash and writes no record; the check-in link is the only write', () => {
    const doc = meeting()
    // Marked final by the server's writer, as the server would.
    act(() => writeFinal(doc, { name: 'Ingrid Nyman', memberId: 'm-ingrid' }, NOW, Origin.server))
    const { requests, sent } = fakeRequests(true)
    const panel = show(h(AdjustmentPanel, { doc, selfName: 'Cecilia', selfMember: MEMBER, requests, now: () => NOW }))
    click(panel.querySelector('button.approve'))
    expect(sent).toEqual([{ type: MessageType.approve, personId: 'cc', contentHash: contentHash(doc) }])
    expect(getApprovalsMap(doc).size).toBe(0)
    expect(getPerson(doc, 'cc')?.memberId).toBe('m-cecilia')
    expect(isLocked(doc)).toBe(false)
  })

  it('offline, the approval waits and the panel says it is sent when online; a refusal is named', () => {
    const doc = meeting()
    act(() => writeFinal(doc, { name: 'Ingrid Nyman', memberId: 'm-ingrid' }, NOW, Origin.server))
    const { requests, queued, refused } = fakeRequests(false)
    const panel = show(h(AdjustmentPanel, { doc, selfName: 'Cecilia', selfMember: MEMBER, requests, now: () => NOW }))
    click(panel.querySelector('button.approve'))
    expect(queued.get()).toHaveLength(1)
    expect(panel.querySelector('.queued')!.textContent).toBe('Ditt godkännande skickas när du är online. Inget låses förrän servern har registrerat det.')
    expect(panel.querySelector('button.approve')).toBeNull()
    act(() => refused.set('stale'))
    expect(panel.querySelector('[role="alert"]')!.textContent).toBe('Protokollet ändrades medan du läste. Läs igenom det igen och godkänn på nytt.')
  })

  it('shows a server-written approval as verified, and one of an earlier version as such; a local meeting says its approvals are not verified', () => {
    const doc = meeting()
    act(() => {
      writeFinal(doc, { name: 'Ingrid Nyman', memberId: 'm-ingrid' }, NOW, Origin.server)
      writeApproval(doc, 'cc', { name: 'Cecilia Cederström', memberId: 'm-cecilia', at: NOW.toISOString(), round: 0, contentHash: contentHash(doc), verified: true }, Origin.server)
    })
    const { requests } = fakeRequests(true)
    const server = show(h(AdjustmentPanel, { doc, selfName: 'Ingrid Nyman', requests, now: () => NOW }))
    expect(server.querySelector('.approved .badge')!.textContent).toBe('verifierat av servern')
    expect(server.querySelector('.approved.stale')).toBeNull()

    const local = meeting()
    markFinal(local, { name: 'Ingrid Nyman', now: NOW })
    approve(local, 'cc', { name: 'Cecilia Cederström', now: NOW })
    const panel = show(h(AdjustmentPanel, { doc: local, selfName: 'Ingrid Nyman', now: () => NOW }))
    expect(panel.querySelector('.approved .badge')!.textContent).toBe('ej verifierat')
    expect(panel.querySelector('.unverified-note')).not.toBeNull()
  })
})

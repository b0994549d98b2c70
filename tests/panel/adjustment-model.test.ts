import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addPerson,
  approve,
  buildMeeting,
  changesSinceAdjusted,
  createMeetingDoc,
  getAdjustment,
  getBody,
  getMeta,
  isLocked,
  loadAdjustedVersion,
  lockDueBy,
  lockIfDue,
  markFinal,
  updatePerson,
} from '../../src/doc'
import { LockShape } from '../../src/protocol'
import { exchange } from './doc-exchange'

const at = (minute: number) => new Date(Date.UTC(2023, 8, 25, 10, minute))

/** FSG's minutes (seed 001): two adjusters, one decision, one action. */
const fsgMeeting = () => {
  const doc = createMeetingDoc()
  buildMeeting(doc, {
    meta: { title: 'Samverkansgrupp FSG', date: '2023-09-25', secretary: 'Ingrid Nyman' },
    people: [
      { id: 'cc', name: 'Cecilia Cederström', initials: 'CC', party: 'SSR', adjuster: true },
      { id: 'mm', name: 'Mounir Mansour', initials: 'MM', party: 'Kommunal', adjuster: true },
      { id: 'in', name: 'Ingrid Nyman', initials: 'IN' },
    ],
    items: [
      { id: 'val', title: 'Val av justerare', blocks: [{ type: 'paragraph', text: 'Cecilia och Mounir valdes.' }] },
      {
        id: 'info',
        title: 'Föregående mötesanteckningar',
        blocks: [
          { type: 'decision', text: 'Anteckningarna läggs till handlingarna.' },
          { type: 'action', text: 'Skicka ut anteckningarna', responsible: 'IN' },
        ],
      },
    ],
  })
  return doc
}

const replica = (doc: Y.Doc): Y.Doc => {
  const copy = createMeetingDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** What the server does on a reopen (SPEC L3), for documents without a server. */
const reopenAsServer = (doc: Y.Doc, reason: string): void => {
  const server = new Y.Doc()
  Y.applyUpdate(server, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(server)
  server.transact(() => {
    const adjustment = server.getMap<unknown>(LockShape.root)
    const reopenings = new Y.Array<unknown>()
    adjustment.set(LockShape.reopenings, reopenings)
    reopenings.push([{ by: 'Ingrid Nyman', at: at(50).toISOString(), reason }])
    adjustment.set(LockShape.locked, false)
  })
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, before))
}

describe('adjusting the minutes ("justering")', () => {
  it('adjusters approve only once the secretary marked the minutes final; each approval keeps name and time', () => {
    const doc = fsgMeeting()
    expect(approve(doc, 'cc', { name: 'Cecilia Cederström', now: at(1) })).toBe('not-final')
    expect(approve(doc, 'in', { name: 'Ingrid Nyman', now: at(1) })).toBe('not-final')

    markFinal(doc, { name: 'Ingrid Nyman', now: at(2) })
    expect(getMeta(doc).status).toBe('final')
    expect(approve(doc, 'in', { name: 'Ingrid Nyman', now: at(3) })).toBe('not-an-adjuster')
    expect(approve(doc, 'cc', { name: 'Cecilia Cederström', now: at(3) })).toBeNull()
    expect(approve(doc, 'cc', { name: 'Cecilia Cederström', now: at(4) })).toBe('already-approved')

    const state = getAdjustment(doc)
    expect(state).toMatchObject({ finalBy: 'Ingrid Nyman', finalAt: at(2).toISOString(), locked: false })
    // A meeting without a server: the client-written model, not verified (SPEC J11).
    expect(state.approvals).toEqual([
      { personId: 'cc', name: 'Cecilia Cederström', memberId: '', at: at(3).toISOString(), round: 0, contentHash: '', verified: false },
    ])
    expect(state.pending.map((p) => p.id)).toEqual(['mm'])
  })

  it('the meeting locks exactly when the last appointed adjuster approves, in the same transaction', () => {
    const doc = fsgMeeting()
    markFinal(doc, { name: 'Ingrid Nyman', now: at(2) })
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))

    approve(doc, 'cc', { name: 'Cecilia Cederström', now: at(3) })
    expect(isLocked(doc)).toBe(false)
    const beforeLast = Y.encodeStateAsUpdate(doc)
    approve(doc, 'mm', { name: 'Mounir Mansour', now: at(4) })
    expect(isLocked(doc)).toBe(true)
    expect(getAdjustment(doc).lockedAt).toBe(at(4).toISOString())
    expect(getMeta(doc).status).toBe('adjusted')
    // One update per approval: the server receives the last approval and the lock together.
    expect(updates).toHaveLength(2)
    const server = new Y.Doc()
    Y.applyUpdate(server, beforeLast)
    expect(server.getMap('approvals').has('mm')).toBe(false)
    Y.applyUpdate(server, updates[1]!)
    expect(server.getMap(LockShape.root).get(LockShape.locked)).toBe(true)
    expect(server.getMap('approvals').has('mm')).toBe(true)
  })

  it('an adjuster appointed later must approve too before the lock', () => {
    const doc = fsgMeeting()
    markFinal(doc, { name: 'Ingrid Nyman', now: at(2) })
    approve(doc, 'cc', { name: 'Cecilia Cederström', now: at(3) })
    updatePerson(doc, 'in', { adjuster: true })
    approve(doc, 'mm', { name: 'Mounir Mansour', now: at(4) })
    expect(isLocked(doc)).toBe(false)
    approve(doc, 'in', { name: 'Ingrid Nyman', now: at(5) })
    expect(isLocked(doc)).toBe(true)
  })

  it('concurrent approvals on two clients are both kept, and exactly one client writes the lock', () => {
    const a = fsgMeeting()
    markFinal(a, { name: 'Ingrid Nyman', now: at(2) })
    const b = replica(a)
    approve(a, 'cc', { name: 'Cecilia Cederström', now: at(3) })
    approve(b, 'mm', { name: 'Mounir Mansour', now: at(4) })
    expect(isLocked(a) || isLocked(b)).toBe(false)
    exchange(a, b)

    for (const doc of [a, b]) {
      expect(getAdjustment(doc).approvals.map((x) => x.name)).toEqual(['Cecilia Cederström', 'Mounir Mansour'])
      expect(lockDueBy(doc)).toBe('mm')
    }
    expect(lockIfDue(a, 'cc', at(5))).toBe(false)
    expect(lockIfDue(b, 'mm', at(5))).toBe(true)
    exchange(a, b)
    expect(isLocked(a) && isLocked(b)).toBe(true)
  })

  it('the adjusted state restores the text exactly as adjusted', () => {
    const doc = fsgMeeting()
    markFinal(doc, { name: 'Ingrid Nyman', now: at(2) })
    approve(doc, 'cc', { name: 'Cecilia Cederström', now: at(3) })
    approve(doc, 'mm', { name: 'Mounir Mansour', now: at(4) })
    const adjustedBody = getBody(doc).toString()

    reopenAsServer(doc, 'Fel datum')
    getBody(doc).delete(0, 1)
    const adjusted = loadAdjustedVersion(doc)!
    expect(getBody(adjusted).toString()).toBe(adjustedBody)
    expect(getAdjustment(adjusted).approvals).toHaveLength(2)
    adjusted.destroy()
  })

  it('after a reopening the change view lists the changed lines per agenda item, and approvals start over', () => {
    const doc = fsgMeeting()
    markFinal(doc, { name: 'Ingrid Nyman', now: at(2) })
    approve(doc, 'cc', { name: 'Cecilia Cederström', now: at(3) })
    approve(doc, 'mm', { name: 'Mounir Mansour', now: at(4) })
    expect(changesSinceAdjusted(doc)).toEqual([])

    reopenAsServer(doc, 'Beslutet var fel formulerat')
    expect(isLocked(doc)).toBe(false)
    const state = getAdjustment(doc)
    expect(state.round).toBe(1)
    expect(state.reopenings).toEqual([{ by: 'Ingrid Nyman', memberId: '', at: at(50).toISOString(), reason: 'Beslutet var fel formulerat' }])
    expect(state.approvals).toEqual([])

    // Rewrite the decision of the second item: its text node is replaced.
    const item = getBody(doc).get(1) as Y.XmlElement
    const decision = item.get(1) as Y.XmlElement
    const text = decision.get(0) as Y.XmlText
    text.delete(0, text.length)
    text.insert(0, 'Anteckningarna godkändes.')

    const diff = changesSinceAdjusted(doc, { decision: 'Beslut:' })!
    expect(diff).toHaveLength(1)
    expect(diff[0]).toMatchObject({ id: 'info', title: 'Föregående mötesanteckningar', change: 'changed' })
    expect(diff[0]!.lines.filter((line) => line.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'Beslut: Anteckningarna läggs till handlingarna.' },
      { kind: 'added', text: 'Beslut: Anteckningarna godkändes.' },
    ])
    expect(diff[0]!.lines.filter((line) => line.kind === 'same').map((l) => l.text)).toContain('[ ] Skicka ut anteckningarna (IN)')
  })

  it('no adjuster appointed: approvals cannot lock', () => {
    const doc = createMeetingDoc()
    addPerson(doc, { name: 'Ingrid Nyman' })
    markFinal(doc, { name: 'Ingrid Nyman', now: at(2) })
    expect(lockDueBy(doc)).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addPerson, buildMeeting, createMeetingDoc, getBody, getPeopleMap, setMetaField, updatePerson } from '../../src/doc'
import { contentHash } from '../../src/doc/content-hash'
import { getAdjustmentMap, getApprovalsMap } from '../../src/doc/adjustment'
import { getFollowUpMap } from '../../src/series/follow-up'

const meeting = (): Y.Doc => {
  const doc = createMeetingDoc()
  buildMeeting(doc, {
    meta: { title: 'Samverkansgrupp FSG', date: '2023-09-25', secretary: 'Ingrid Nyman' },
    people: [
      { id: 'cc', name: 'Cecilia Cederström', initials: 'CC', adjuster: true, memberId: 'm-cc' },
      { id: 'in', name: 'Ingrid Nyman', initials: 'IN' },
    ],
    items: [
      { id: 'val', title: 'Val av justerare', blocks: [{ type: 'paragraph', text: 'Cecilia valdes.' }] },
      { id: 'info', title: 'Information', blocks: [{ type: 'decision', text: 'Anteckningarna läggs till handlingarna.' }] },
    ],
  })
  return doc
}

/** The document as the sync server holds it: roots never opened as typed shared types. */
const asServerHoldsIt = (doc: Y.Doc): Y.Doc => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/** The first text node of the body (the first item's title). */
const firstText = (doc: Y.Doc): Y.XmlText => {
  const find = (node: Y.XmlElement | Y.XmlFragment): Y.XmlText | null => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) return child
      if (child instanceof Y.XmlElement) {
        const found = find(child)
        if (found !== null) return found
      }
    }
    return null
  }
  return find(getBody(doc))!
}

describe('content hash (SPEC J4)', () => {
  it('J4: is a sha256 hex, the same in a panel and in the server’s untyped copy of the document', () => {
    const doc = meeting()
    expect(contentHash(doc)).toMatch(/^[0-9a-f]{64}$/)
    expect(contentHash(asServerHoldsIt(doc))).toBe(contentHash(doc))
    // And in a replica that received the document in many small updates, typed differently.
    const replica = createMeetingDoc()
    const split = new Y.Doc()
    split.on('update', (update: Uint8Array) => Y.applyUpdate(replica, update))
    Y.applyUpdate(split, Y.encodeStateAsUpdate(doc))
    expect(contentHash(replica)).toBe(contentHash(doc))
  })

  it('J4: changes with every edit of the header, the people, the body and the follow-up', () => {
    const doc = meeting()
    const seen = new Set([contentHash(doc)])
    const expectChanged = (edit: () => void, what: string): void => {
      edit()
      const hash = contentHash(doc)
      expect(seen.has(hash), what).toBe(false)
      seen.add(hash)
    }
    expectChanged(() => setMetaField(doc, 'place', 'Rådhuset'), 'a header field')
    expectChanged(() => setMetaField(doc, 'secretaryMemberId', 'm-in'), 'the secretary link')
    expectChanged(() => updatePerson(doc, 'in', { adjuster: true }), 'an adjuster appointed')
    expectChanged(() => updatePerson(doc, 'cc', { memberId: 'm-other' }), 'a person re-linked')
    expectChanged(() => addPerson(doc, { name: 'Gäst Gästsson', attendance: 'guest' }), 'a person added')
    expectChanged(() => firstText(doc).insert(0, 'x'), 'one character of the body')
    expectChanged(() => firstText(doc).format(0, 3, { strong: true }), 'a mark in the body')
    expectChanged(() => getPeopleMap(doc).get('in')!.set('checkedInAt', '2023-09-25T10:00:00Z'), 'a check-in')
    expectChanged(() => getFollowUpMap(doc).set('a1', new Y.Map()), 'the follow-up')
  })

  it('J4: does not change with the adjustment’s own writes (adjustment, approvals, status), nor with what was deleted again', () => {
    const doc = meeting()
    const before = contentHash(doc)
    doc.transact(() => {
      getAdjustmentMap(doc).set('final', true)
      getAdjustmentMap(doc).set('locked', true)
      getApprovalsMap(doc).set('cc', { name: 'Cecilia Cederström', at: '2023-09-25T10:00:00Z', round: 0 })
      setMetaField(doc, 'status', 'adjusted')
    })
    expect(contentHash(doc)).toBe(before)
    firstText(doc).insert(0, 'tillfälligt ')
    expect(contentHash(doc)).not.toBe(before)
    firstText(doc).delete(0, 'tillfälligt '.length)
    expect(contentHash(doc)).toBe(before)
  })
})

import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { SaveTracker } from '../../src/sync'
import { normaliseIsoDate, normaliseTime } from '../../src/doc/dates'

describe('what the server lacks, across sessions', () => {
  it('a tracker started from what an earlier session knew counts only the changes made since', () => {
    const doc = new Y.Doc()
    doc.getText('t').insert(0, 'Budget')
    const first = new SaveTracker(doc)
    expect(first.unsavedCount).toBe(6)
    first.ack(Y.decodeStateVector(Y.encodeStateVector(doc)))
    expect(first.unsavedCount).toBe(0)
    const remembered = first.confirmed()

    doc.getText('t').insert(6, ' 2026')
    doc.getText('t').delete(0, 1)
    const reopened = new SaveTracker(doc, remembered)
    expect(reopened.unsavedCount).toBe(5)
    expect(new SaveTracker(doc).unsavedCount).toBe(11)
  })

  it('remembers deletions the server has not confirmed, and content it sent, as confirmed', () => {
    const doc = new Y.Doc()
    const tracker = new SaveTracker(doc)
    const other = new Y.Doc()
    other.getText('t').insert(0, 'från servern')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other))
    tracker.receivedFromServer(Y.decodeStateVector(Y.encodeStateVector(other)))
    doc.getText('t').delete(0, 4)
    tracker.deletionOnly()
    expect(tracker.confirmed()).toEqual({ vector: new Map([[other.clientID, 12]]), pendingDeletions: 1 })
    expect(new SaveTracker(doc, tracker.confirmed()).unsavedCount).toBe(1)
    // The server going away does not make what it sent "not yet on the server".
    tracker.connectionLost()
    expect(tracker.unsavedCount).toBe(1)
    expect(tracker.confirmed().vector.get(other.clientID)).toBe(12)
  })
})

describe('due dates as Swedish minutes write them', () => {
  it('accepts ISO and the short forms people type, and refuses dates that do not exist', () => {
    expect(normaliseIsoDate('2026-03-25')).toBe('2026-03-25')
    expect(normaliseIsoDate(' 2026-3-5 ')).toBe('2026-03-05')
    expect(normaliseIsoDate('20260305')).toBe('2026-03-05')
    expect(normaliseIsoDate('2026/03/05')).toBe('2026-03-05')
    expect(normaliseIsoDate('')).toBe('')
    expect(normaliseIsoDate('2026-02-30')).toBeNull()
    expect(normaliseIsoDate('25 mars')).toBeNull()
    expect(normaliseIsoDate('03/25/2026')).toBeNull()
  })
})

describe('times as Swedish minutes write them', () => {
  it('reads the short forms people type as 24-hour HH:MM, and refuses what is not a time', () => {
    expect(['9', '09', '930', '0930', '9.30', '9:30', '16.00', ''].map(normaliseTime)).toEqual(['09:00', '09:00', '09:30', '09:30', '09:30', '09:30', '16:00', ''])
    expect(normaliseTime('24:00')).toBeNull()
    expect(normaliseTime('9 AM')).toBeNull()
    expect(normaliseTime('12:60')).toBeNull()
  })
})

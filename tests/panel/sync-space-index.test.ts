import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { DocPersistence } from '../../src/storage'
import { SpaceIndex, spaceIndexRoom, type MeetingEntry } from '../../src/sync'
import { openTestDatabase } from './storage-helpers'
import { connect, startServer } from './sync-helpers'

const whenListed = (index: SpaceIndex, predicate: (list: MeetingEntry[]) => boolean, timeoutMs = 10_000): Promise<MeetingEntry[]> =>
  predicate(index.list())
    ? Promise.resolve(index.list())
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`list was ${JSON.stringify(index.list())}`)), timeoutMs)
        index.on('change', (list) => {
          if (!predicate(list)) return
          clearTimeout(timer)
          resolve(list)
        })
      })

describe("the space's meeting list", () => {
  it('a meeting one attendee creates appears for the other, and a rename follows', async () => {
    const server = await startServer()
    const room = spaceIndexRoom('space-1')
    const a = await connect(server, room, { tokenRoom: 'space-1/*' })
    const b = await connect(server, room, { tokenRoom: 'space-1/*' })
    const indexA = new SpaceIndex(a.doc)
    const indexB = new SpaceIndex(b.doc)
    await Promise.all([a.whenSynced, b.whenSynced])
    const id = indexA.create({ title: 'Ledningsgrupp', group: 'LG', date: '2024-05-02', createdBy: 'Anna' })
    const [seen] = await whenListed(indexB, (list) => list.length === 1)
    expect(seen).toMatchObject({ id, title: 'Ledningsgrupp', group: 'LG', date: '2024-05-02', createdBy: 'Anna' })
    indexB.update(id, { title: 'Ledningsgrupp maj' })
    await whenListed(indexA, (list) => list[0]?.title === 'Ledningsgrupp maj')
  })

  it('shows local meetings while offline, from IndexedDB', async () => {
    const db = await openTestDatabase()
    const docId = spaceIndexRoom('space-1')
    const first = new DocPersistence({ db, docId, doc: new Y.Doc() })
    await first.whenLoaded
    new SpaceIndex(first.doc).create({ title: 'FSG', group: 'FSG', date: '2024-06-10', createdBy: 'Åsa' })
    await first.destroy()
    const doc = new Y.Doc()
    const again = new DocPersistence({ db, docId, doc })
    await again.whenLoaded
    expect(new SpaceIndex(doc).list().map((m) => m.title)).toEqual(['FSG'])
    await again.destroy()
  })

  it('finds by title or group (case-insensitive, Swedish letters) and by date prefix; newest first', () => {
    let n = 0
    const index = new SpaceIndex(new Y.Doc(), { newId: () => `m${++n}`, now: () => 0 })
    index.create({ title: 'Årsmöte', group: 'Styrelse', date: '2024-03-01', createdBy: 'x' })
    index.create({ title: 'Ledningsgrupp', group: 'LG', date: '2024-05-02', createdBy: 'x' })
    index.create({ title: 'Samverkan äldreomsorg', group: 'FSG', date: '2023-11-20', createdBy: 'x' })
    expect(index.find('ÅRS').map((m) => m.id)).toEqual(['m1'])
    expect(index.find('ÄLDRE').map((m) => m.id)).toEqual(['m3'])
    expect(index.find('lg').map((m) => m.id)).toEqual(['m2'])
    expect(index.find('2024').map((m) => m.id)).toEqual(['m2', 'm1'])
    expect(index.find('2024-05').map((m) => m.id)).toEqual(['m2'])
    expect(index.find(' ').map((m) => m.id)).toEqual(['m2', 'm1', 'm3'])
    expect(index.update('nope', { title: 'x' })).toBe(false)
  })
})

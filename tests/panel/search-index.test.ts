import { describe, expect, it } from 'vitest'
import { buildMeeting, createMeetingDoc } from '../../src/doc'
import { MeetingSearchIndex } from '../../src/search'

const meeting = (title: string, items: Parameters<typeof buildMeeting>[1]['items'], people: Parameters<typeof buildMeeting>[1]['people'] = []) => {
  const doc = createMeetingDoc()
  buildMeeting(doc, { meta: { title, date: '2026-03-11', group: 'FLG' }, people, items })
  return doc
}

describe('search across the meetings of a space (Swedish-aware, offline)', () => {
  const index = new MeetingSearchIndex()
  index.upsert(
    'm1',
    meeting(
      'FLG 11 mars',
      [
        { id: 'i1', title: 'Budget 2026', blocks: [{ type: 'paragraph', text: 'Utfallet för Östersund visar ett överskott.' }, { type: 'decision', text: 'Beslut: bevilja stöd till föreningarna.' }] },
        { id: 'i2', title: 'Övrigt', blocks: [{ type: 'action', text: 'Boka lokal för kickoff', responsible: 'BF', due: '2026-04-01' }] },
      ],
      [{ name: 'Birgitta Forssman', initials: 'BF' }],
    ),
  )
  index.upsert('m2', meeting('FLG 8 april', [{ id: 'j1', title: 'Lönerevision', blocks: [{ type: 'paragraph', text: 'Facklig samverkan enligt MBL.' }] }]))

  it('finds a word case- and diacritic-insensitively and shows it as written, in its agenda item', () => {
    const [hit, ...rest] = index.search('ostersund')
    expect(rest).toEqual([])
    expect(hit).toMatchObject({ meetingId: 'm1', itemId: 'i1', itemTitle: 'Budget 2026', meetingTitle: 'FLG 11 mars' })
    expect(hit!.snippet.match).toBe('Östersund')
    expect(`${hit!.snippet.before}${hit!.snippet.match}${hit!.snippet.after}`).toContain('Utfallet för Östersund visar')
  })

  it('matches prefixes as you type, and every word must match', () => {
    expect(index.search('bevil').map((hit) => hit.itemId)).toEqual(['i1'])
    expect(index.search('lönerev').map((hit) => hit.itemId)).toEqual(['j1'])
    expect(index.search('budget MBL')).toEqual([])
    expect(index.search('Boka kick').map((hit) => [hit.meetingId, hit.itemId])).toEqual([['m1', 'i2']])
  })

  it('finds people in the header document of their meeting', () => {
    expect(index.search('forssman').map((hit) => [hit.meetingId, hit.itemId])).toEqual([['m1', '']])
  })

  it('replaces a meeting when it is indexed again: the old text is gone, the new found', () => {
    const local = new MeetingSearchIndex()
    local.upsert('m1', meeting('FLG', [{ id: 'a', title: 'Skolval', blocks: [] }]))
    expect(local.search('skolval')).toHaveLength(1)
    local.upsert('m1', meeting('FLG', [{ id: 'a', title: 'Gymnasieval', blocks: [] }]))
    expect(local.search('skolval')).toEqual([])
    expect(local.search('gymnasie')).toHaveLength(1)
    expect(local.meetingCount).toBe(1)
    expect(local.search('   ')).toEqual([])
  })
})

describe('search as you type', () => {
  it('waits for a second letter, and a one-letter word matches whole words only', () => {
    const index = new MeetingSearchIndex()
    const doc = createMeetingDoc()
    buildMeeting(doc, { meta: { title: 'FLG' }, items: [{ id: 'a', title: 'Avtal', blocks: [{ type: 'paragraph', text: 'Punkt 5 i avtalet.' }] }] })
    index.upsert('m1', doc)
    expect(index.search('a')).toEqual([])
    expect(index.search('av').map((hit) => hit.itemId)).toEqual(['a'])
    expect(index.search('avtal 5').map((hit) => hit.itemId)).toEqual(['a'])
  })
})

import { describe, expect, it } from 'vitest'
import { approve, isLocked, listPeople, markFinal, setMetaField, writeApproval, type MeetingStatus } from '../../src/doc'
import { Origin } from '../../src/doc/origins'
import { justeringLines } from '../../src/export/shared-text'
import { EXPORT_LABELS, exportFilename, meetingToExportModel, tableRows } from '../../src/export'
import { seed000 } from '../fixtures/seeds/seed-000'
import { seed001 } from '../fixtures/seeds/seed-001'
import { seed002 } from '../fixtures/seeds/seed-002'
import { seed003 } from '../fixtures/seeds/seed-003'
import { seedDoc } from './export-helpers'

const sv = { language: 'sv', numbering: 'plain' } as const

describe('export model read from a meeting document', () => {
  it('has the header with the date and time in the chosen language', () => {
    const model = meetingToExportModel(seedDoc(seed003), sv)
    expect(model.header).toMatchObject({
      title: 'Minnesanteckning',
      organisation: 'Vård- och omsorgsförvaltningen',
      convener: 'Omsorgsdirektören',
      secretary: 'Ingrid Nyman',
      date: '2023-02-27',
      dateText: '27 februari 2023',
      timeText: 'kl. 09.00–16.00',
    })
    const en = meetingToExportModel(seedDoc(seed003), { language: 'en', numbering: 'plain' })
    expect(en.header).toMatchObject({ dateText: '27 February 2023', timeText: '09:00–16:00' })
  })

  it('splits the people into present, absent with reasons, guests per agenda item and adjusters', () => {
    const model = meetingToExportModel(seedDoc(seed002), sv)
    expect(model.attendance.present.map((person) => person.initials)).toEqual(['CWR', 'EKA', 'LE', 'TK', 'TM'])
    expect(model.attendance.absent).toEqual([
      { name: 'Annette Holm Persson', initials: '', party: '', reason: 'sem' },
      { name: 'Susanne Lundberg', initials: '', party: '', reason: '' },
    ])
    expect(model.attendance.guests).toEqual([
      {
        name: 'Julia Dahl',
        initials: '',
        party: 'Administration och juridik',
        reason: '',
        item: { id: 'i-lgsg', index: 4, title: 'LG+SG med fokus verksamhetsplan' },
      },
    ])
    expect(model.items[3]!.guests.map((guest) => guest.name)).toEqual(['Julia Dahl'])
    expect(meetingToExportModel(seedDoc(seed001), sv).attendance.adjusters.map((person) => person.name)).toEqual([
      'Cecilia Cederström',
      'Mounir Mansour',
    ])
  })

  it('numbers the items and keeps title, kind, presenter and every kind of block', () => {
    const model = meetingToExportModel(seedDoc(seed000), sv)
    expect(model.items.map((item) => `${item.number} ${item.title}`)).toEqual([
      '1. Återkoppling från grupper',
      '2. Skolval - Utfall',
      '3. SKA – Uppföljning på uppdragen',
      '4. Kort, kort',
      '5. Mål och Ekonomi',
    ])
    const brief = model.items[3]!
    expect(brief).toMatchObject({ kind: 'brief', kindLabel: 'Kort, kort', presenter: 'Christian Olsson' })
    expect(brief.blocks.map((block) => block.type)).toEqual(['heading', 'list', 'decision', 'action'])
    // The seed's action names its responsible by person id; the export prints the initials.
    expect(brief.blocks[3]).toMatchObject({ type: 'action', responsible: 'CO', status: 'open' })
    const nested = model.items[2]!.blocks[1]
    expect(nested).toMatchObject({
      type: 'list',
      items: [{ children: [{ type: 'list', items: [{}, { children: [{ type: 'list', items: [{ text: [{ text: 'Summering och avslut' }] }] }] }] }] }],
    })
    expect(model.items[4]!.blocks.at(-1)).toEqual({ type: 'attachment', name: 'Bokslut 2019 BUN.pdf', href: 'https://example.org/bokslut-2019.pdf' })
  })

  it('keeps party input as one paragraph list per label', () => {
    const model = meetingToExportModel(seedDoc(seed001), sv)
    const parties = model.items[3]!.blocks.filter((block) => block.type === 'party')
    expect(parties.map((block) => [block.label, block.paragraphs.length])).toEqual([
      ['SSR', 2],
      ['Kommunal', 1],
    ])
  })

  it('numbers with § when asked, in items and in guest references', () => {
    const model = meetingToExportModel(seedDoc(seed003), { language: 'sv', numbering: 'paragraph' })
    expect(model.items.map((item) => item.number).slice(0, 3)).toEqual(['§ 1', '§ 2', '§ 3'])
  })

  it.each<[MeetingStatus, boolean]>([
    ['draft', true],
    ['final', true],
    ['adjusted', true],
  ])('a meeting whose header says %s but is not locked is a draft: %s (the lock, not a field any editor writes, ends the draft mark)', (status, draft) => {
    const doc = seedDoc({ ...seed000, meta: { ...seed000.meta, status: 'draft' } })
    setMetaField(doc, 'status', status)
    expect(meetingToExportModel(doc, sv).draft).toBe(draft)
  })

  it('a locked meeting is no draft, and its justering record names each adjuster, verified or not', () => {
    const doc = seedDoc({ ...seed001, meta: { ...seed001.meta, status: 'draft' } })
    const adjusters = listPeople(doc).filter((person) => person.adjuster)
    expect(adjusters.length).toBeGreaterThan(0)
    markFinal(doc, { name: 'Sekreteraren', now: new Date('2026-03-11T10:00:00Z') })
    const [first, ...rest] = adjusters
    writeApproval(doc, first!.id, { name: first!.name, memberId: 'm-1', at: '2026-03-11T10:00:00Z', round: 0, contentHash: 'x', verified: true }, Origin.server)
    for (const person of rest) approve(doc, person.id, { name: person.name, now: new Date('2026-03-11T11:00:00Z') })
    expect(isLocked(doc)).toBe(true)
    const model = meetingToExportModel(doc, sv)
    expect(model.draft).toBe(false)
    expect(model.justering.map((entry) => [entry.name, entry.approved, entry.verified])).toEqual([
      [first!.name, true, true],
      ...rest.map((person) => [person.name, true, false]),
    ])
    expect(justeringLines(model)[0]).toMatch(new RegExp(`^Justeras: ${first!.name}, godkänt 11 mars 2026 kl\\. \\d\\d\\.00 \\(verifierat av servern\\)$`))
  })

  it('moves decisions and actions to the table layout’s action column, responsible once each', () => {
    const rows = tableRows(meetingToExportModel(seedDoc(seed003), sv))
    const tema = rows[2]!
    expect(tema.note.map((block) => block.type)).toEqual(['paragraph', 'list', 'paragraph'])
    expect(tema.outcome.map((block) => block.type)).toEqual(['action', 'action'])
    expect(tema.responsible).toEqual(['AA', 'Alla'])
    expect(rows[6]!.responsible).toEqual(['MS', 'IN'])
  })

  it('names files from group and date in safe characters, drafts marked', () => {
    expect(exportFilename(meetingToExportModel(seedDoc(seed001), sv), 'docx')).toBe('FSG-2023-09-25-utkast.docx')
    expect(exportFilename(meetingToExportModel(seedDoc(seed003), sv), 'markdown')).toBe('Forvaltningsledningsgruppsmote-2023-02-27.md')
    expect(exportFilename(meetingToExportModel(seedDoc(seed002), { language: 'en', numbering: 'plain' }), 'html')).toBe(
      'LG-2024-10-08-draft.html',
    )
  })

  it('has every label in both languages', () => {
    const keys = (value: object): string[] =>
      Object.entries(value).flatMap(([key, inner]) =>
        typeof inner === 'object' && !Array.isArray(inner) ? keys(inner).map((k) => `${key}.${k}`) : [key],
      )
    expect(keys(EXPORT_LABELS.sv)).toEqual(keys(EXPORT_LABELS.en))
    // English writes times without a prefix ("09:00", not "kl. 09.00"); nothing else is blank.
    const blank = (labels: object): string[] => Object.entries(labels).filter(([, value]) => value === '').map(([key]) => key)
    expect(blank(EXPORT_LABELS.sv)).toEqual([])
    expect(blank(EXPORT_LABELS.en)).toEqual(['timePrefix'])
  })
})

import { describe, expect, it } from 'vitest'
import { addPerson, buildMeeting, createMeetingDoc } from '../../src/doc'
import { exportMeeting, meetingToExportModel, renderMarkdown, type ExportModelOptions } from '../../src/export'
import { seed000 } from '../fixtures/seeds/seed-000'
import { seed001 } from '../fixtures/seeds/seed-001'
import { seed003 } from '../fixtures/seeds/seed-003'
import { markdownSection, markdownTable, seedDoc } from './export-helpers'

const sv: ExportModelOptions = { language: 'sv', numbering: 'plain' }
const en: ExportModelOptions = { language: 'en', numbering: 'plain' }

const lines = (markdown: string): string[] => markdown.split('\n')
const headings = (markdown: string, level: number): string[] =>
  lines(markdown)
    .filter((line) => line.startsWith(`${'#'.repeat(level)} `))
    .map((line) => line.slice(level + 1))

describe('Markdown export, prose layout (seeds 000, 001)', () => {
  it('seed 000: title, draft mark, header, attendance, kind heading and numbered items with presenters', () => {
    const markdown = renderMarkdown(meetingToExportModel(seedDoc(seed000), sv), { layout: 'prose' })
    expect(headings(markdown, 1)).toEqual(['Mötesanteckningar'])
    expect(lines(markdown)).toContain('**UTKAST – ej justerat**')
    expect(lines(markdown)).toContain('- **Datum:** 5 februari 2020')
    expect(lines(markdown)).toContain('- **Sekreterare:** Marie Krantz')
    expect(markdownSection(markdown, 'Närvarande')?.split(', ')).toEqual([
      'Birgitta Forssman (BF)',
      'Christian Olsson (CO)',
      'Marie Krantz (MK)',
      'Mats Nilsson (MN)',
      'Thomas Karlegatt (TK)',
    ])
    // "Kort, kort" is titled by itself and stays inside the Information group, as in the seed.
    expect(headings(markdown, 2)).toEqual(['Närvarande', 'Information'])
    expect(headings(markdown, 3)).toEqual([
      '1. Återkoppling från grupper',
      '2. Skolval - Utfall',
      '3. SKA – Uppföljning på uppdragen',
      '4. Kort, kort',
      '5. Mål och Ekonomi',
    ])
    expect(lines(markdown).filter((line) => line.startsWith('*Föredragande:'))).toEqual([
      '*Föredragande: Mats Nilsson*',
      '*Föredragande: Thomas Karlegatt och Lolitha Nilsson*',
      '*Föredragande: Christian Olsson*',
      '*Föredragande: Birgitta Forssman*',
    ])
    expect(headings(markdown, 4)).toEqual(['Fortsättning kring frågan FoU H22- Hypotesförslag för SFF'])
  })

  it('seed 000: decision, action with its responsible, nested lists three deep, attachment link, minute-taker', () => {
    const markdown = renderMarkdown(meetingToExportModel(seedDoc(seed000), sv), { layout: 'prose' })
    const all = lines(markdown)
    expect(all).toContain('**Beslut:** Ledningsgruppen tog beslut om att vi kommer tacka ja till gå med i detta.')
    expect(all).toContain('- [ ] Christian återkopplar till gruppen när mer respons behövs. — *Ansvarig: CO*')
    const nested = all.indexOf('- Arbete i grupper:')
    expect(all.slice(nested, nested + 4)).toEqual([
      '- Arbete i grupper:',
      '  - Hur kan de gemensamma utmaningarna omhändertas inom ramen för befintliga uppdrag?',
      '  - Fortsatt arbete i grupper:',
      '    - Summering och avslut',
    ])
    expect(all).toContain('Bilaga: [Bokslut 2019 BUN.pdf](<https://example.org/bokslut-2019.pdf>)')
    expect(all.at(-2)).toBe('Vid protokollet: Marie Krantz')
  })

  it('seed 001: adjusters, kind groups, party input one paragraph per union, attachments, an action with due date', () => {
    const markdown = renderMarkdown(meetingToExportModel(seedDoc(seed001), sv), { layout: 'prose' })
    const all = lines(markdown)
    expect(all).toContain('- **Justerare:** Cecilia Cederström (SSR), Mounir Mansour (Kommunal)')
    expect(all).toContain('- **Plats:** Bredgatan 515')
    expect(headings(markdown, 2)).toEqual(['Närvarande', 'Beslut', 'Information', 'Dialog'])
    expect(headings(markdown, 3)[0]).toBe('1. Val av justerare')
    expect(all).toContain('**Beslut:** Cecilia Cederström, SSR, och Mounir Mansour, Kommunal, valdes som justerare.')
    const item4 = all.slice(all.indexOf('### 4. Avslutsamtal'), all.indexOf('### 5. Intern kontroll'))
    expect(item4.filter((line) => line.startsWith('**'))).toEqual([
      '**Fackliga inspel**',
      '**SSR:** SSR tycker att det låter logiskt att rutinen ändras, men ställer sig ändå frågande till hur saker ska komma fram.',
      '**Kommunal:** Kommunal menar att det är viktigt att arbetsgivaren verkligen lyssnar på vad medarbetarna har att säga.',
    ])
    expect(item4).toContain('SSR menar att vi måste komma ifrån tystnadskulturen.')
    expect(all.filter((line) => line.startsWith('Bilaga: '))).toHaveLength(3)
    expect(all).toContain('- [ ] HR-chef kommer med förslag på datum för en halvdag. — *Ansvarig: HR, senast 20 oktober 2023*')
  })

  it('writes English headings and labels', () => {
    const markdown = renderMarkdown(meetingToExportModel(seedDoc(seed001), en), { layout: 'prose' })
    const all = lines(markdown)
    expect(all).toContain('**DRAFT – not adjusted**')
    expect(headings(markdown, 2)).toEqual(['Present', 'Decision', 'Information', 'Dialogue'])
    expect(all).toContain('- **Date:** 25 September 2023')
    expect(all).toContain('- **Adjusters:** Cecilia Cederström (SSR), Mounir Mansour (Kommunal)')
    expect(all).toContain('*Presenter: HR-chef*')
    expect(all).toContain('**Union input**')
    expect(all).toContain('**Decision:** Cecilia Cederström, SSR, och Mounir Mansour, Kommunal, valdes som justerare.')
    expect(all).toContain('- [ ] HR-chef kommer med förslag på datum för en halvdag. — *Responsible: HR, due 20 October 2023*')
    expect(all).toContain('Minutes taken by: Framtidsledare')
  })

  it('writes ISO dates when asked, as seed 003 does, in the header and on every due date', () => {
    const markdown = renderMarkdown(meetingToExportModel(seedDoc(seed001), { ...sv, dates: 'iso' }), { layout: 'prose' })
    const all = lines(markdown)
    expect(all).toContain('- **Datum:** 2023-09-25')
    expect(all).toContain('- [ ] HR-chef kommer med förslag på datum för en halvdag. — *Ansvarig: HR, senast 2023-10-20*')
    const table = renderMarkdown(meetingToExportModel(seedDoc(seed001), { ...sv, dates: 'iso' }), { layout: 'table' })
    expect(table).toContain('2023-10-20')
    expect(table).not.toContain('20 oktober 2023')
  })

  it('numbers items with § when asked', () => {
    const markdown = renderMarkdown(meetingToExportModel(seedDoc(seed000), { language: 'sv', numbering: 'paragraph' }), { layout: 'prose' })
    expect(headings(markdown, 3).slice(0, 2)).toEqual(['§ 1 Återkoppling från grupper', '§ 2 Skolval - Utfall'])
  })

  it('shows user text literally: Markdown characters are escaped', () => {
    const doc = createMeetingDoc()
    buildMeeting(doc, {
      meta: { title: 'Test *not bold*', status: 'adjusted' },
      items: [{ title: '# not a heading', blocks: [{ type: 'paragraph', text: '- not a list [link](x) a|b' }] }],
    })
    const all = lines(renderMarkdown(meetingToExportModel(doc, sv), { layout: 'prose' }))
    expect(all[0]).toBe('# Test \\*not bold\\*')
    expect(all).toContain('### 1. # not a heading')
    expect(all).toContain('\\- not a list \\[link\\](x) a\\|b')
  })
})

describe('Markdown export, table layout (seed 003)', () => {
  const markdown = renderMarkdown(meetingToExportModel(seedDoc(seed003), sv), { layout: 'table' })
  const rows = markdownTable(markdown)

  it('has the header and attendance above the table and no draft mark once adjusted', () => {
    const all = lines(markdown)
    expect(all.some((line) => line.includes('UTKAST'))).toBe(false)
    expect(all).toContain('- **Sammankallande:** Omsorgsdirektören')
    expect(all).toContain('- **Tid:** kl. 09.00–16.00')
    expect(markdownSection(markdown, 'Närvarande')?.split(', ')).toHaveLength(12)
    expect(markdownSection(markdown, 'Frånvarande')).toBe('Eric Semb (ES)')
    expect(markdownSection(markdown, 'Gäster')).toBe(
      'Henrik Frindberg (Miljöförvaltningen) under punkt 4: Helsingborg klimatneutralt 2030 – hur kan vi på VOF bidra, ' +
        'Jens Gille (Miljöförvaltningen) under punkt 4: Helsingborg klimatneutralt 2030 – hur kan vi på VOF bidra',
    )
  })

  it('has the four columns of the seed and one row an agenda item', () => {
    expect(rows[0]).toEqual(['Rubrik', 'Anteckning', 'Åtgärd/Beslut', 'Ansvarig'])
    expect(rows.slice(1).map((row) => row.length)).toEqual(Array(8).fill(4))
    expect(rows.slice(1).map((row) => row[0]!.split('<br>')[0])).toEqual([
      '**1. Incheckning**',
      '**2. Uppföljning tilldelade beslut**',
      '**3. Tema verksamhetsdialog – fokus Kompetensförsörjning**',
      '**4. Helsingborg klimatneutralt 2030 – hur kan vi på VOF bidra**',
      '**5. Chefsnytt- processen**',
      '**6. Statsbidrag VFU HSL- behov och möjligheter**',
      '**7. Peer support**',
      '**8. Utcheckning**',
    ])
    expect(rows[1]!.slice(1)).toEqual(['', '', ''])
  })

  it('puts presenter and guests under the heading, decisions and actions in their column, responsible last', () => {
    const klimat = rows[4]!
    expect(klimat[0]!.split('<br>')).toEqual([
      '**4. Helsingborg klimatneutralt 2030 – hur kan vi på VOF bidra**',
      '*Föredragande: Henrik Frindberg och Jens Gille*',
      '*Gäster: Henrik Frindberg (Miljöförvaltningen), Jens Gille (Miljöförvaltningen)*',
    ])
    expect(klimat[1]).toBe('Information om 1,5 % målet i världen, stadens Klimat och energiplanen 2018-2024.')
    expect(klimat[2]!.split('<br>')).toEqual([
      '**Beslut:** FLG positiva till förslaget.',
      '☐ Behöver få tips om konkreta åtgärder tex använda Tena identify för att minska användningen av inkontinensskydd.',
    ])
    expect(klimat[3]).toBe('Alla')
    const tema = rows[3]!
    expect(tema[2]!.split('<br>')).toEqual([
      '☑ Annika dokumenterat i särskilt dokument (klar, avbockad av Ingrid Nyman)',
      '☐ Fundera och ta upp på nästa FLG.',
    ])
    expect(tema[3]).toBe('AA<br>Alla')
    expect(tema[1]!.split('<br>')).toContain('&nbsp;&nbsp;&nbsp;◦ Börja göra nu')
    expect(rows[6]![1]).toContain('Bilaga: Statsbidrag VFU HSL.pdf')
    expect(rows[6]![2]).toContain('(senast 27 mars 2023)')
    expect(rows[7]![3]).toBe('MS<br>IN')
  })

  it('escapes a pipe inside a cell so the row keeps four cells', () => {
    expect(rows[7]![1]).toBe('Samordningsförbundet undrar om vi vill vara med i ett projekt att anställa brukare \\| ökar brukarinflytande.')
  })

  it('writes the English column headings', () => {
    const english = markdownTable(renderMarkdown(meetingToExportModel(seedDoc(seed003), en), { layout: 'table' }))
    expect(english[0]).toEqual(['Heading', 'Note', 'Action/Decision', 'Responsible'])
    expect(english[4]![0]).toContain('*Presenter: Henrik Frindberg och Jens Gille*')
  })

  it('numbers rows with § when asked', () => {
    const paragraph = markdownTable(
      renderMarkdown(meetingToExportModel(seedDoc(seed003), { language: 'sv', numbering: 'paragraph' }), { layout: 'table' }),
    )
    expect(paragraph[1]![0]).toBe('**§ 1 Incheckning**')
  })
})

describe('Markdown export of seed 000 in the table layout and seed 003 in prose', () => {
  it('puts seed 000’s decision and action in the action column with the responsible', () => {
    const rows = markdownTable(renderMarkdown(meetingToExportModel(seedDoc(seed000), sv), { layout: 'table' }))
    expect(rows[4]).toEqual([
      '**4. Kort, kort**<br>*Föredragande: Christian Olsson*',
      '**Fortsättning kring frågan FoU H22- Hypotesförslag för SFF**<br>• Förslag på forskare: Centrum för tjänsteforskning, Karlstad universitet',
      '**Beslut:** Ledningsgruppen tog beslut om att vi kommer tacka ja till gå med i detta.<br>☐ Christian återkopplar till gruppen när mer respons behövs.',
      'CO',
    ])
  })

  it('lists seed 003’s actions with their responsible in prose', () => {
    const all = lines(renderMarkdown(meetingToExportModel(seedDoc(seed003), sv), { layout: 'prose' }))
    expect(all).toContain('- [x] Annika dokumenterat i särskilt dokument — *Ansvarig: AA; klar, avbockad av Ingrid Nyman*')
    expect(all).toContain('- [ ] Fundera och ta upp på nästa FLG. — *Ansvarig: Alla*')
    expect(all).toContain('*Gäster: Henrik Frindberg (Miljöförvaltningen), Jens Gille (Miljöförvaltningen)*')
  })
})

describe('exportMeeting', () => {
  it('returns Markdown text with a file name from group and date', async () => {
    const doc = seedDoc(seed001)
    const file = await exportMeeting(doc, { format: 'markdown', layout: 'prose', language: 'sv', numbering: 'plain' })
    expect(file.filename).toBe('FSG-2023-09-25-utkast.md')
    expect(file.mime).toBe('text/markdown;charset=utf-8')
    expect(typeof file.data === 'string' && file.data.startsWith('# Minnesanteckningar från samverkansgrupp FSG\n')).toBe(true)
  })

  it('reads a person added after the seed (the export is of the document as it is now)', async () => {
    const doc = seedDoc(seed003)
    addPerson(doc, { name: 'Eva Fallgren', initials: 'EF', attendance: 'excused', reason: 'sjuk' })
    const file = await exportMeeting(doc, { format: 'markdown', layout: 'table', language: 'sv', numbering: 'plain' })
    expect(markdownSection(String(file.data), 'Frånvarande')).toBe('Eric Semb (ES), Eva Fallgren (EF) (sjuk)')
  })

  it.each(['markdown', 'docx', 'html'] as const)('exports a new, empty meeting as %s without failing', async (format) => {
    const file = await exportMeeting(createMeetingDoc(), { format, layout: 'table', language: 'en', numbering: 'plain' })
    expect(file.filename).toBe(`Minutes-draft.${format === 'markdown' ? 'md' : format}`)
    expect(file.data.length).toBeGreaterThan(0)
  })
})

describe('Markdown export of what typing leaves behind', () => {
  it('leaves out empty paragraphs (Enter twice after a list or a party input): never more than one blank line', () => {
    const doc = createMeetingDoc()
    buildMeeting(doc, {
      items: [
        {
          title: 'Skolval - Utfall',
          blocks: [
            { type: 'bullets', items: [{ text: 'Det saknas sökande.' }] },
            { type: 'paragraph', text: '' },
            { type: 'party', label: 'Kommunal', paragraphs: ['Positivt.', ''] },
            { type: 'paragraph', text: '  ' },
            { type: 'heading', text: '' },
            { type: 'paragraph', text: 'Nästa steg.' },
          ],
        },
      ],
    })
    for (const layout of ['prose', 'table'] as const) {
      const markdown = renderMarkdown(meetingToExportModel(doc, sv), { layout })
      expect(markdown).not.toMatch(/\n\s*\n\s*\n/)
      expect(markdown).toContain('Nästa steg.')
    }
  })
})

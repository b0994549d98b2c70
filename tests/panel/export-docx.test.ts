import { describe, expect, it } from 'vitest'
import { exportMeeting, meetingToExportModel, renderDocx, type ExportLayout, type ExportModelOptions } from '../../src/export'
import { seed000 } from '../fixtures/seeds/seed-000'
import { seed001 } from '../fixtures/seeds/seed-001'
import { seed003 } from '../fixtures/seeds/seed-003'
import { seedDoc, unzip, wordParagraphs, wordTableRows } from './export-helpers'
import type { MeetingDescription } from '../../src/doc'

const sv: ExportModelOptions = { language: 'sv', numbering: 'plain' }

const docx = async (seed: MeetingDescription, layout: ExportLayout, options: ExportModelOptions = sv) => {
  const files = unzip(await renderDocx(meetingToExportModel(seedDoc(seed), options), { layout }))
  const document = files.get('word/document.xml')
  if (document === undefined) throw new Error('no word/document.xml in the DOCX')
  return { files, document, paragraphs: wordParagraphs(document) }
}

const styled = (paragraphs: Array<{ style: string; text: string }>, style: string): string[] =>
  paragraphs.filter((paragraph) => paragraph.style === style).map((paragraph) => paragraph.text)

// Each Word checkbox is a content control: <w:sdt> with a <w14:checkbox> and its state.
const checkboxes = (xml: string): boolean[] =>
  [...xml.matchAll(/<w14:checkbox>[\s\S]*?<w14:checked w14:val="([01])"\/>/g)].map((match) => match[1] === '1')

describe('DOCX export, prose layout', () => {
  it('seed 000: title, header fields, attendance, kind and item headings, presenters', async () => {
    const { paragraphs } = await docx(seed000, 'prose')
    expect(styled(paragraphs, 'Title')).toEqual(['Mötesanteckningar'])
    const texts = paragraphs.map((paragraph) => paragraph.text)
    expect(texts).toContain('UTKAST – ej justerat')
    expect(texts).toContain('Datum: 5 februari 2020')
    expect(texts).toContain('Tid: kl. 09.00–12.00')
    expect(styled(paragraphs, 'Heading1')).toEqual(['Närvarande', 'Information'])
    expect(texts[texts.indexOf('Närvarande') + 1]).toBe(
      'Birgitta Forssman (BF), Christian Olsson (CO), Marie Krantz (MK), Mats Nilsson (MN), Thomas Karlegatt (TK)',
    )
    expect(styled(paragraphs, 'Heading2')).toEqual([
      '1. Återkoppling från grupper',
      '2. Skolval - Utfall',
      '3. SKA – Uppföljning på uppdragen',
      '4. Kort, kort',
      '5. Mål och Ekonomi',
    ])
    expect(styled(paragraphs, 'Heading3')).toEqual(['Fortsättning kring frågan FoU H22- Hypotesförslag för SFF'])
    expect(texts.filter((text) => text.startsWith('Föredragande: '))).toEqual([
      'Föredragande: Mats Nilsson',
      'Föredragande: Thomas Karlegatt och Lolitha Nilsson',
      'Föredragande: Christian Olsson',
      'Föredragande: Birgitta Forssman',
    ])
  })

  it('seed 000: decision, action as a Word checkbox with its responsible, nested bullets, minute-taker line', async () => {
    const { document, paragraphs } = await docx(seed000, 'prose')
    const texts = paragraphs.map((paragraph) => paragraph.text)
    expect(texts).toContain('Beslut: Ledningsgruppen tog beslut om att vi kommer tacka ja till gå med i detta.')
    expect(texts).toContain(' Christian återkopplar till gruppen när mer respons behövs. — Ansvarig: CO')
    expect(checkboxes(document)).toEqual([false])
    expect(document).toContain('<w:sym w:char="2610" w:font="MS Gothic"/>')
    // Bullets three levels deep: Word's list levels 0, 1, 2.
    const levels = [...document.matchAll(/<w:ilvl w:val="(\d)"\/>/g)].map((match) => Number(match[1]))
    expect(Math.max(...levels)).toBe(2)
    expect(texts.at(-1)).toBe('Vid protokollet: Marie Krantz')
    expect(document).toContain('Bokslut 2019 BUN.pdf')
  })

  it('seed 001: adjusters, union input one paragraph per union, action due date', async () => {
    const { paragraphs } = await docx(seed001, 'prose')
    const texts = paragraphs.map((paragraph) => paragraph.text)
    expect(texts).toContain('Justerare: Cecilia Cederström (SSR), Mounir Mansour (Kommunal)')
    expect(styled(paragraphs, 'Heading1')).toEqual(['Närvarande', 'Beslut', 'Information', 'Dialog'])
    const at = texts.indexOf('Fackliga inspel')
    expect(texts.slice(at, at + 4)).toEqual([
      'Fackliga inspel',
      'SSR: SSR tycker att det låter logiskt att rutinen ändras, men ställer sig ändå frågande till hur saker ska komma fram.',
      'SSR menar att vi måste komma ifrån tystnadskulturen.',
      'Kommunal: Kommunal menar att det är viktigt att arbetsgivaren verkligen lyssnar på vad medarbetarna har att säga.',
    ])
    expect(texts).toContain(' HR-chef kommer med förslag på datum för en halvdag. — Ansvarig: HR, senast 20 oktober 2023')
  })

  it('has page numbers in the footer and, for a draft, a header line and a watermark', async () => {
    const { files } = await docx(seed000, 'prose')
    const footer = files.get('word/footer1.xml') ?? ''
    expect(footer).toContain('<w:instrText xml:space="preserve">PAGE</w:instrText>')
    expect(footer).toContain('<w:instrText xml:space="preserve">NUMPAGES</w:instrText>')
    expect(wordParagraphs(footer).map((paragraph) => paragraph.text)).toEqual(['Sida  av '])
    const header = files.get('word/header1.xml') ?? ''
    expect(wordParagraphs(header)[0]?.text).toBe('UTKAST – ej justerat')
    expect(header).toMatch(/<v:textpath [^>]*string="UTKAST"/)
  })

  it('writes English headings and §-numbering', async () => {
    const { paragraphs, files } = await docx(seed001, 'prose', { language: 'en', numbering: 'paragraph' })
    expect(styled(paragraphs, 'Heading1')).toEqual(['Present', 'Decision', 'Information', 'Dialogue'])
    expect(styled(paragraphs, 'Heading2')[0]).toBe('§ 1 Val av justerare')
    expect(paragraphs.map((paragraph) => paragraph.text)).toContain('Minutes taken by: Framtidsledare')
    expect(wordParagraphs(files.get('word/footer1.xml') ?? '').map((paragraph) => paragraph.text)).toEqual(['Page  of '])
    expect(files.get('word/header1.xml')).toContain('DRAFT – not adjusted')
  })
})

describe('DOCX export, table layout', () => {
  it('seed 003: the four column headings in a repeating heading row, one row an item', async () => {
    const { document } = await docx(seed003, 'table')
    const rows = wordTableRows(document)
    expect(rows[0]).toEqual(['Rubrik', 'Anteckning', 'Åtgärd/Beslut', 'Ansvarig'])
    expect(document).toMatch(/<w:trPr><w:tblHeader\/><\/w:trPr>/)
    expect(rows.slice(1).map((row) => row[0]!.split('\n')[0])).toEqual([
      '1. Incheckning',
      '2. Uppföljning tilldelade beslut',
      '3. Tema verksamhetsdialog – fokus Kompetensförsörjning',
      '4. Helsingborg klimatneutralt 2030 – hur kan vi på VOF bidra',
      '5. Chefsnytt- processen',
      '6. Statsbidrag VFU HSL- behov och möjligheter',
      '7. Peer support',
      '8. Utcheckning',
    ])
    expect(rows[4]).toEqual([
      '4. Helsingborg klimatneutralt 2030 – hur kan vi på VOF bidra\nFöredragande: Henrik Frindberg och Jens Gille\nGäster: Henrik Frindberg (Miljöförvaltningen), Jens Gille (Miljöförvaltningen)',
      'Information om 1,5 % målet i världen, stadens Klimat och energiplanen 2018-2024.',
      'Beslut: FLG positiva till förslaget.\n Behöver få tips om konkreta åtgärder tex använda Tena identify för att minska användningen av inkontinensskydd.',
      'Alla',
    ])
    expect(rows[3]![3]).toBe('AA\nAlla')
    expect(rows[7]![3]).toBe('MS\nIN')
  })

  it('seed 003: actions are checkboxes, ticked where done; attendance above the table; no draft mark once adjusted', async () => {
    const { document, files, paragraphs } = await docx(seed003, 'table')
    expect(checkboxes(document)).toEqual([false, true, false, false, false, false, false, false])
    const texts = paragraphs.map((paragraph) => paragraph.text)
    expect(texts[texts.indexOf('Frånvarande') + 1]).toBe('Eric Semb (ES)')
    expect(texts).toContain('Sammankallande: Omsorgsdirektören')
    expect(texts.some((text) => text.includes('UTKAST'))).toBe(false)
    expect([...files.keys()].some((name) => name.startsWith('word/header'))).toBe(false)
    expect(files.get('word/footer1.xml')).toContain('NUMPAGES')
  })

  it('seeds 000 and 001 in the table layout, English', async () => {
    const first = wordTableRows((await docx(seed000, 'table', { language: 'en', numbering: 'plain' })).document)
    expect(first[0]).toEqual(['Heading', 'Note', 'Action/Decision', 'Responsible'])
    expect(first[4]![2]).toBe(
      'Decision: Ledningsgruppen tog beslut om att vi kommer tacka ja till gå med i detta.\n Christian återkopplar till gruppen när mer respons behövs.',
    )
    expect(first[4]![3]).toBe('CO')
    const second = wordTableRows((await docx(seed001, 'table')).document)
    expect(second[4]![1]).toContain('Fackliga inspel\nSSR: SSR tycker')
  })
})

describe('exportMeeting as DOCX', () => {
  it('returns the bytes of a zip with the Word media type and a file name from group and date', async () => {
    const file = await exportMeeting(seedDoc(seed003), { format: 'docx', layout: 'table', language: 'sv', numbering: 'plain' })
    expect(file.filename).toBe('Forvaltningsledningsgruppsmote-2023-02-27.docx')
    expect(file.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(file.data).toBeInstanceOf(Uint8Array)
    expect([...(file.data as Uint8Array).subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04])
  })
})

import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MeetingDescription } from '../../src/doc'
import { meetingToExportModel, renderPrintHtml, type ExportLayout, type ExportModelOptions } from '../../src/export'
import { seed000 } from '../fixtures/seeds/seed-000'
import { seed001 } from '../fixtures/seeds/seed-001'
import { seed003 } from '../fixtures/seeds/seed-003'
import { seedDoc } from '../panel/export-helpers'

// The print page as a user gets it: rendered by Chromium into an A4 PDF, read back as text.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PDFTOTEXT = '/usr/bin/pdftotext'

let browser: Browser
let dir: string

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: \`apt-get install -y chromium\` or set CHROMIUM_PATH.`)
  if (!existsSync(PDFTOTEXT)) throw new Error('No pdftotext: `apt-get install -y poppler-utils`.')
  dir = mkdtempSync(join(tmpdir(), 'minutes-export-pdf-'))
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
})

afterAll(async () => {
  await browser?.close()
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

interface PdfText {
  /** pdftotext -layout output, one entry a page. */
  readonly pages: string[]
  /** All text with runs of whitespace as one space: for sentences that wrap. */
  readonly flat: string
  readonly lines: string[]
}

let count = 0
const printed = async (seed: MeetingDescription, layout: ExportLayout, options: ExportModelOptions): Promise<PdfText> => {
  const page = await browser.newPage()
  try {
    await page.setContent(renderPrintHtml(meetingToExportModel(seedDoc(seed), options), { layout }))
    const file = join(dir, `export-${(count += 1)}.pdf`)
    writeFileSync(file, await page.pdf({ format: 'A4' }))
    // "§ 1" is printed with a no-break space; compare it as a plain one. The table's long
    // words carry soft hyphens, which pdftotext keeps: a reader does not see them.
    const text = execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\u00a0/g, ' ').replace(/\u00ad/g, '')
    const pages = text.split('\f').filter((pageText) => pageText.trim() !== '')
    return { pages, flat: text.replace(/\s+/g, ' '), lines: text.split('\n').map((line) => line.trim()) }
  } finally {
    await page.close()
  }
}

const sv: ExportModelOptions = { language: 'sv', numbering: 'plain' }
const en: ExportModelOptions = { language: 'en', numbering: 'plain' }

describe('print page printed to PDF by Chromium, prose layout', () => {
  it('seed 000: header, attendance, numbered items with presenters, decision, action with responsible, draft mark, page numbers', async () => {
    const pdf = await printed(seed000, 'prose', sv)
    expect(pdf.lines).toContain('Mötesanteckningar')
    expect(pdf.flat).toContain('Datum 5 februari 2020')
    expect(pdf.flat).toContain('Sekreterare Marie Krantz')
    expect(pdf.lines).toContain('Närvarande')
    expect(pdf.flat).toContain('Birgitta Forssman (BF), Christian Olsson (CO), Marie Krantz (MK), Mats Nilsson (MN), Thomas Karlegatt (TK)')
    const headings = ['1. Återkoppling från grupper', '2. Skolval - Utfall', '3. SKA – Uppföljning på uppdragen', '4. Kort, kort', '5. Mål och Ekonomi']
    const positions = headings.map((heading) => pdf.lines.indexOf(heading))
    expect(positions.every((position) => position >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
    expect(pdf.lines).toContain('Föredragande: Mats Nilsson')
    expect(pdf.lines).toContain('Föredragande: Christian Olsson')
    expect(pdf.flat).toContain('Beslut: Ledningsgruppen tog beslut om att vi kommer tacka ja till gå med i detta.')
    expect(pdf.flat).toContain('☐ Christian återkopplar till gruppen när mer respons behövs. — Ansvarig: CO')
    expect(pdf.lines).toContain('Summering och avslut')
    expect(pdf.flat).toContain('Vid protokollet: Marie Krantz')
    // The draft mark on top of the first page and in every page's top margin box.
    expect(pdf.pages[0]!.split('UTKAST – ej justerat').length - 1).toBe(2)
    pdf.pages.forEach((page, index) => {
      expect(page).toContain('UTKAST – ej justerat')
      expect(page).toContain(`Sida ${index + 1} av ${pdf.pages.length}`)
    })
    // The on-screen print hint is not printed.
    expect(pdf.flat).not.toContain('Ctrl+P')
  })

  it('seed 001 in English with §: adjusters, kind headings, union input per union, action due date', async () => {
    const pdf = await printed(seed001, 'prose', { language: 'en', numbering: 'paragraph' })
    // A title may wrap where another Chromium build's font metrics put the line end.
    expect(pdf.flat).toContain('Minnesanteckningar från samverkansgrupp FSG')
    expect(pdf.flat).toContain('Adjusters Cecilia Cederström (SSR), Mounir Mansour (Kommunal)')
    expect(pdf.lines).toContain('Present')
    for (const heading of ['Decision', 'Information', 'Dialogue', '§ 1 Val av justerare', '§ 4 Avslutsamtal', '§ 9 Övrigt']) {
      expect(pdf.lines).toContain(heading)
    }
    expect(pdf.lines).toContain('Presenter: HR-chef')
    expect(pdf.lines.filter((line) => line === 'Union input')).toHaveLength(3)
    expect(pdf.flat).toContain('SSR: SSR tycker att det låter logiskt att rutinen ändras')
    expect(pdf.flat).toContain('Kommunal: Kommunal menar att det är viktigt')
    expect(pdf.flat).toContain('☐ HR-chef kommer med förslag på datum för en halvdag. — Responsible: HR, due 20 October 2023')
    expect(pdf.flat).toContain('Attachment: Delårsrapport augusti 2023')
    pdf.pages.forEach((page, index) => {
      expect(page).toContain('DRAFT – not adjusted')
      expect(page).toContain(`Page ${index + 1} of ${pdf.pages.length}`)
    })
  })

  it('seed 003 in prose: adjusted minutes carry no draft mark', async () => {
    const pdf = await printed(seed003, 'prose', sv)
    expect(pdf.flat).not.toContain('UTKAST')
    expect(pdf.lines).toContain('4. Helsingborg klimatneutralt 2030 – hur kan vi på VOF bidra')
    expect(pdf.flat).toContain('Gäster: Henrik Frindberg (Miljöförvaltningen), Jens Gille (Miljöförvaltningen)')
    expect(pdf.flat).toContain('☑ Annika dokumenterat i särskilt dokument — Ansvarig: AA; klar, avbockad av Ingrid Nyman')
  })
})

describe('print page printed to PDF by Chromium, table layout', () => {
  it('seed 003: header, attendance, the four column headings on every page, rows with decisions and responsible', async () => {
    const pdf = await printed(seed003, 'table', sv)
    expect(pdf.flat).not.toContain('UTKAST')
    expect(pdf.lines).toContain('Minnesanteckning')
    expect(pdf.flat).toContain('Sammankallande Omsorgsdirektören')
    expect(pdf.flat).toContain('Tid kl. 09.00–16.00')
    expect(pdf.lines).toContain('Frånvarande')
    expect(pdf.lines).toContain('Eric Semb (ES)')
    expect(pdf.flat).toContain('Henrik Frindberg (Miljöförvaltningen) under punkt 4')
    // The table's heading row repeats at the top of every page it runs onto.
    const pagesWithRows = pdf.pages.filter((page) => /^\s*\d+\. \S/m.test(page))
    expect(pagesWithRows.length).toBeGreaterThan(1)
    for (const page of pagesWithRows) expect(page).toMatch(/^\s*Rubrik\s+Anteckning\s+Åtgärd\/Beslut\s+Ansvarig\s*$/m)
    // A row's first line holds its heading, note, outcome and responsible side by side.
    expect(pdf.lines.find((line) => line.startsWith('2. Uppföljning'))).toMatch(/Tre beslut aktuella för\b.*☐ Två åtgärdade\b.*\s+Alla$/)
    expect(pdf.lines.find((line) => line.startsWith('5. Chefsnytt-'))).toMatch(/Daniela informerar.*Beslut: Avdelningarna\s+DF$/)
    expect(pdf.lines.find((line) => line.startsWith('7. Peer support'))).toMatch(/Beslut: FLG beslutar\b.*\s+MS$/)
    for (const start of ['1. Incheckning', '3. Tema', '4. Helsingborg', '6. Statsbidrag', '8. Utcheckning']) {
      expect(pdf.lines.some((line) => line.startsWith(start))).toBe(true)
    }
    expect(pdf.lines).toContain('Föredragande:')
    expect(pdf.flat).toContain('Vid protokollet: Ingrid Nyman')
    pdf.pages.forEach((page, index) => expect(page).toContain(`Sida ${index + 1} av ${pdf.pages.length}`))
  })

  it('seed 003 in English: the English column headings', async () => {
    const pdf = await printed(seed003, 'table', en)
    expect(pdf.lines.some((line) => /^Heading\s+Note\s+Action\/Decision\s+Responsible$/.test(line))).toBe(true)
    expect(pdf.lines).toContain('Absent')
  })

  it('seeds 000 and 001 in the table layout: draft marked, items as rows, decision and responsible beside', async () => {
    const first = await printed(seed000, 'table', sv)
    expect(first.pages[0]).toContain('UTKAST – ej justerat')
    expect(first.lines.some((line) => /^Rubrik\s+Anteckning\s+Åtgärd\/Beslut\s+Ansvarig$/.test(line))).toBe(true)
    expect(first.lines.find((line) => line.startsWith('4. Kort, kort'))).toMatch(/\s+CO$/)
    const row = first.lines.slice(first.lines.findIndex((line) => line.startsWith('4. Kort, kort')))
    const rowText = row.slice(0, row.findIndex((line, index) => index > 0 && /^5\. /.test(line))).join(' ')
    // "Ledningsgruppen" breaks with a hyphen in the narrow column ("Ledningsgrup‐ / pen").
    expect(rowText).toMatch(/Beslut:\s+Lednings/)
    expect(rowText).toContain('\u2010')
    const second = await printed(seed001, 'table', { language: 'sv', numbering: 'paragraph' })
    expect(second.lines.some((line) => /^§ ?1 Val av\b/.test(line))).toBe(true)
    // Where the title wraps right after the number, pdftotext reads "§ 8" back as "§8".
    expect(second.lines.find((line) => /^§ ?8\b/.test(line))).toMatch(/☐ HR-chef kommer\b.*\s+HR$/)
  })
})

import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { unzip, wordParagraphs } from '../panel/export-helpers'
import { createJoinCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { createMeeting, editorOf, editorText, joinSpace, openMeeting, showTab, waitForStatus } from './panel-driver'

// Seed 000 (a school administration's management group, 5 February 2020), entered by two
// attendees at the same time through the panel only: clicks and keys, no model API. Marie
// (Swedish panel) writes items 1–4 and the header; Bo (English panel) pastes the attendance
// and writes items 5–7 at the end while she types. Then every export, in both layouts and
// both languages, must carry every field.

const dir = mkdtempSync(join(tmpdir(), 'minutes-seed-000-'))
afterAll(() => process.env.KEEP_EXPORTS ? console.log(dir) : rmSync(dir, { recursive: true, force: true }))

const KIND_ORDER = ['decision', 'information', 'dialog', 'brief', 'checkin', 'checkout'] as const
type Kind = (typeof KIND_ORDER)[number]

interface ItemFields {
  title: string
  kind?: Kind
  presenter?: string
  guest?: string
}

/**
 * The header of the item whose title has the caret, by keyboard only: Tab to the kind (arrows
 * from Information, a new item's kind), Tab to the presenter, Tab to a guest and Enter adds
 * them; Enter in the presenter (or in the empty guest field) goes back to the title, and Enter
 * there into the item's text.
 */
const itemHeader = async (page: Page, item: ItemFields): Promise<void> => {
  await page.keyboard.press('Tab')
  const steps = KIND_ORDER.indexOf(item.kind ?? 'information') - KIND_ORDER.indexOf('information')
  for (let step = 0; step < Math.abs(steps); step += 1) await page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp')
  await page.keyboard.press('Tab')
  if (item.presenter !== undefined) await page.keyboard.type(item.presenter)
  if (item.guest !== undefined) {
    await page.keyboard.press('Tab')
    await page.keyboard.type(item.guest)
    await page.keyboard.press('Enter')
  }
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
}

/** A new agenda item after the one at the caret (Ctrl+Shift+Enter), its title and header. */
const newItem = async (page: Page, item: ItemFields): Promise<void> => {
  await page.keyboard.press('Control+Shift+Enter')
  await page.keyboard.type(item.title)
  await itemHeader(page, item)
}

/** An action at the caret's paragraph: `[] `, its text, Tab to responsible, Tab to due, Enter back. */
const action = async (page: Page, text: string, responsible: string, due: string): Promise<void> => {
  await page.keyboard.type(`[] ${text}`)
  await page.keyboard.press('Tab')
  await page.keyboard.type(responsible)
  await page.keyboard.press('Tab')
  await page.keyboard.type(due)
  await page.keyboard.press('Enter')
}

/** Runs a toolbar command from the "More" menu by keyboard. */
const fromMoreMenu = async (page: Page, command: string): Promise<void> => {
  await page.locator('.toolbar button.more').click()
  await page.locator(`.toolbar-menu button[data-command="${command}"]`).click()
}

/** Marie: the header in Details, then items 1–4 (check-in, a guest, party input, lists). */
const marieWrites = async (page: Page): Promise<void> => {
  await showTab(page, 'details')
  const fields: ReadonlyArray<[string, string]> = [
    ['organisation', 'Skol- och fritidsförvaltningen'],
    ['group', 'Förvaltningsledningsgrupp'],
    ['date', '2020-2-5'],
    ['start', '8.30'],
    ['end', '12'],
    ['place', 'Rådhuset, sal 3'],
    ['convener', 'Mats Nilsson'],
    ['secretary', 'Marie Krantz'],
  ]
  for (const [name, value] of fields) {
    // A new meeting has today's date and the time of day filled in: select, then type over.
    await page.locator(`.tab-panel-details input[name="${name}"]`).click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type(value)
    await page.keyboard.press('Tab')
  }
  await showTab(page, 'minutes')
  await editorOf(page).focus()
  await page.keyboard.press('Control+Home')
  // The first item's title was typed before Bo joined; its kind and text follow.
  await page.keyboard.press('End')
  await itemHeader(page, { title: 'Incheckning', kind: 'checkin' })
  await page.keyboard.type('Alla delade hur veckan har varit.')

  await newItem(page, { title: 'Återkoppling från grupper', guest: 'Helene Saetre' })
  await page.keyboard.type('Verksamhetschefsgruppen: CESD - Matz deltog på Chefsnätverket för lärande.')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Ny folkhälsoenkät för åk 6 och 9 är på gång.')
  // Input from a party: the label first, Enter, then its text.
  await fromMoreMenu(page, 'partyInput')
  await page.keyboard.type('Kommunal')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Kommunal ser positivt på enkäten.')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Bordercrossing: nästa steg är en kostnadskalkyl.')

  await newItem(page, { title: 'Skolval - Utfall', presenter: 'Mats Nilsson' })
  await page.keyboard.type('Mats gav en uppdatering av skolvalet.')
  await page.keyboard.press('Enter')
  await page.keyboard.type('- Det saknas fortfarande sökande till förskoleklass.')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Söktrycket är skiftande mellan skolorna.')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')

  await newItem(page, { title: 'SKA – Uppföljning på uppdragen', kind: 'dialog', presenter: 'Thomas Karlegatt och Lolitha Nilsson' })
  await page.keyboard.type('Två olika versioner presenterades och diskuterades.')
}

/** Bo: the attendance in People, then items 5–7 at the end (brief, decision, check-out). */
const boWrites = async (page: Page): Promise<void> => {
  await showTab(page, 'people')
  await page.locator('textarea[name="people-paste"]').click()
  await page.keyboard.type(
    'Närvarande: Annika Andersson (AA), Birgitta Forssman (BF), Christian Olsson (CO), Marie Krantz (MK), ' +
      'Mats Nilsson (MN), Thomas Karlegatt (TK), Lolitha Nilsson (LN), Jenny Ejlertsson (JE), Anci Holm (AH), Bo Berg (BB)\n' +
      'Frånvarande: Eric Semb (sem)',
  )
  await page.locator('form.people-paste button[type="submit"]').click()
  await expect.poll(() => page.locator('li.person').count()).toBeGreaterThanOrEqual(11)
  await showTab(page, 'minutes')
  await editorOf(page).focus()
  await page.keyboard.press('Control+End')
  await newItem(page, { title: 'Kort, kort', kind: 'brief', presenter: 'Christian Olsson' })
  await page.keyboard.type('Hypotes: självstyrande team ger ökad livskvalitet.')
  await page.keyboard.press('Enter')
  await page.keyboard.type('Beslut: Ledningsgruppen tackar ja till att gå med.')
  await page.keyboard.press('Enter')
  await action(page, 'Christian återkopplar till gruppen', 'CO', '2020-03-01')

  await page.keyboard.press('Control+End')
  await newItem(page, { title: 'Mål och Ekonomi', kind: 'decision', presenter: 'Birgitta Forssman' })
  await page.keyboard.type('Resultat +21,5 mkr, 0,5 % av omslutningen.')
  await fromMoreMenu(page, 'attachment')
  await page.keyboard.type('Bokslut 2019 BUN.pdf')
  await page.keyboard.press('Enter')
  await action(page, 'Ta fram en kostnadskalkyl', 'BF', '2020-3-15')

  await page.keyboard.press('Control+End')
  await newItem(page, { title: 'Utcheckning', kind: 'checkout' })
  await page.keyboard.type('Bra möte.')
}

interface Exported {
  readonly markdown: string
  readonly docx: string
  readonly pdf: string
}

/**
 * What a reader sees in the minutes whatever the panel's language: the text, and the values of
 * the fields in place (kind, presenter, guests, party, attachment, responsible, due), not
 * their labels.
 */
const minutesContent = (page: Page): Promise<string> =>
  editorOf(page).evaluate((root) => {
    const parts: string[] = []
    const walk = (node: Node): void => {
      if (node instanceof HTMLSelectElement || node instanceof HTMLInputElement) {
        if (node.type !== 'checkbox') parts.push(`[${node.value}]`)
        return
      }
      if (node instanceof HTMLElement && node.classList.contains('agenda-guest')) parts.push(`[${node.firstChild?.textContent ?? ''}]`)
      else if (node.nodeType === Node.TEXT_NODE && node.parentElement?.closest('[contenteditable="false"]') === null) parts.push(node.textContent ?? '')
      else node.childNodes.forEach(walk)
    }
    walk(root)
    return parts.join('')
  })

/** Text as a reader reads it: a word broken at a soft hyphen ("kostnads‐ / kalkyl") is one word. */
const flat = (text: string): string =>
  text
    .replace(/\u00ad/g, '')
    .replace(/\u2010\s+/g, '')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')

/** Markdown, Word and the print page (printed to PDF by Chromium), all as flat text. */
const exportAll = async (page: Page, layout: 'prose' | 'table', language: 'sv' | 'en'): Promise<Exported> => {
  await page.locator('select[name="export-layout"]').selectOption(layout)
  await page.locator('select[name="export-language"]').selectOption(language)
  const download = async (format: 'markdown' | 'docx'): Promise<Buffer> => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator(`section.export button[data-format="${format}"]`).click()])
    return readFile((await file.path())!)
  }
  const markdown = (await download('markdown')).toString('utf8')
  writeFileSync(join(dir, `${layout}-${language}.md`), markdown)
  const document = unzip(await download('docx')).get('word/document.xml') ?? ''
  const docx = wordParagraphs(document)
    .map((paragraph) => paragraph.text)
    .join('\n')
  const [printTab] = await Promise.all([page.context().waitForEvent('page'), page.locator('section.export button[data-format="html"]').click()])
  await printTab.waitForLoadState()
  const file = join(dir, `${layout}-${language}.pdf`)
  writeFileSync(file, await printTab.pdf({ format: 'A4' }))
  await printTab.close()
  // Reading order, not -layout: a table's cells then read one after the other.
  const pdf = execFileSync('/usr/bin/pdftotext', [file, '-'], { encoding: 'utf8' })
  return { markdown: flat(markdown), docx: flat(docx), pdf: flat(pdf) }
}

/** What must be found in every export, whatever its layout, in that export's language. */
const expected = (language: 'sv' | 'en'): string[] => [
  'Mötesanteckningar',
  'Skol- och fritidsförvaltningen',
  'Förvaltningsledningsgrupp',
  language === 'sv' ? '5 februari 2020' : '5 February 2020',
  ...(language === 'sv' ? ['kl. 08.30–12.00'] : ['08:30–12:00']),
  'Rådhuset, sal 3',
  'Mats Nilsson',
  'Marie Krantz',
  'Annika Andersson (AA)',
  'Bo Berg (BB)',
  'Anci Holm (AH)',
  'Eric Semb',
  'sem',
  'Helene Saetre',
  'Incheckning',
  'Alla delade hur veckan har varit.',
  'Återkoppling från grupper',
  'Verksamhetschefsgruppen: CESD - Matz deltog på Chefsnätverket för lärande.',
  'Kommunal',
  'Kommunal ser positivt på enkäten.',
  'Bordercrossing: nästa steg är en kostnadskalkyl.',
  'Skolval - Utfall',
  'Det saknas fortfarande sökande till förskoleklass.',
  'Söktrycket är skiftande mellan skolorna.',
  'SKA – Uppföljning på uppdragen',
  'Thomas Karlegatt och Lolitha Nilsson',
  'Två olika versioner presenterades och diskuterades.',
  'Kort, kort',
  'Christian Olsson',
  'Ledningsgruppen tackar ja till att gå med.',
  'Christian återkopplar till gruppen',
  'CO',
  language === 'sv' ? '1 mars 2020' : '1 March 2020',
  'Mål och Ekonomi',
  'Birgitta Forssman',
  'Resultat +21,5 mkr, 0,5 % av omslutningen.',
  'Bokslut 2019 BUN.pdf',
  'Ta fram en kostnadskalkyl',
  language === 'sv' ? '15 mars 2020' : '15 March 2020',
  'Utcheckning',
  'Bra möte.',
  ...(language === 'sv' ? ['Föredragande', 'Frånvarande', 'Beslut', 'Bilaga'] : ['Presenter', 'Absent', 'Decision', 'Attachment']),
]

describe('seed 000, entered through the panel by two attendees at once', () => {
  it('holds every field of real minutes, and every export in both layouts and both languages has them all', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const marie = await launchAttendee({ lang: 'sv', viewport: { width: 360, height: 900 } })
    const bo = await launchAttendee({ lang: 'en', viewport: { width: 360, height: 900 } })
    await joinSpace(marie.page, code, 'Marie Krantz')
    await joinSpace(bo.page, code, 'Bo Berg')
    await createMeeting(marie.page, 'Mötesanteckningar')
    await editorOf(marie.page).focus()
    await marie.page.keyboard.press('Control+Home')
    await marie.page.keyboard.type('Incheckning')
    await openMeeting(bo.page, 'Mötesanteckningar')
    await expect.poll(() => editorText(bo.page), { timeout: 20_000 }).toContain('Incheckning')

    await Promise.all([marieWrites(marie.page), boWrites(bo.page)])

    // Both see the same minutes, in the order each wrote them, and the server has it all.
    await waitForStatus(marie.page, 'saved')
    await waitForStatus(bo.page, 'saved')
    await expect.poll(async () => (await minutesContent(bo.page)) === (await minutesContent(marie.page)), { timeout: 20_000 }).toBe(true)
    // Each one's items in the order they wrote them. Where both added an item after the same
    // one at the same moment, which comes first is the CRDT's choice, the same in both panels.
    const titles = await marie.page.locator('.minutes-editor .agenda-title').allInnerTexts()
    expect(await bo.page.locator('.minutes-editor .agenda-title').allInnerTexts()).toEqual(titles)
    const marieItems = ['Incheckning', 'Återkoppling från grupper', 'Skolval - Utfall', 'SKA – Uppföljning på uppdragen']
    const boItems = ['Kort, kort', 'Mål och Ekonomi', 'Utcheckning']
    expect([...titles].sort()).toEqual([...marieItems, ...boItems].sort())
    expect(titles.filter((title) => marieItems.includes(title))).toEqual(marieItems)
    expect(titles.filter((title) => boItems.includes(title))).toEqual(boItems)
    const kindOf: Record<string, string> = {
      Incheckning: 'checkin',
      'Återkoppling från grupper': 'information',
      'Skolval - Utfall': 'information',
      'SKA – Uppföljning på uppdragen': 'dialog',
      'Kort, kort': 'brief',
      'Mål och Ekonomi': 'decision',
      Utcheckning: 'checkout',
    }
    const kinds = await marie.page.locator('.minutes-editor section.agenda-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-kind')))
    expect(kinds).toEqual(titles.map((title) => kindOf[title]))
    // Bo's panel shows Marie's header as she typed it, normalised.
    await showTab(bo.page, 'details')
    expect(await bo.page.locator(".tab-panel-details input[name=date]").inputValue()).toBe('2020-02-05')
    expect(await bo.page.locator(".tab-panel-details input[name=start]").inputValue()).toBe('08:30')

    await showTab(marie.page, 'export')
    const missing: string[] = []
    for (const layout of ['prose', 'table'] as const) {
      for (const language of ['sv', 'en'] as const) {
        const exported = await exportAll(marie.page, layout, language)
        for (const format of ['markdown', 'docx', 'pdf'] as const) {
          for (const text of expected(language)) {
            if (!exported[format].includes(text)) missing.push(`${format} ${layout} ${language}: ${JSON.stringify(text)}`)
          }
        }
      }
    }
    expect(missing).toEqual([])
  })
})

import { readFile } from 'node:fs/promises'
import { inflateRawSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { launchAttendee } from './harness'
import { backToList, continueWithoutServer, createMeeting, editorOf, setDetail, showTab } from './panel-driver'

/** The names of a zip's entries (its central directory). */
const zipNames = (zip: Buffer): string[] => {
  const names: string[] = []
  let at = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = zip.readUInt16LE(at + 10)
  at = zip.readUInt32LE(at + 16)
  for (let n = 0; n < count; n++) {
    const nameLength = zip.readUInt16LE(at + 28)
    names.push(zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'))
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
  }
  return names
}

/** The text of word/document.xml inside a .docx. */
const docxText = (docx: Buffer): string => {
  let at = docx.indexOf(Buffer.from('word/document.xml'))
  while (at >= 0 && docx.readUInt32LE(at - 30) !== 0x04034b50) at = docx.indexOf(Buffer.from('word/document.xml'), at + 1)
  const header = at - 30
  const size = docx.readUInt32LE(header + 18)
  const start = header + 30 + docx.readUInt16LE(header + 26) + docx.readUInt16LE(header + 28)
  const data = docx.subarray(start, start + size)
  return (docx.readUInt16LE(header + 8) === 8 ? inflateRawSync(data) : data).toString('utf8')
}

describe('series and archive', () => {
  it('lists a series’ meetings in date order with their state, and exports the series as one Word file and a date range as Markdown in a zip', async () => {
    const { page } = await launchAttendee({ lang: 'sv', viewport: { width: 360, height: 800 } })
    await continueWithoutServer(page, 'Marie Krantz')

    await createMeeting(page, 'FLG februari')
    await editorOf(page).focus()
    await page.keyboard.type('Lönerevision')
    await showTab(page, 'details')
    await setDetail(page, 'group', 'FLG')
    await setDetail(page, 'date', '2026-02-12')
    await backToList(page)

    await createMeeting(page, 'FLG januari')
    await editorOf(page).focus()
    await page.keyboard.type('Budget')
    await showTab(page, 'details')
    await setDetail(page, 'group', 'FLG')
    await setDetail(page, 'date', '2026-01-15')
    await showTab(page, 'adjust')
    await page.locator('section.adjustment .mark-final').click()
    await expect.poll(() => page.locator('section.adjustment').getAttribute('data-state')).toBe('final')
    await backToList(page)

    await page.locator('button.open-series').click()
    const series = page.locator('section.series', { hasText: 'FLG' })
    await expect.poll(() => series.locator('.series-meetings li').count()).toBe(2)
    expect(await series.locator('.series-meetings li .entry-title').allInnerTexts()).toEqual(['FLG januari', 'FLG februari'])
    expect(await series.locator('.series-meetings li .state').allInnerTexts()).toEqual(['Färdigt', 'Utkast'])

    const [docx] = await Promise.all([page.waitForEvent('download'), series.locator('.series-export button[type="submit"]').click()])
    expect(docx.suggestedFilename()).toBe('FLG.docx')
    const text = docxText(await readFile((await docx.path())!))
    expect(text.indexOf('FLG januari')).toBeGreaterThan(-1)
    expect(text.indexOf('FLG februari')).toBeGreaterThan(text.indexOf('FLG januari'))

    // From 1 February: one meeting, as Markdown in a zip; by keyboard.
    await series.locator('select[name="series-format"]').selectOption('markdown-zip')
    await series.locator('input[name="series-from"]').click()
    await page.keyboard.type('2026-02-01')
    const [zip] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
    expect(zip.suggestedFilename()).toBe('FLG-2026-02-01.zip')
    expect(zipNames(await readFile((await zip.path())!))).toEqual(['FLG-2026-02-12-utkast.md'])

    // A meeting opens from the series.
    await series.locator('.meeting-entry', { hasText: 'FLG januari' }).click()
    await editorOf(page).waitFor()
    expect(await page.locator('input[name="title"]').inputValue()).toBe('FLG januari')
  })
})

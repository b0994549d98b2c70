import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { launchAttendee } from './harness'
import { continueWithoutServer, createMeeting, editorOf, showTab } from './panel-driver'

const focusedName = (page: import('playwright-core').Page): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('name') ?? null)

describe('the meeting view of a side panel', () => {
  it('turns a pasted attendance into people with initials, an absence with its reason and a guest', async () => {
    const secretary = await launchAttendee({ lang: 'sv', viewport: { width: 360, height: 800 } })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await createMeeting(page, 'FSG 25 september')
    await showTab(page, 'people')
    await page.locator('textarea[name="people-paste"]').click()
    await page.keyboard.type('Närvarande: Annika Andersson (AA), Bo Berg (BB), Marie Krantz (MK)\nFrånvarande: Eric Semb (sem)\nGäster: Henrik Frindberg (Miljöförvaltningen)')
    await page.locator('form.people-paste button[type="submit"]').click()
    await expect.poll(() => page.locator('li.person').count()).toBe(5)
    const rows = await page.locator('li.person summary').allInnerTexts()
    expect(rows.find((row) => row.includes('Annika Andersson'))).toMatch(/\(AA\).*Närvarande/)
    expect(rows.find((row) => row.includes('Eric Semb'))).toMatch(/Frånvarande.*sem/)
    expect(rows.find((row) => row.includes('Henrik Frindberg'))).toMatch(/Miljöförvaltningen|Gäst/)
    expect(await page.locator('[role="status"]', { hasText: '5 tillagda' }).count()).toBe(1)
  })

  it('keeps rare commands in "More", reached by keyboard: ArrowDown opens it, arrows move, Enter runs, Escape closes', async () => {
    const secretary = await launchAttendee({ viewport: { width: 320, height: 700 } })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await createMeeting(page, 'LG')
    await editorOf(page).focus()
    await page.keyboard.type('Budget')
    const more = page.locator('.toolbar button.more')
    await more.focus()
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => more.getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.locator('.toolbar-more .toolbar-menu').isHidden()).toBe(true)
    expect(await page.evaluate(() => document.activeElement?.classList.contains('more'))).toBe(true)

    await page.keyboard.press('ArrowDown')
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.toolbar-menu') !== null)).toBe(true)
    await page.keyboard.press('End') // the last entry: "Add a check-out round"
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add a check-out round')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.editor-mount section.agenda-item').count()).toBe(2)
    expect(await page.locator('.editor-mount section.agenda-item').nth(1).getAttribute('data-kind')).toBe('checkout')
    expect(await page.locator('.toolbar-more .toolbar-menu').isHidden()).toBe(true)
  })

  it('takes the date and times in the form of the minutes, whatever the system locale: ISO and 24-hour', async () => {
    const secretary = await launchAttendee({ lang: 'sv' })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await createMeeting(page, 'LG')
    await showTab(page, 'details')
    await page.locator('input[name="date"]').click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('2026-3-5')
    await page.keyboard.press('Tab')
    expect(await page.locator('input[name="date"]').inputValue()).toBe('2026-03-05')
    expect(await focusedName(page)).toBe('start')
    await page.keyboard.type('9')
    await page.keyboard.press('Tab')
    await page.keyboard.type('1630')
    await page.keyboard.press('Tab')
    expect(await page.locator('input[name="start"]').inputValue()).toBe('09:00')
    expect(await page.locator('input[name="end"]').inputValue()).toBe('16:30')
    expect(await page.locator('.meeting-when').innerText()).toBe('5 mars 2026 · 09:00–16:30')
    await page.locator('input[name="date"]').fill('30 februari')
    await page.keyboard.press('Tab')
    expect(await page.locator('input[name="date"]').getAttribute('aria-invalid')).toBe('true')
  })
})

describe('numbering that goes on through the year', () => {
  it('numbers the items from the first number set in Details (§ 34 …), in the editor and in the export', async () => {
    const secretary = await launchAttendee({ lang: 'sv' })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await createMeeting(page, 'Kommunstyrelsens arbetsutskott')
    await editorOf(page).focus()
    await page.keyboard.press('Control+Home')
    await page.keyboard.type('Val av justerare')
    await page.keyboard.press('Control+Shift+Enter')
    await page.keyboard.type('Budget 2027')
    await showTab(page, 'details')
    await page.locator('.tab-panel-details input[name="firstNumber"]').click()
    await page.keyboard.type('x')
    await page.keyboard.press('Tab')
    expect(await page.locator('.tab-panel-details input[name="firstNumber"]').getAttribute('aria-invalid')).toBe('true')
    await page.locator('.tab-panel-details input[name="firstNumber"]').fill('34')
    await page.keyboard.press('Tab')
    await showTab(page, 'minutes')
    // The numbers are drawn by a CSS counter that starts one below the first number.
    expect(await editorOf(page).evaluate((editor) => getComputedStyle(editor).counterReset)).toBe('agenda-item 33')
    await showTab(page, 'export')
    await page.locator('section.export input[name="export-numbering"]').check()
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('section.export button[data-format="markdown"]').click()])
    const markdown = await readFile((await download.path())!, 'utf8')
    expect(markdown).toContain('### § 34 Val av justerare')
    expect(markdown).toContain('### § 35 Budget 2027')
  })
})

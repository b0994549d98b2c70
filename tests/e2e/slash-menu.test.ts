import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createJoinCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { continueWithoutServer, createMeeting, editorOf, editorText, joinSpace, openMeeting } from './panel-driver'
import { seriousViolations } from './screen-checks'
import { screenshotDir } from './screenshots'

const menu = (page: Page) => page.locator('.slash-menu')
const listbox = (page: Page) => page.locator('.slash-menu [role="listbox"]')
const optionLabels = (page: Page): Promise<string[]> => listbox(page).locator('[role="option"]').allInnerTexts()
const activeOption = async (page: Page): Promise<string | null> => {
  const id = await editorOf(page).getAttribute('aria-activedescendant')
  return id === null ? null : page.locator(`[id="${id}"]`).innerText()
}
const items = (page: Page) => page.locator('.editor-mount section.agenda-item')

/** A meeting whose first item is titled `title`, the caret in an empty paragraph under it. */
const startMinutes = async (page: Page, title: string): Promise<void> => {
  await createMeeting(page, 'LG')
  await editorOf(page).focus()
  await page.keyboard.press('Control+Home')
  await page.keyboard.type(title)
  await page.keyboard.press('Enter')
}

describe('the "/" menu in the text', () => {
  it('in Swedish: "/" lists the commands, "beslut" filters, Enter makes a decision and removes "/beslut"', async () => {
    const secretary = await launchAttendee({ lang: 'sv', viewport: { width: 360, height: 700 } })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await startMinutes(page, 'Budget')
    await page.keyboard.type('/')
    await listbox(page).waitFor()
    expect(await listbox(page).getAttribute('aria-label')).toBe('Infoga')
    expect(await optionLabels(page)).toEqual([
      'Punkt: Beslut',
      'Punkt: Information',
      'Punkt: Dialog',
      'Punkt: Kort, kort',
      'Beslut',
      'Åtgärd',
      'Inspel från part',
      'Bilaga',
      'Lägg till en incheckningsrunda',
      'Lägg till en utcheckningsrunda',
    ])
    expect(await editorOf(page).getAttribute('aria-controls')).toBe(await listbox(page).getAttribute('id'))
    expect(await activeOption(page)).toBe('Punkt: Beslut')
    expect(await seriousViolations(page)).toEqual([])
    await page.screenshot({ path: join(screenshotDir(), 'slash-menu-sv.png') })

    await page.keyboard.type('beslut')
    expect(await optionLabels(page)).toEqual(['Beslut', 'Punkt: Beslut'])
    expect(await activeOption(page)).toBe('Beslut')
    await page.screenshot({ path: join(screenshotDir(), 'slash-menu-filtered-sv.png'), clip: { x: 0, y: 0, width: 360, height: 420 } })
    await page.keyboard.press('Enter')
    await expect.poll(() => menu(page).isHidden()).toBe(true)
    expect(await editorOf(page).locator('.decision').count()).toBe(1)
    await page.keyboard.type('Ledningsgruppen beslutar om budgeten')
    expect(await editorOf(page).locator('.decision').innerText()).toBe('Ledningsgruppen beslutar om budgeten')
    expect(await editorText(page)).not.toContain('/')
    expect(await editorOf(page).getAttribute('aria-activedescendant')).toBeNull()
  })

  it('in English: "dec" filters to Decision; the arrows reach an agenda item of kind Dialog, which replaces the empty line', async () => {
    const secretary = await launchAttendee({ viewport: { width: 360, height: 700 } })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await startMinutes(page, 'Budget')
    await page.keyboard.type('/dec')
    expect(await optionLabels(page)).toEqual(['Decision', 'Agenda item: Decision'])
    await page.screenshot({ path: join(screenshotDir(), 'slash-menu-filtered-en.png'), clip: { x: 0, y: 0, width: 360, height: 420 } })
    // Backspace widens the filter again, back to the whole list.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace')
    expect((await optionLabels(page)).length).toBe(10)
    await page.screenshot({ path: join(screenshotDir(), 'slash-menu-en.png') })
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await activeOption(page)).toBe('Agenda item: Dialog')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp') // wraps to the last entry
    expect(await activeOption(page)).toBe('Add a check-out round')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await activeOption(page)).toBe('Agenda item: Dialog')
    await page.keyboard.press('Tab')
    await expect.poll(() => items(page).count()).toBe(2)
    expect(await items(page).nth(1).getAttribute('data-kind')).toBe('dialog')
    // The caret is in the new item's title; the empty line the "/" was typed on is gone.
    await page.keyboard.type('Gruppindelning')
    expect(await items(page).nth(1).locator('.agenda-title').innerText()).toContain('Gruppindelning')
    expect(await items(page).nth(0).locator('p').count()).toBe(0)
    expect(await editorText(page)).not.toContain('/')
  })

  it('Escape closes it and leaves "/" as typed; after a space it opens, mid-word it does not; a click runs an entry', async () => {
    const secretary = await launchAttendee({ viewport: { width: 360, height: 700 } })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await startMinutes(page, 'Budget')
    await page.keyboard.type('Intäkter och/eller')
    expect(await menu(page).isHidden()).toBe(true)
    await page.keyboard.type(' /')
    await listbox(page).waitFor()
    await page.keyboard.press('Escape')
    await expect.poll(() => menu(page).isHidden()).toBe(true)
    await page.keyboard.type('kostnader')
    expect(await menu(page).isHidden()).toBe(true)
    expect(await editorText(page)).toContain('Intäkter och/eller /kostnader')

    // Nothing matches: the menu says so, and Enter is a new line again.
    await page.keyboard.type(' /zzz')
    expect(await page.locator('.slash-empty').innerText()).toBe('Nothing matches “zzz”')
    expect(await editorOf(page).getAttribute('aria-activedescendant')).toBeNull()
    await page.keyboard.press('Enter')
    await expect.poll(() => menu(page).isHidden()).toBe(true)
    expect(await editorOf(page).locator('p').count()).toBe(2)

    await page.keyboard.type('/')
    await page.locator('.slash-option', { hasText: 'Action' }).click()
    await expect.poll(() => editorOf(page).locator('.action-item').count()).toBe(1)
    await page.keyboard.type('Ring HR')
    expect(await editorOf(page).locator('.action-item .action-text').innerText()).toBe('Ring HR')
    expect(await editorText(page)).toContain('kostnader /zzz')
  })

  it('stays open, at the "/", while a colleague types above it, and then runs where it was opened', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const a = await launchAttendee({ viewport: { width: 360, height: 800 } })
    const b = await launchAttendee({ viewport: { width: 360, height: 800 } })
    await joinSpace(a.page, code, 'Annika Andersson')
    await joinSpace(b.page, code, 'Bo Berg')
    await startMinutes(a.page, 'Budget')
    await a.page.keyboard.type('Inledning.')
    await a.page.keyboard.press('Enter')
    await openMeeting(b.page, 'LG')
    await expect.poll(() => editorText(b.page), { timeout: 20_000 }).toContain('Inledning.')

    // A opens the menu in the second paragraph and filters; B types into the first paragraph.
    await a.page.keyboard.type('/act')
    expect(await optionLabels(a.page)).toEqual(['Action'])
    const before = (await a.page.locator('.slash-menu').boundingBox())!
    await b.page.locator('.editor-mount p', { hasText: 'Inledning.' }).click()
    await b.page.keyboard.press('End')
    const remote = ' Bo skriver en lång mening som bryter raden i panelen och flyttar allt nedanför.'
    await b.page.keyboard.type(remote)
    await expect.poll(() => editorText(a.page), { timeout: 20_000 }).toContain(remote.trim())

    // Still open, still filtered, moved down with its line (B's text wrapped onto more lines).
    expect(await menu(a.page).isVisible()).toBe(true)
    expect(await optionLabels(a.page)).toEqual(['Action'])
    expect(await activeOption(a.page)).toBe('Action')
    const after = (await a.page.locator('.slash-menu').boundingBox())!
    expect(after.y).toBeGreaterThan(before.y)
    const line = (await a.page.locator('.editor-mount p', { hasText: '/act' }).boundingBox())!
    expect(after.y).toBeGreaterThanOrEqual(line.y + line.height - 1)

    await a.page.keyboard.type('i')
    await a.page.keyboard.press('Enter')
    await expect.poll(() => editorOf(a.page).locator('.action-item').count()).toBe(1)
    await a.page.keyboard.type('Boka lokal')
    await expect.poll(() => editorText(b.page), { timeout: 20_000 }).toContain('Boka lokal')
    expect(await editorText(a.page)).not.toContain('/act')
    expect(await editorText(a.page)).toContain(`Inledning.${remote}`)
  })
})

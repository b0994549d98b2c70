import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { launchAttendee } from './harness'
import { continueWithoutServer, createMeeting, editorOf, showTab } from './panel-driver'

const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    return el === null ? '' : `${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}.${el.className}`
  })

const downloadMarkdown = async (page: Page): Promise<string> => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('section.export button[data-format="markdown"]').click()])
  return readFile((await download.path())!, 'utf8')
}

// Seed 000's fields that had no control: an item's kind and presenter ("Föredragande"), an
// action's responsible and due date ("senast …"). Entered by mouse in one item and by
// keyboard only in the next, in the Swedish panel, and read back from the export.
describe('the fields of an agenda item and of an action, in place', () => {
  it('sets kind, presenter, responsible and due date by mouse and by keyboard, and the Markdown export has them', async () => {
    const secretary = await launchAttendee({ lang: 'sv' })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await createMeeting(page, 'LG 27 februari')

    // By mouse: the first item.
    await editorOf(page).focus()
    await page.keyboard.press('Control+Home')
    await page.keyboard.type('Skolval - Utfall')
    const first = page.locator('section.agenda-item').nth(0)
    await first.locator('select.agenda-kind').selectOption('decision')
    await first.locator('input[name="presenter"]').click()
    await page.keyboard.type('Mats Nilsson')
    await page.keyboard.press('Enter')
    // Enter gave the caret back at the end of the title: the text goes on there.
    await page.keyboard.press('Enter')
    await page.keyboard.type('[] Boka lokal')
    const action = first.locator('.action-item')
    await action.locator('input[name="responsible"]').click()
    await page.keyboard.type('MK')
    await action.locator('input[name="due"]').click()
    await page.keyboard.type('2026-3-25')
    await page.keyboard.press('Enter')
    await expect.poll(() => action.locator('input[name="due"]').inputValue()).toBe('2026-03-25')
    expect(await action.locator('input[name="responsible"]').inputValue()).toBe('MK')
    expect(await first.getAttribute('data-kind')).toBe('decision')

    // By keyboard only: a new item, Tab to its fields, arrows in the kind menu.
    await page.keyboard.press('Control+End')
    await page.keyboard.press('Control+Shift+Enter')
    await page.keyboard.type('Mål och Ekonomi')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toContain('select')
    await page.keyboard.press('ArrowDown') // a new item is Information; the next kind is Dialog
    await page.keyboard.press('Tab')
    expect(await focused(page)).toContain('input[name=presenter]')
    await page.keyboard.type('Birgitta Forssman')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await page.keyboard.type('[] Skicka underlaget')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toContain('input[name=responsible]')
    await page.keyboard.type('BF')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toContain('input[name=due]')
    await page.keyboard.type('2026-04-30')
    await page.keyboard.press('Enter')
    await page.keyboard.type(' i tid')

    const second = page.locator('section.agenda-item').nth(1)
    expect(await second.getAttribute('data-kind')).toBe('dialog')
    expect(await second.locator('input[name="presenter"]').inputValue()).toBe('Birgitta Forssman')
    expect(await second.locator('.action-item .action-text').innerText()).toBe('Skicka underlaget i tid')
    expect(await second.locator('input[name="due"]').inputValue()).toBe('2026-04-30')

    await showTab(page, 'export')
    const markdown = await downloadMarkdown(page)
    expect(markdown).toContain('Föredragande: Mats Nilsson')
    expect(markdown).toContain('Föredragande: Birgitta Forssman')
    expect(markdown).toMatch(/Boka lokal.*MK/)
    expect(markdown).toContain('senast 25 mars 2026')
    expect(markdown).toContain('senast 30 april 2026')
    expect(markdown).toMatch(/Beslut/i)
    expect(markdown).toMatch(/Dialog/)

    // The same dates as ISO, the way seed 003 writes them: chosen with the export.
    await page.locator('section.export select[name="export-dates"]').selectOption('iso')
    const iso = await downloadMarkdown(page)
    expect(iso).toContain('senast 2026-03-25')
    expect(iso).toContain('senast 2026-04-30')
    expect(iso).not.toContain('25 mars 2026')
  })
})

// Guests for one item (seed 000: "Gäst: Helene Saetre, punkt 1") and an attachment's name,
// both in place: no dialog, no trip to another tab.
describe('guests of an item and an attachment, in place', () => {
  it('adds and removes a guest in the item header and names an attachment in its line, by keyboard; People and the export agree', async () => {
    const secretary = await launchAttendee({ lang: 'en' })
    const page = secretary.page
    await continueWithoutServer(page, 'Marie Krantz')
    await createMeeting(page, 'LG 27 February')

    await editorOf(page).focus()
    await page.keyboard.press('Control+Home')
    await page.keyboard.type('Feedback from groups')
    // Tab: kind, Tab: presenter, Tab: the guest field.
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toContain('input[name=item-guest]')
    await page.keyboard.type('Helene Saetre')
    await page.keyboard.press('Enter')
    await page.keyboard.type('Lars Ek')
    await page.keyboard.press('Enter')
    const item = page.locator('section.agenda-item').nth(0)
    await expect.poll(() => item.locator('.agenda-guest').allTextContents()).toEqual(['Helene Saetre×', 'Lars Ek×'])
    await item.getByRole('button', { name: 'Remove Lars Ek as a guest' }).click()
    await expect.poll(() => item.locator('.agenda-guest').count()).toBe(1)
    // Enter in the empty guest field gives the caret back to the title.
    await page.keyboard.press('Enter')
    await page.keyboard.type(' (all groups)')
    expect(await item.locator('.agenda-title').innerText()).toBe('Feedback from groups (all groups)')

    // The attachment, from "More" by keyboard: the focus lands in its name field.
    await page.keyboard.press('Enter')
    await page.keyboard.type('The groups reported.')
    await page.locator('.toolbar button.more').focus()
    await page.keyboard.press('ArrowDown')
    await page.locator('.toolbar-menu button[data-command="attachment"]').focus()
    await page.keyboard.press('Enter')
    expect(await focused(page)).toContain('input[name=attachment-name]')
    await page.keyboard.type('Budget follow-up, March')
    await page.keyboard.press('Tab')
    await page.keyboard.type('javascript:alert(1)')
    await page.keyboard.press('Tab')
    const attachment = page.locator('.minutes-editor .attachment')
    expect(await attachment.locator('input[name="attachment-link"]').getAttribute('aria-invalid')).toBe('true')
    await attachment.locator('input[name="attachment-link"]').fill('https://example.org/budget.pdf')
    await attachment.locator('input[name="attachment-link"]').press('Enter')
    // Enter put the caret after the attachment: typing goes on below it.
    await page.keyboard.type('Next step: a cost estimate.')
    expect(await editorOf(page).innerText()).toMatch(/The groups reported\.[\s\S]*Next step: a cost estimate\./)

    await showTab(page, 'people')
    await expect.poll(() => page.locator('.tab-panel-people').innerText()).toContain('Helene Saetre')
    expect(await page.locator('.tab-panel-people').innerText()).not.toContain('Lars Ek')

    await showTab(page, 'export')
    const markdown = await downloadMarkdown(page)
    expect(markdown).toContain('Helene Saetre')
    expect(markdown).toContain('Attachment: [Budget follow-up, March](<https://example.org/budget.pdf>)')
    expect(markdown).toMatch(/The groups reported\.\s+Attachment:[^\n]*\s+Next step: a cost estimate\./)
  })
})

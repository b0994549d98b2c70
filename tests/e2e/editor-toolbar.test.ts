import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { launchAttendee } from './harness'
import { continueWithoutServer, createMeeting, editorOf } from './panel-driver'
import { screenshotDir } from './screenshots'


const toolbar = (page: Page) => page.locator('.toolbar')
const tipOf = (page: Page, command: string) => page.locator(`.toolbar [data-command="${command}"] .tip`)

const openMeeting = async (page: Page): Promise<void> => {
  await continueWithoutServer(page, 'Marie Krantz')
  await createMeeting(page, 'LG')
  await editorOf(page).focus()
  await page.keyboard.type('Budget')
  await page.keyboard.press('Enter')
}

describe('the editor toolbar', () => {
  it('shows icons named in English, with the key in the tooltip on hover and on keyboard focus; Ctrl+B presses Bold', async () => {
    const secretary = await launchAttendee({ viewport: { width: 360, height: 700 } })
    const page = secretary.page
    await openMeeting(page)
    const names = await toolbar(page).locator(':scope > button, :scope > span > button').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')))
    expect(names).toEqual(['New agenda item', 'Text style: Plain text', 'Decision', 'Action', 'Bold', 'Italic', 'More'])
    // Icons only: no visible text in the row until a tooltip shows.
    expect((await toolbar(page).innerText()).trim()).toBe('')

    await page.locator('.toolbar [data-command="bold"]').hover()
    await expect.poll(() => tipOf(page, 'bold').isVisible()).toBe(true)
    expect(await tipOf(page, 'bold').innerText()).toBe('Bold (Ctrl+B)')
    expect(await page.locator('.toolbar [data-command="bold"]').getAttribute('aria-keyshortcuts')).toBe('Control+B')

    // Keyboard: Shift+Tab from the text reaches the toolbar's last control; its tooltip shows.
    await page.mouse.move(0, 690)
    await editorOf(page).focus()
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('Shift+Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-command'))).toBe('italic')
    await expect.poll(() => tipOf(page, 'italic').isVisible()).toBe(true)
    expect(await tipOf(page, 'italic').innerText()).toBe('Italic (Ctrl+I)')

    await editorOf(page).focus()
    await page.keyboard.press('Control+b')
    await expect.poll(() => page.locator('.toolbar [data-command="bold"]').getAttribute('aria-pressed')).toBe('true')
    await page.keyboard.type('viktigt')
    expect(await editorOf(page).locator('strong').innerText()).toBe('viktigt')
  })

  it('announces a command that does not apply as unavailable and runs nothing when it is clicked', async () => {
    const secretary = await launchAttendee({ viewport: { width: 360, height: 700 } })
    const page = secretary.page
    await openMeeting(page)
    await page.locator('.toolbar button.more').click()
    const tick = page.getByRole('menuitem', { name: 'Tick or untick the action' })
    expect(await tick.getAttribute('aria-disabled')).toBe('true')
    expect(await tick.getAttribute('aria-keyshortcuts')).toBe('Control+Enter')
    expect(await page.locator('.toolbar-more [role="menu"]').ariaSnapshot()).toContain('menuitem "Tick or untick the action" [disabled]')
    // The unavailable entry is drawn unlike an available one, not only fainter.
    const [off, on] = await Promise.all([tick, page.getByRole('menuitem', { name: 'Undo' })].map((l) => l.evaluate((e) => getComputedStyle(e).color)))
    expect(off).not.toBe(on)
    await tick.click({ force: true })
    expect(await page.locator('.toolbar-more [role="menu"]').isVisible()).toBe(true)
    await page.keyboard.press('Escape')

    // The text style menu: the current style is checked; a bullet list is one click away.
    await page.locator('.toolbar button.block-type').click()
    expect(await page.getByRole('menuitemradio', { name: 'Plain text' }).getAttribute('aria-checked')).toBe('true')
    await page.getByRole('menuitemradio', { name: 'Bullet list' }).click()
    await page.keyboard.type('Första punkten')
    expect(await editorOf(page).locator('ul > li').innerText()).toBe('Första punkten')
    expect(await page.locator('.toolbar button.block-type').getAttribute('aria-label')).toBe('Text style: Bullet list')
    // In a list, wrapping in a bullet list again does not apply.
    await page.locator('.toolbar button.block-type').click()
    expect(await page.getByRole('menuitemradio', { name: 'Bullet list' }).getAttribute('aria-checked')).toBe('true')
  })

  for (const lang of ['sv', 'en'] as const) {
    it(`at 360 px in ${lang === 'sv' ? 'Swedish' : 'English'}: the row fits, its names are of that language (screenshots)`, async () => {
      const secretary = await launchAttendee({ lang, viewport: { width: 360, height: 640 } })
      const page = secretary.page
      await openMeeting(page)
      const expected =
        lang === 'sv'
          ? ['Ny punkt på dagordningen', 'Textformat: Vanlig text', 'Beslut', 'Åtgärd', 'Fetstil', 'Kursiv', 'Mer']
          : ['New agenda item', 'Text style: Plain text', 'Decision', 'Action', 'Bold', 'Italic', 'More']
      const row = toolbar(page).locator(':scope > button, :scope > span > button')
      expect(await row.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')))).toEqual(expected)
      const boxes = await row.evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().toJSON() as DOMRect))
      expect(new Set(boxes.map((box) => box.top)).size).toBe(1) // one row
      for (const box of boxes) expect(box.right).toBeLessThanOrEqual(360)

      const dir = screenshotDir()
      await page.locator('.toolbar [data-command="agendaItem"]').hover()
      expect(await tipOf(page, 'agendaItem').innerText()).toBe(`${expected[0]} (Ctrl+Shift+Enter)`)
      await page.screenshot({ path: join(dir, `toolbar-tooltip-${lang}.png`), clip: { x: 0, y: 0, width: 360, height: 320 } })
      await page.locator('.toolbar button.more').click()
      await page.screenshot({ path: join(dir, `toolbar-more-${lang}.png`) })
      await page.keyboard.press('Escape')
      await page.locator('.toolbar button.block-type').click()
      await page.screenshot({ path: join(dir, `toolbar-block-type-${lang}.png`), clip: { x: 0, y: 0, width: 360, height: 420 } })
      await page.emulateMedia({ colorScheme: 'dark' })
      await page.keyboard.press('Escape')
      await page.locator('.toolbar button.more').click()
      await page.screenshot({ path: join(dir, `toolbar-more-dark-${lang}.png`) })
      console.log(`screenshots: ${dir}`)
    })
  }
})

import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createJoinCode, launchAttendee, startServer, uniqueSpace } from './harness'

/**
 * Moves the keyboard focus with Tab (or Shift+Tab) until it is on an element matching
 * `selector`, the way someone without a mouse gets there; fails when `max` presses do not.
 */
const tabTo = async (page: Page, selector: string, options: { back?: boolean; max?: number } = {}): Promise<void> => {
  const max = options.max ?? 40
  for (let press = 0; press <= max; press += 1) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return
    await page.keyboard.press(options.back === true ? 'Shift+Tab' : 'Tab')
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing')
  throw new Error(`${max} presses of ${options.back === true ? 'Shift+Tab' : 'Tab'} did not reach ${selector}; the focus is on ${at}`)
}

describe('the panel by keyboard only', () => {
  it('join, create a meeting, add an item with kind and presenter, an action with responsible and due date, tick it, export', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const { page } = await launchAttendee({ lang: 'sv', viewport: { width: 360, height: 800 } })
    await page.locator('.join-screen').waitFor()

    await tabTo(page, 'textarea[name="join-code"]')
    await page.keyboard.insertText(code)
    await tabTo(page, 'input[name="display-name"]')
    await page.keyboard.type('Marie Krantz')
    await page.keyboard.press('Enter')
    await page.locator('.meeting-list').waitFor()

    await tabTo(page, '.meeting-list .section-head button')
    await page.keyboard.press('Enter')
    await page.locator('.editor-mount .ProseMirror').waitFor()
    await tabTo(page, 'input[name="title"]')
    await page.keyboard.press('Control+A')
    await page.keyboard.type('FLG 25 mars')
    await tabTo(page, '.editor-mount .ProseMirror')

    // The item: title, Tab to its kind (ArrowDown: Information → Dialog), Tab to its presenter.
    await page.keyboard.type('Budget 2026')
    await page.keyboard.press('Tab')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Tab')
    await page.keyboard.type('Birgitta Forssman')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    // The action: "[] ", Tab to responsible, Tab to due, Enter back; Ctrl+Enter ticks it.
    await page.keyboard.type('[] Skicka underlaget')
    await page.keyboard.press('Tab')
    await page.keyboard.type('MK')
    await page.keyboard.press('Tab')
    await page.keyboard.type('2026-03-25')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Control+Enter')
    const item = page.locator('section.agenda-item').first()
    expect(await item.getAttribute('data-kind')).toBe('dialog')
    expect(await item.locator('input[name="presenter"]').inputValue()).toBe('Birgitta Forssman')
    await expect.poll(() => item.locator('.action-item input[type="checkbox"]').isChecked()).toBe(true)

    // Out of the text (Tab in a plain paragraph leaves it), back to the tabs, arrows to Export.
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await tabTo(page, '[role="tab"][aria-selected="true"]', { back: true })
    for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowRight')
    await page.locator('.tab-panel-export:not([hidden])').waitFor()
    await tabTo(page, 'section.export button[data-format="markdown"]')
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
    const markdown = await readFile((await download.path())!, 'utf8')
    expect(markdown).toContain('# FLG 25 mars')
    expect(markdown).toContain('## Dialog')
    expect(markdown).toContain('Föredragande: Birgitta Forssman')
    expect(markdown).toMatch(/- \[x\] Skicka underlaget — \*Ansvarig: MK, senast 25 mars 2026/)
  })
})

import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { backToList, continueWithoutServer, createMeeting, editorOf, writeAction } from './panel-driver'
import { launchAttendee } from './harness'

const shownActions = (page: Page): Promise<string[]> => page.locator('.register-entry .register-text').allInnerTexts()

describe('the action register', () => {
  it('lists the actions of every meeting in this browser and filters them by responsible, due date typed as ISO text, and overdue', async () => {
    const { page } = await launchAttendee({ lang: 'en', viewport: { width: 360, height: 800 } })
    await continueWithoutServer(page, 'Marie Krantz')

    await createMeeting(page, 'FLG March')
    await editorOf(page).focus()
    await page.keyboard.type('Budget')
    await page.keyboard.press('Enter')
    await writeAction(page, 'Send the budget papers', 'MK', '2020-03-25')
    await writeAction(page, 'Book the room', 'BF', '2099-04-15')
    await backToList(page)

    await createMeeting(page, 'FLG April')
    await editorOf(page).focus()
    await page.keyboard.type('Staffing')
    await page.keyboard.press('Enter')
    await writeAction(page, 'Write the staffing plan', 'MK', '2099-05-30')
    await backToList(page)

    await page.locator('button.open-register').click()
    const register = page.locator('.action-register')
    await register.waitFor()
    await expect.poll(() => page.locator('.register-entry').count()).toBe(3)
    const overdue = page.locator('.register-entry.overdue')
    expect(await overdue.count()).toBe(1)
    expect(await overdue.innerText()).toContain('Send the budget papers')

    // Responsible MK: two actions, from both meetings.
    await page.locator('select[name="filter-responsible"]').selectOption({ label: 'MK' })
    await expect.poll(() => page.locator('.register-entry').count()).toBe(2)
    expect((await shownActions(page)).join('\n')).not.toContain('Book the room')

    // Due by 2099-05-01 (typed, as every date of the minutes): MK's March action only.
    const due = page.locator('input[name="filter-due"]')
    await due.click()
    await page.keyboard.type('2099-05-01')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.register-entry').count()).toBe(1)
    expect(await page.locator('.register-entry').innerText()).toContain('Send the budget papers')

    // An impossible date is marked.
    await due.fill('')
    await due.click()
    await page.keyboard.type('2099-13-45')
    await page.keyboard.press('Enter')
    expect(await due.getAttribute('aria-invalid')).toBe('true')

    // Back to every responsible, no due filter: only overdue, by keyboard (Space on the box).
    await due.fill('')
    await page.keyboard.press('Enter')
    await page.locator('select[name="filter-responsible"]').selectOption({ index: 0 })
    await page.locator('input[name="filter-overdue"]').focus()
    await page.keyboard.press('Space')
    await expect.poll(() => page.locator('.register-entry').count()).toBe(1)
    expect(await page.locator('.register-entry').innerText()).toContain('Send the budget papers')
  })
})

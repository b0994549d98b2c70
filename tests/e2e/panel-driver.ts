/**
 * Drives the panel the way a person does, by role and name where the name does not depend on
 * the language, and by form field names where it does.
 */
import { expect } from 'vitest'
import type { Locator, Page } from 'playwright-core'

export const joinSpace = async (page: Page, joinCode: string, name: string): Promise<void> => {
  await page.locator('textarea[name="join-code"]').fill(joinCode)
  await page.locator('input[name="display-name"]').fill(name)
  await page.locator('.join-screen button[type="submit"]').click()
  await page.locator('.meeting-list').waitFor()
}

export const continueWithoutServer = async (page: Page, name: string): Promise<void> => {
  await page.locator('input[name="display-name"]').fill(name)
  await page.locator('.local-only button').click()
  await page.locator('.meeting-list').waitFor()
}

/** Creates a meeting, gives it a title, and waits until the editor is mounted. */
export const createMeeting = async (page: Page, title: string): Promise<void> => {
  await page.locator('.meeting-list .section-head button').click()
  await editorOf(page).waitFor()
  await page.locator('input[name="title"]').fill(title)
}

/** Opens the meeting from the list; a panel that reopened in that very meeting is already there. */
export const openMeeting = async (page: Page, title: string): Promise<void> => {
  await page.locator('.meeting-list, .meeting-view').first().waitFor()
  if ((await page.locator('.meeting-view').count()) > 0) {
    await editorOf(page).waitFor()
    if ((await page.locator('input[name="title"]').inputValue()) === title) return
    await backToList(page)
  }
  await page.locator('.meeting-entry', { hasText: title }).click()
  await editorOf(page).waitFor()
}

export const backToList = async (page: Page): Promise<void> => {
  await page.locator('.meeting-nav button.link').click()
  await page.locator('.meeting-list').waitFor()
}

export const editorOf = (page: Page): Locator => page.locator('.editor-mount .ProseMirror')

/** Types at the end of the minutes text. */
export const typeInEditor = async (page: Page, text: string): Promise<void> => {
  // Focus rather than click: a click in the middle can land on an agenda item's label and
  // select the whole item, and the typing would then replace it.
  await editorOf(page).focus()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(text)
}

export const statusOf = (page: Page): Locator => page.locator('.app-status [role="status"]')

export const waitForStatus = async (page: Page, kind: string, timeout = 20_000): Promise<void> => {
  await expect.poll(() => statusOf(page).getAttribute('data-status'), { timeout }).toBe(kind)
}

export const editorText = (page: Page): Promise<string> => editorOf(page).innerText()

/** Adds an action at the end of the minutes with the `[] ` input rule. */
export const addAction = async (page: Page, text: string): Promise<void> => {
  await typeInEditor(page, '')
  await page.keyboard.press('Enter')
  await page.keyboard.type(`[] ${text}`)
}

export const actionCheckbox = (page: Page, text: string): Locator =>
  page.locator('.action-item', { hasText: text }).locator('input[type="checkbox"]')

export type MeetingTab = 'minutes' | 'details' | 'people' | 'adjust' | 'export'

/** Writes an action at the end of the minutes with its responsible and due date, by keys only. */
export const writeAction = async (page: Page, text: string, responsible: string, due: string): Promise<void> => {
  await editorOf(page).focus()
  await page.keyboard.press('Control+End')
  await page.keyboard.press('Enter')
  await page.keyboard.type(`[] ${text}`)
  await page.keyboard.press('Tab')
  await page.keyboard.type(responsible)
  await page.keyboard.press('Tab')
  await page.keyboard.type(due)
  await page.keyboard.press('Enter')
}

/** Opens one tab of the meeting view (Minutes, Details, People, Adjust, Export) by clicking it. */
export const showTab = async (page: Page, tab: MeetingTab): Promise<void> => {
  await page.locator(`.meeting-view [role="tab"][data-tab="${tab}"]`).click()
  await page.locator(`.meeting-view .tab-panel-${tab}:not([hidden])`).waitFor()
}

/** A person's entry in People. */
export const personEntry = (page: Page, name: string): Locator => page.locator('li.person', { hasText: name })

/** Opens a person's details in People and ticks one of its checkboxes (adjuster, secretary). */
export const tickPerson = async (page: Page, name: string, field: 'adjuster' | 'secretary'): Promise<void> => {
  const entry = personEntry(page, name)
  if ((await entry.locator('details').getAttribute('open')) === null) await entry.locator('summary').click()
  await entry.locator(`input[name="${field}"]`).check()
}

/** The adjustment's state as the Adjust tab shows it: draft, final or locked. */
export const adjustmentState = (page: Page): Promise<string | null> => page.locator('section.adjustment').getAttribute('data-state')

/** Types a header field in Details and leaves it (the form writes on change). */
export const setDetail = async (page: Page, name: string, value: string): Promise<void> => {
  const field = page.locator(`.tab-panel-details input[name="${name}"]`)
  await field.click()
  await field.fill(value)
  await page.keyboard.press('Tab')
}

/** Opens Settings from the bar on top of the panel. */
export const openSettings = async (page: Page): Promise<void> => {
  await page.locator('.app-bar button.link').click()
  await page.locator('.settings').waitFor()
}

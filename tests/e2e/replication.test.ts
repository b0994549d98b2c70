import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createMemberCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { actionCheckbox, addAction, backToList, createMeeting, joinSpace, showTab, waitForStatus } from './panel-driver'

/** Writes the series' group into the meeting's header (Details tab), then back to the minutes. */
const setGroup = async (page: Page, group: string): Promise<void> => {
  await showTab(page, 'details')
  await page.locator('input[name="group"]').fill(group)
  await showTab(page, 'minutes')
}

/** A meeting of the series with its actions, typed; `done` are ticked. */
const writeMeeting = async (page: Page, title: string, actions: { open: string[]; done: string[] }): Promise<void> => {
  await createMeeting(page, title)
  await setGroup(page, 'LG')
  for (const text of [...actions.done, ...actions.open]) await addAction(page, text)
  for (const text of actions.done) await actionCheckbox(page, text).check()
  await waitForStatus(page, 'saved')
  await backToList(page)
}

const registerTexts = (page: Page): Promise<string[]> => page.locator('.register-entry .register-text').allInnerTexts()

describe('background replication', () => {
  it('R2: a member who joins later and never opens the earlier meetings sees all their actions in the register, and their open ones in the next meeting', async () => {
    const server = await startServer()
    const space = uniqueSpace()
    const annaCode = await createMemberCode(server, space, { name: 'Anna Andersson', role: 'editor' })
    const beritCode = await createMemberCode(server, space, { name: 'Berit Berg', role: 'editor' })

    const anna = await launchAttendee()
    await joinSpace(anna.page, annaCode.joinCode, 'Anna Andersson')
    await writeMeeting(anna.page, 'LG 1', { done: ['Send the budget papers'], open: ['Book the room'] })
    await writeMeeting(anna.page, 'LG 2', { done: ['Call the union'], open: ['Write the staffing plan', 'Order chairs'] })
    await waitForStatus(anna.page, 'saved')
    await anna.close()

    // Berit joins afterwards, in a browser of her own, and opens neither meeting.
    const berit = await launchAttendee()
    await joinSpace(berit.page, beritCode.joinCode, 'Berit Berg')
    await expect.poll(() => berit.page.locator('.meeting-entry').count(), { timeout: 20_000 }).toBe(2)
    const all = ['Book the room', 'Call the union', 'Order chairs', 'Send the budget papers', 'Write the staffing plan']
    // The register reads what this browser stores; replication fills it in the background.
    await expect
      .poll(
        async () => {
          await berit.page.locator('button.open-register').click()
          await berit.page.locator('.action-register').waitFor()
          await berit.page.locator('.register-entry').first().waitFor({ timeout: 2_000 }).catch(() => {})
          const texts = (await registerTexts(berit.page)).sort()
          await berit.page.locator('.action-register .meeting-nav button.link').click()
          await berit.page.locator('.meeting-list').waitFor()
          return texts
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual(all)
    expect(await berit.page.locator('.replication-status').count()).toBe(0)

    // A new meeting of the group, then its next meeting: the follow-up lists every open action of the series.
    await createMeeting(berit.page, 'LG 3')
    await setGroup(berit.page, 'LG')
    await berit.page.locator('button.next-meeting').click()
    await expect.poll(() => berit.page.locator('.meeting-view').getAttribute('data-meeting-id'), { timeout: 20_000 }).toMatch(/^next-/)
    await expect
      .poll(async () => (await berit.page.locator('.follow-up-entry .follow-up-text').allInnerTexts()).sort(), { timeout: 20_000 })
      .toEqual(['Book the room', 'Order chairs', 'Write the staffing plan'])

    // With the server stopped, a word of LG 1 is found in what replication stored, and opens LG 1 there.
    await server.kill()
    await berit.page.locator('.meeting-nav button.link').click()
    await berit.page.locator('.meeting-list').waitFor()
    await berit.page.locator('input[name="search"]').fill('budget pap')
    const hit = berit.page.locator('.search-hit')
    await expect.poll(() => hit.count()).toBe(1)
    expect(await hit.locator('.entry-title').innerText()).toContain('LG 1')
    await hit.click()
    await expect.poll(() => berit.page.locator('input[name="title"]').inputValue()).toBe('LG 1')
    await berit.page.locator('section.agenda-item.search-target').waitFor()
  })
})

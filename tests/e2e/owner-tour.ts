/**
 * The way an owner of a space reaches the screens added last (issue #10), with something on
 * each: search hits in the meeting list, the action register, series and archive, and the
 * members of the space in Settings (the list, a join code shown once, a revoke asked and
 * done). The axe, 320 px and language checks walk this tour and check at every stop.
 */
import type { Page } from 'playwright-core'
import { createMemberCode, launchAttendee, startServer, uniqueSpace, type AttendeeOptions } from './harness'
import { backToList, createMeeting, editorOf, joinSpace, openSettings, setDetail, showTab, waitForStatus, writeAction } from './panel-driver'

export type TourStop =
  | 'search hits'
  | 'action register'
  | 'series and archive'
  | 'settings with members'
  | 'members: join code shown'
  | 'members: revoke asked'
  | 'members: revoked'

const words = {
  sv: {
    meetings: [
      { title: 'FLG januari', date: '2026-01-15', item: 'Mål och ekonomi', text: 'Prognosen visar ett litet överskott.', action: 'Skicka underlaget till rektorerna', responsible: 'MK', due: '2020-03-25' },
      { title: 'FLG februari', date: '2026-02-12', item: 'Bemanning', text: 'Bemanningen inför sommaren diskuterades.', action: 'Skriv bemanningsplanen för sommaren', responsible: 'BF', due: '2099-05-30' },
    ],
    search: 'prognos',
  },
  en: {
    meetings: [
      { title: 'FLG January', date: '2026-01-15', item: 'Goals and budget', text: 'The forecast shows a small surplus.', action: 'Send the figures to the head teachers', responsible: 'MK', due: '2020-03-25' },
      { title: 'FLG February', date: '2026-02-12', item: 'Staffing', text: 'The staffing for the summer was discussed.', action: 'Write the staffing plan for the summer', responsible: 'BF', due: '2099-05-30' },
    ],
    search: 'forecast',
  },
} as const

/**
 * Starts a server, makes Marie Krantz the owner of a fresh space, launches her panel with
 * `options`, writes two meetings of the series FLG (the first marked final, each with an
 * action, one overdue), and visits every stop, calling `atStop` there.
 */
export const walkOwnerTour = async (options: AttendeeOptions & { lang: 'sv' | 'en' }, atStop: (stop: TourStop, page: Page) => Promise<void>): Promise<void> => {
  const server = await startServer()
  const space = uniqueSpace()
  const owner = await createMemberCode(server, space, { name: 'Marie Krantz', role: 'owner' })
  const { page } = await launchAttendee(options)
  const w = words[options.lang]
  await joinSpace(page, owner.joinCode, 'Marie')

  for (const [index, meeting] of w.meetings.entries()) {
    await createMeeting(page, meeting.title)
    await editorOf(page).focus()
    await page.keyboard.type(meeting.item)
    await page.keyboard.press('Enter')
    await page.keyboard.type(meeting.text)
    await writeAction(page, meeting.action, meeting.responsible, meeting.due)
    await showTab(page, 'details')
    await setDetail(page, 'group', 'FLG')
    await setDetail(page, 'date', meeting.date)
    if (index === 0) {
      await showTab(page, 'adjust')
      await page.locator('section.adjustment .mark-final').click()
      await page.locator('section.adjustment[data-state="final"]').waitFor()
    }
    await waitForStatus(page, 'saved')
    await backToList(page)
  }

  await page.locator('input[name="search"]').fill(w.search)
  await page.locator('.search-hit').first().waitFor()
  await atStop('search hits', page)
  await page.locator('input[name="search"]').fill('')

  await page.locator('button.open-register').click()
  await page.locator('.register-entry').nth(1).waitFor()
  await atStop('action register', page)
  await page.locator('.action-register .meeting-nav button.link').click()

  await page.locator('button.open-series').click()
  await page.locator('section.series .series-meetings li').nth(1).waitFor()
  await atStop('series and archive', page)
  await page.locator('.series-view .meeting-nav button.link').click()

  await openSettings(page)
  await page.locator('.members .member-entry').first().waitFor()
  await atStop('settings with members', page)
  await page.locator('input[name="member-name"]').fill('Birgitta Forssman')
  await page.locator('form.member-invite button[type="submit"]').click()
  await page.locator('textarea[name="invite-code"]').waitFor()
  await atStop('members: join code shown', page)
  await page.locator('.member-entry', { hasText: 'Birgitta Forssman' }).locator('button[name="revoke"]').click()
  await page.locator('button[name="confirm-revoke"]').waitFor()
  await atStop('members: revoke asked', page)
  await page.locator('button[name="confirm-revoke"]').click()
  await page.locator('.member-entry.revoked').waitFor()
  await atStop('members: revoked', page)
}

import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { createJoinCode, launchAttendee, startServer, uniqueSpace, type Attendee } from './harness'
import { addAction, editorOf, editorText, joinSpace, typeInEditor } from './panel-driver'

const FAKE_CALL_PAGE = '<!doctype html><html lang="en"><head><title>Meet</title></head><body><h1>A call</h1></body></html>'

/** Serves a stand-in for Google Meet (there is no internet here) and opens the call in a tab of its own. */
const joinCall = async (attendee: Attendee, address: string): Promise<Page> => {
  await attendee.context.route('https://meet.google.com/**', (route) =>
    route.fulfill({ body: FAKE_CALL_PAGE, contentType: 'text/html' }),
  )
  const call = await attendee.context.newPage()
  await call.goto(address)
  await call.bringToFront()
  return call
}

const meetingIdOf = (page: Page): Promise<string | null> =>
  page.locator('.meeting-view').getAttribute('data-meeting-id')

/** The panel offers the call's minutes while the call's tab is active, and keeps the offer when the user comes back. */
const openMinutesForCall = async (panel: Page): Promise<void> => {
  await panel.locator('.call-offer').waitFor({ timeout: 20_000 })
  await panel.bringToFront()
  await panel.locator('.call-offer button.call-open').click()
  await panel.locator('.editor-mount .ProseMirror').waitFor()
}

const followUpStatus = (page: Page, text: string) =>
  page.locator('.follow-up-entry', { hasText: text }).locator('select[name="follow-up-status"]')

describe('minutes for this call, then the next meeting of its series', () => {
  it('two attendees of one call land in one meeting, and check in different follow-up actions of the next one at the same moment', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const a = await launchAttendee()
    const b = await launchAttendee()
    await joinSpace(a.page, code, 'Annika Andersson')
    await joinSpace(b.page, code, 'Bo Berg')

    // The same call, reached through addresses that differ in case and query.
    await joinCall(a, 'https://meet.google.com/abc-defg-hij?authuser=0')
    await joinCall(b, 'https://meet.google.com/ABC-DEFG-HIJ?pli=1&authuser=2')
    await expect.poll(() => a.page.locator('.call-offer').getAttribute('data-call-key'), { timeout: 20_000 }).toBe('meet.google.com/abc-defg-hij')
    await Promise.all([openMinutesForCall(a.page), openMinutesForCall(b.page)])

    const callMeeting = await meetingIdOf(a.page)
    expect(callMeeting).toMatch(/^call-[a-z2-7]{20}$/)
    expect(await meetingIdOf(b.page)).toBe(callMeeting)
    await typeInEditor(a.page, 'Incheckning från A')
    await expect.poll(() => editorText(b.page), { timeout: 20_000 }).toContain('Incheckning från A')

    await addAction(a.page, 'Boka lokal')
    await addAction(a.page, 'Skicka kallelse')
    await expect
      .poll(async () => ({ actions: await a.page.locator('.action-item').count(), html: await editorOf(a.page).innerHTML() }), { timeout: 20_000 })
      .toMatchObject({ actions: 2 })
    await expect
      .poll(async () => ({ actions: await b.page.locator('.action-item').count(), text: await editorText(b.page), a: await editorText(a.page) }), { timeout: 20_000 })
      .toMatchObject({ actions: 2 })
    await expect.poll(() => editorText(b.page), { timeout: 20_000 }).toContain('Skicka kallelse')

    // Both ask for the next meeting at once and land in the same one, which follows up both actions.
    await Promise.all([a.page.locator('button.next-meeting').click(), b.page.locator('button.next-meeting').click()])
    for (const page of [a.page, b.page]) {
      await expect.poll(() => meetingIdOf(page), { timeout: 20_000 }).toMatch(/^next-/)
      await expect.poll(() => page.locator('.follow-up-entry').count(), { timeout: 20_000 }).toBe(2)
    }
    expect(await meetingIdOf(b.page)).toBe(await meetingIdOf(a.page))

    await Promise.all([
      followUpStatus(a.page, 'Boka lokal').selectOption('done'),
      followUpStatus(b.page, 'Skicka kallelse').selectOption('in-progress'),
    ])
    for (const page of [a.page, b.page]) {
      await expect.poll(() => followUpStatus(page, 'Boka lokal').inputValue(), { timeout: 20_000 }).toBe('done')
      await expect.poll(() => followUpStatus(page, 'Skicka kallelse').inputValue(), { timeout: 20_000 }).toBe('in-progress')
      await expect
        .poll(() => page.locator('.follow-up-rollup').innerText(), { timeout: 20_000 })
        .toBe('2 actions up for follow-up: 1 done and closed, 1 in progress')
    }
  })
})

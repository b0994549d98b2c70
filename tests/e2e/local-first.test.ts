import { describe, expect, it } from 'vitest'
import { createJoinCode, launchAttendee, startServer, uniqueSpace } from './harness'
import {
  backToList,
  continueWithoutServer,
  createMeeting,
  editorText,
  joinSpace,
  openMeeting,
  typeInEditor,
  waitForStatus,
} from './panel-driver'

describe('local first', () => {
  it('a profile closed and reopened with the server down still shows the meeting from IndexedDB', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const first = await launchAttendee()
    await joinSpace(first.page, code, 'Ingrid Nyman')
    await createMeeting(first.page, 'Ledningsgrupp 27 feb')
    await typeInEditor(first.page, 'Uppföljning tilldelade beslut')
    await waitForStatus(first.page, 'saved')
    await first.close()
    await server.kill()

    const again = await launchAttendee({ userDataDir: first.userDataDir })
    await openMeeting(again.page, 'Ledningsgrupp 27 feb')
    expect(await editorText(again.page)).toContain('Uppföljning tilldelade beslut')
    expect(await again.page.locator('input[name="title"]').inputValue()).toBe('Ledningsgrupp 27 feb')
    await expect.poll(() => again.page.locator('.status-line').getAttribute('data-status')).not.toBe('saved')
  })

  it('closing the page 0, 50 or 200 ms after a keystroke loses nothing', async () => {
    const attendee = await launchAttendee()
    await continueWithoutServer(attendee.page, 'Sara Månsson')
    await createMeeting(attendee.page, 'Snabb stängning')
    await backToList(attendee.page)

    let page = attendee.page
    for (const delayMs of [0, 50, 200]) {
      await openMeeting(page, 'Snabb stängning')
      await typeInEditor(page, ` stängd-efter-${delayMs}-ms`)
      // The deliberate delay between the last keystroke and closing is what this test is about.
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
      await page.close()
      page = await attendee.openPanel()
    }
    await openMeeting(page, 'Snabb stängning')
    const text = await editorText(page)
    for (const delayMs of [0, 50, 200]) expect(text).toContain(`stängd-efter-${delayMs}-ms`)
  })
})

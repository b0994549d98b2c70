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

    // The panel reopens where it was: in the meeting, not on the list.
    const again = await launchAttendee({ userDataDir: first.userDataDir })
    await again.page.locator('.meeting-view').waitFor()
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

  it('reopens where it was: in the meeting, scrolled as far down as it was', async () => {
    const attendee = await launchAttendee({ viewport: { width: 360, height: 600 } })
    let page = attendee.page
    await continueWithoutServer(page, 'Sara Månsson')
    await createMeeting(page, 'Lång dagordning')
    await typeInEditor(page, 'Punkt ett')
    for (let line = 1; line <= 50; line++) {
      await page.keyboard.press('Enter')
      await page.keyboard.type(`Rad ${line}`)
    }
    // Where the wheel's (smooth) scroll comes to rest: the position the next `scrollend` leaves.
    await page.evaluate(() => {
      const w = window as unknown as { restedAt?: number }
      window.addEventListener('scrollend', () => (w.restedAt = Math.round(window.scrollY)), { once: true })
    })
    await page.mouse.move(180, 300)
    await page.mouse.wheel(0, -150)
    await expect.poll(() => page.evaluate(() => (window as unknown as { restedAt?: number }).restedAt ?? -1)).toBeGreaterThan(200)
    const scrolled = await page.evaluate(() => (window as unknown as { restedAt: number }).restedAt)
    // Read (not written) from the panel's own settings store: the place is kept once scrolling stops.
    const kept = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('minutes')
            open.onsuccess = () => {
              const get = open.result.transaction('settings').objectStore('settings').get('lastPlace')
              get.onsuccess = () => {
                resolve((get.result as { scrollY?: number } | undefined)?.scrollY ?? -1)
                open.result.close()
              }
            }
          }),
      )
    await expect.poll(kept).toBe(scrolled)

    await page.close()
    page = await attendee.openPanel()
    await page.locator('.meeting-view').waitFor()
    expect(await page.locator('input[name="title"]').inputValue()).toBe('Lång dagordning')
    await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(scrolled)
  })
})

import { describe, expect, it } from 'vitest'
import { createJoinCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { createMeeting, joinSpace, openMeeting, statusOf, typeInEditor, waitForStatus } from './panel-driver'

// The secretary closes the laptop after the meeting: the status must say that the others do
// not have her last notes yet, whether the server is down or the browser is offline, and
// still after the panel was closed and opened again.
describe('save status tells the truth about unsent work', () => {
  it('counts the changes the server lacks with the server down, offline, and after reopening the panel; "saved" only after the acks', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const secretary = await launchAttendee()
    const page = secretary.page
    await joinSpace(page, code, 'Helena Ek')
    await createMeeting(page, 'FSG 12 mars')
    await typeInEditor(page, 'Budget')
    await waitForStatus(page, 'saved')

    await server.kill()
    await typeInEditor(page, ' 2026')
    await expect.poll(() => statusOf(page).innerText()).toMatch(/5 changes not yet on the server/)
    expect(await statusOf(page).getAttribute('data-status')).not.toBe('saved')

    await secretary.context.setOffline(true)
    await typeInEditor(page, '!')
    await expect.poll(() => statusOf(page).getAttribute('data-status')).toBe('offline')
    await expect.poll(() => statusOf(page).innerText()).toMatch(/Offline – 6 changes not yet on the server/)

    // Closed and opened again, still offline: the count comes from what this browser remembers.
    await page.close()
    const reopened = await secretary.openPanel()
    await openMeeting(reopened, 'FSG 12 mars')
    await expect.poll(() => statusOf(reopened).innerText()).toMatch(/Offline – 6 changes not yet on the server/)

    await secretary.context.setOffline(false)
    await expect.poll(() => statusOf(reopened).innerText()).toMatch(/6 changes not yet on the server/)
    await server.restart()
    await waitForStatus(reopened, 'saved', 30_000)
    expect(await statusOf(reopened).innerText()).toBe('All changes saved on the server')
  })
})

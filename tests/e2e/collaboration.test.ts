import { describe, expect, it } from 'vitest'
import { createJoinCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { createMeeting, editorText, joinSpace, openMeeting, typeInEditor, waitForStatus } from './panel-driver'

describe('two attendees in one meeting', () => {
  it('text typed by A appears in B, and B sees A by name', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const a = await launchAttendee()
    const b = await launchAttendee()
    await joinSpace(a.page, code, 'Annika Andersson')
    await joinSpace(b.page, code, 'Bo Berg')

    await createMeeting(a.page, 'Ledningsgrupp LG')
    await typeInEditor(a.page, 'Skolval – utfall')
    await openMeeting(b.page, 'Ledningsgrupp LG')

    await expect.poll(() => editorText(b.page), { timeout: 20_000 }).toContain('Skolval – utfall')
    await expect.poll(() => b.page.locator('.presence-list').innerText()).toContain('Annika Andersson')
    await waitForStatus(a.page, 'saved')
  })
})

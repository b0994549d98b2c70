import { describe, expect, it } from 'vitest'
import { createMemberCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { adjustmentState, createMeeting, joinSpace, openMeeting, showTab, tickPerson, typeInEditor, waitForStatus } from './panel-driver'

const TITLE = 'Samverkansgrupp 4 mars'

describe('an approval given offline', () => {
  it('is kept when the adjuster closes the panel offline, and locks the minutes once a reopened panel is online', async () => {
    const server = await startServer()
    const space = uniqueSpace()
    const secretaryCode = await createMemberCode(server, space, { name: 'Maria Lund', role: 'owner' })
    const adjusterCode = await createMemberCode(server, space, { name: 'Olof Berg', role: 'editor' })
    const [secretary, adjuster] = await Promise.all([launchAttendee({ lang: 'sv' }), launchAttendee({ lang: 'en' })])
    await joinSpace(secretary.page, secretaryCode.joinCode, 'Maria')
    await joinSpace(adjuster.page, adjusterCode.joinCode, 'Olof')
    await createMeeting(secretary.page, TITLE)
    await typeInEditor(secretary.page, 'Arbetsmiljöplanen antogs.')
    await openMeeting(adjuster.page, TITLE)

    for (const { page } of [secretary, adjuster]) {
      await showTab(page, 'people')
      await page.locator('.check-in-self').click()
    }
    await expect.poll(() => secretary.page.locator('li.person[data-checked-in="true"]').count(), { timeout: 20_000 }).toBe(2)
    await tickPerson(secretary.page, 'Maria Lund', 'secretary')
    await tickPerson(secretary.page, 'Olof Berg', 'adjuster')
    await Promise.all([showTab(secretary.page, 'adjust'), showTab(adjuster.page, 'adjust')])
    await secretary.page.locator('section.adjustment .mark-final').click()
    await expect.poll(() => adjustmentState(adjuster.page), { timeout: 20_000 }).toBe('final')
    await waitForStatus(adjuster.page, 'saved')

    // On the train: the adjuster approves with no network and closes the panel.
    await adjuster.context.setOffline(true)
    await expect.poll(() => adjuster.page.locator('.app-status [role="status"]').getAttribute('data-status')).toBe('offline')
    await adjuster.page.locator('section.adjustment .approve').focus()
    await adjuster.page.keyboard.press('Enter')
    await expect.poll(() => adjuster.page.locator('section.adjustment').innerText()).toContain('Your approval will be sent when you are online')
    await adjuster.page.close()

    // Opened again, still offline: the approval is still waiting, and nothing is locked.
    const reopened = await adjuster.openPanel()
    await openMeeting(reopened, TITLE)
    await showTab(reopened, 'adjust')
    await expect.poll(() => reopened.locator('section.adjustment').innerText()).toContain('Your approval will be sent when you are online')
    expect(await adjustmentState(secretary.page)).toBe('final')

    // Back online: the reopened panel sends it, the server records it and locks the minutes for both.
    await adjuster.context.setOffline(false)
    for (const page of [reopened, secretary.page]) {
      await expect.poll(() => adjustmentState(page), { timeout: 30_000 }).toBe('locked')
      await expect.poll(() => page.locator('section.adjustment .approved[data-verified="true"]').count()).toBe(1)
    }
    expect(await reopened.locator('section.adjustment').innerText()).not.toContain('will be sent when you are online')
  })
})

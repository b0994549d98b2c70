import { describe, expect, it } from 'vitest'
import { createMemberCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { createMeeting, editorOf, joinSpace, openSettings, waitForStatus } from './panel-driver'

describe('members of a space', () => {
  it('an owner invites a person in Settings, the person joins with that personal code, and the owner revokes them: their panel is shut out at once', async () => {
    const server = await startServer()
    const space = uniqueSpace()
    const owner = await createMemberCode(server, space, { name: 'Marie Krantz', role: 'owner' })

    const secretary = await launchAttendee({ lang: 'sv', viewport: { width: 360, height: 800 } })
    await joinSpace(secretary.page, owner.joinCode, 'Marie')
    await openSettings(secretary.page)
    // The server's word on who this panel is: the member's name and role, not the typed one.
    await expect.poll(() => secretary.page.locator('.member-self').innerText()).toContain('Marie Krantz')
    await expect.poll(() => secretary.page.locator('.member-entry').count()).toBe(1)

    // Invite by keyboard: the name, Tab to the role, the button.
    await secretary.page.locator('input[name="member-name"]').click()
    await secretary.page.keyboard.type('Birgitta Forssman')
    await secretary.page.keyboard.press('Tab')
    await secretary.page.keyboard.press('Tab')
    await secretary.page.keyboard.press('Enter')
    const code = secretary.page.locator('textarea[name="invite-code"]')
    await code.waitFor()
    const personal = await code.inputValue()
    expect(personal).toMatch(/^minutes2:/)
    await expect.poll(() => secretary.page.locator('.member-entry:not(.revoked)').count()).toBe(2)
    expect(await secretary.page.locator('.member-entry', { hasText: 'Birgitta Forssman' }).innerText()).toContain('Redigerare')

    const adjuster = await launchAttendee({ lang: 'en', viewport: { width: 360, height: 800 } })
    await joinSpace(adjuster.page, personal, 'Birgitta')
    await createMeeting(adjuster.page, 'FLG')
    await editorOf(adjuster.page).focus()
    await adjuster.page.keyboard.type('Budget')
    await waitForStatus(adjuster.page, 'saved')

    // Revoke asks once more on the row, then acts; the revoked panel stops with a message.
    await secretary.page.locator('.member-entry', { hasText: 'Birgitta Forssman' }).locator('button[name="revoke"]').click()
    await secretary.page.locator('button[name="confirm-revoke"]').click()
    await expect.poll(() => secretary.page.locator('.member-entry.revoked').innerText()).toContain('Birgitta Forssman')
    // Her code lets no one in now: it no longer shows as one to hand over.
    expect(await secretary.page.locator('textarea[name="invite-code"]').count()).toBe(0)
    await waitForStatus(adjuster.page, 'auth-failed')
    await openSettings(adjuster.page)
    await expect.poll(() => adjuster.page.locator('.settings [role="alert"]').innerText()).toContain('revoked')
  })
})

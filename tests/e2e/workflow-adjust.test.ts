import { readFile } from 'node:fs/promises'
import { onTestFinished } from 'vitest'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { CloseCode, LockShape } from '../../src/protocol'
import { meetingRoom } from '../../src/session/meeting-room'
import { connectClient, makeToken, whenDoc, whenSynced } from '../helpers/server'
import { createMemberCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { adjustmentState, createMeeting, editorOf, editorText, joinSpace, openMeeting, personEntry, showTab, tickPerson, typeInEditor, waitForStatus } from './panel-driver'

const TITLE = 'Ledningsgrupp LG'

const closeCodeOf = (provider: ReturnType<typeof connectClient>): Promise<number> =>
  new Promise((resolve) => {
    const onClose = (event: { code: number } | null) => {
      provider.off('connection-close', onClose)
      resolve(event?.code ?? 0)
    }
    provider.on('connection-close', onClose)
  })

describe('adjusting the minutes ("justering") as members of the space against the real server', () => {
  it('the secretary marks final, two adjusters approve in their own panels, the server locks it everywhere with a verified record; an editor not appointed cannot approve; a reopening shows the changes', async () => {
    const server = await startServer()
    const space = uniqueSpace()
    const codes = {
      alice: await createMemberCode(server, space, { name: 'Alice Andersson', role: 'owner' }),
      bertil: await createMemberCode(server, space, { name: 'Bertil Berg', role: 'editor' }),
      cecilia: await createMemberCode(server, space, { name: 'Cecilia Cederström', role: 'editor' }),
      david: await createMemberCode(server, space, { name: 'David Dahl', role: 'editor' }),
    }
    const [alice, bertil, cecilia, david] = await Promise.all([launchAttendee({ lang: 'sv' }), launchAttendee(), launchAttendee({ lang: 'en' }), launchAttendee()])
    // The typed names are not what counts: the server's member names are (SPEC I7).
    await joinSpace(alice.page, codes.alice.joinCode, 'Alice')
    await joinSpace(bertil.page, codes.bertil.joinCode, 'Bertil')
    await joinSpace(cecilia.page, codes.cecilia.joinCode, 'Cissi')
    await joinSpace(david.page, codes.david.joinCode, 'David')
    await createMeeting(alice.page, TITLE)
    await typeInEditor(alice.page, 'Skolval – utfall')
    await Promise.all([openMeeting(bertil.page, TITLE), openMeeting(cecilia.page, TITLE), openMeeting(david.page, TITLE)])
    const room = meetingRoom(space, (await alice.page.locator('.meeting-view').getAttribute('data-meeting-id'))!)
    const everyone = [alice, bertil, cecilia, david]

    // Each checks themself in (in People), which links their person to their membership.
    await Promise.all(everyone.map(({ page }) => showTab(page, 'people')))
    for (const { page } of everyone) await page.locator('.check-in-self').click()
    for (const { page } of everyone) {
      await expect.poll(() => page.locator('li.person[data-checked-in="true"]').count(), { timeout: 20_000 }).toBe(4)
    }
    await expect.poll(() => personEntry(cecilia.page, 'Cecilia Cederström').count()).toBe(1)

    // Alice is the secretary; Bertil and Cecilia adjust. The secretary marks the minutes final.
    await tickPerson(alice.page, 'Alice Andersson', 'secretary')
    await tickPerson(alice.page, 'Bertil Berg', 'adjuster')
    await tickPerson(alice.page, 'Cecilia Cederström', 'adjuster')
    await Promise.all(everyone.map(({ page }) => showTab(page, 'adjust')))
    await alice.page.locator('section.adjustment .mark-final').click()
    for (const { page } of everyone) await expect.poll(() => adjustmentState(page), { timeout: 20_000 }).toBe('final')

    // David is an editor but not appointed: his panel offers no approval.
    await expect.poll(() => david.page.locator('section.adjustment .approved, section.adjustment .pending').count()).toBe(2)
    expect(await david.page.locator('section.adjustment .approve').count()).toBe(0)

    // Each adjuster approves in their own panel, by keyboard for one of them.
    await bertil.page.locator('section.adjustment .approve').click()
    await cecilia.page.locator('section.adjustment .approve').focus()
    await cecilia.page.keyboard.press('Enter')
    for (const { page } of everyone) {
      await expect.poll(() => adjustmentState(page), { timeout: 20_000 }).toBe('locked')
      await page.locator('.lock-banner[data-locked="true"]').waitFor()
      await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('false')
      expect(await page.locator('input[name="title"]').isDisabled()).toBe(true)
      await expect.poll(() => page.locator('section.adjustment .approved[data-verified="true"]').count()).toBe(2)
    }
    expect(await alice.page.locator('section.adjustment .approved').allInnerTexts()).toEqual([
      expect.stringMatching(/^✓ Bertil Berg justerade .* verifierat av servern$/),
      expect.stringMatching(/^✓ Cecilia Cederström justerade .* verifierat av servern$/),
    ])
    await waitForStatus(bertil.page, 'saved')

    // Typing into the locked minutes changes nothing, in either profile.
    await Promise.all([showTab(alice.page, 'minutes'), showTab(bertil.page, 'minutes')])
    for (const { page } of [alice, bertil]) {
      const adjustedText = await editorText(page)
      await editorOf(page).click()
      await page.keyboard.type('Ändrat i efterhand')
      expect(await editorText(page)).toBe(adjustedText)
    }

    // On the server: a stock y-websocket client with an editor token is refused with 4423…
    const token = await makeToken({ room: `${space}/*`, role: 'editor' })
    const intruder = connectClient(server.url, room, token)
    onTestFinished(() => intruder.destroy())
    await whenSynced(intruder)
    await whenDoc(intruder.doc, (doc) => doc.getMap(LockShape.root).get(LockShape.locked) === true)
    const closed = closeCodeOf(intruder)
    intruder.doc.getMap('meta').set('title', 'Ändrat i efterhand')
    expect(await closed).toBe(CloseCode.meetingLocked)
    intruder.disconnect()
    // …and a fresh client does not see the change.
    const reader = connectClient(server.url, room, token)
    onTestFinished(() => reader.destroy())
    await whenSynced(reader)
    await whenDoc(reader.doc, (doc: Y.Doc) => doc.getMap(LockShape.root).get(LockShape.locked) === true)
    expect(reader.doc.getMap('meta').get('title')).toBe(TITLE)
    reader.disconnect()

    // Exports from the panel: Markdown and Word download, the print page opens in a tab.
    await showTab(alice.page, 'export')
    const [markdown] = await Promise.all([
      alice.page.waitForEvent('download'),
      alice.page.locator('section.export button[data-format="markdown"]').click(),
    ])
    expect(markdown.suggestedFilename()).toMatch(/\.md$/)
    const markdownText = await readFile((await markdown.path())!, 'utf8')
    expect(markdownText).toContain('Skolval – utfall')
    expect(markdownText).toContain('Alice Andersson')
    // The justering record, as the server verified it (SPEC J3).
    expect(markdownText).toMatch(/Justeras: Bertil Berg, godkänt .* \(verifierat av servern\)/)
    expect(markdownText).toMatch(/Justeras: Cecilia Cederström, godkänt .* \(verifierat av servern\)/)
    expect(markdownText).not.toContain('Utkast')
    const [docx] = await Promise.all([
      alice.page.waitForEvent('download'),
      alice.page.locator('section.export button[data-format="docx"]').click(),
    ])
    expect(docx.suggestedFilename()).toMatch(/\.docx$/)
    expect((await readFile((await docx.path())!)).subarray(0, 2).toString()).toBe('PK')
    const [printTab] = await Promise.all([
      alice.context.waitForEvent('page'),
      alice.page.locator('section.export button[data-format="html"]').click(),
    ])
    await printTab.waitForLoadState()
    expect(await printTab.locator('body').innerText()).toContain('Skolval – utfall')
    await printTab.close()

    // An editor reopens with a reason; the others can write again and the change view shows it.
    await showTab(alice.page, 'adjust')
    await alice.page.locator('section.adjustment button.reopen').click()
    await alice.page.locator('textarea[name="reopen-reason"]').fill('Fel i beslutet')
    await alice.page.locator('form.reopen-form button[type="submit"]').click()
    for (const { page } of [alice, bertil]) {
      await expect.poll(() => adjustmentState(page), { timeout: 20_000 }).toBe('draft')
      await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('true')
      await expect.poll(() => page.locator('.reopenings').innerText()).toContain('Fel i beslutet')
      await showTab(page, 'minutes')
    }
    await typeInEditor(bertil.page, ' – rättat')
    await expect
      .poll(() => alice.page.locator('.changes-view .diff-added').allInnerTexts(), { timeout: 20_000 })
      .toEqual([expect.stringContaining('Skolval – utfall – rättat')])
    await expect.poll(() => alice.page.locator('.changes-view .diff-removed').allInnerTexts()).toEqual([
      expect.stringContaining('Skolval – utfall'),
    ])
  })
})

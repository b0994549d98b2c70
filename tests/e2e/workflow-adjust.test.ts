import { readFile } from 'node:fs/promises'
import { onTestFinished } from 'vitest'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type * as Y from 'yjs'
import { CloseCode, LockShape } from '../../src/protocol'
import { meetingRoom } from '../../src/session/meeting-room'
import { connectClient, makeToken, whenDoc, whenSynced } from '../helpers/server'
import { createJoinCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { createMeeting, editorOf, editorText, joinSpace, openMeeting, showTab, typeInEditor, waitForStatus } from './panel-driver'

const TITLE = 'Ledningsgrupp LG'

const person = (page: Page, name: string) => page.locator('li.person', { hasText: name })

/** Opens a person's details in the attendance and ticks one of its checkboxes (adjuster, secretary). */
const tick = async (page: Page, name: string, field: 'adjuster' | 'secretary'): Promise<void> => {
  const entry = person(page, name)
  if ((await entry.locator('details').getAttribute('open')) === null) await entry.locator('summary').click()
  await entry.locator(`input[name="${field}"]`).check()
}

const adjustmentState = (page: Page) => page.locator('section.adjustment').getAttribute('data-state')

const closeCodeOf = (provider: ReturnType<typeof connectClient>): Promise<number> =>
  new Promise((resolve) => {
    const onClose = (event: { code: number } | null) => {
      provider.off('connection-close', onClose)
      resolve(event?.code ?? 0)
    }
    provider.on('connection-close', onClose)
  })

describe('adjusting the minutes ("justering") in two profiles against the real server', () => {
  it('check-in, final, two approvals lock the meeting everywhere (the server refuses a stock client), a reopening shows the changes, exports download', async () => {
    const server = await startServer()
    const space = uniqueSpace()
    const code = await createJoinCode(server, space)
    const alice = await launchAttendee()
    const bertil = await launchAttendee()
    await joinSpace(alice.page, code, 'Alice Andersson')
    await joinSpace(bertil.page, code, 'Bertil Berg')
    await createMeeting(alice.page, TITLE)
    await typeInEditor(alice.page, 'Skolval – utfall')
    await openMeeting(bertil.page, TITLE)
    const room = meetingRoom(space, (await alice.page.locator('.meeting-view').getAttribute('data-meeting-id'))!)

    // Both check themselves in (in People); each sees both checked in.
    await Promise.all([showTab(alice.page, 'people'), showTab(bertil.page, 'people')])
    await Promise.all([alice.page.locator('.check-in-self').click(), bertil.page.locator('.check-in-self').click()])
    for (const { page } of [alice, bertil]) {
      await expect.poll(() => page.locator('li.person[data-checked-in="true"]').count(), { timeout: 20_000 }).toBe(2)
      await page.locator('.self-checked-in').waitFor()
    }

    // Alice is the secretary; both adjust. The secretary marks the minutes final.
    await tick(alice.page, 'Alice Andersson', 'secretary')
    await tick(alice.page, 'Alice Andersson', 'adjuster')
    await tick(alice.page, 'Bertil Berg', 'adjuster')
    await Promise.all([showTab(alice.page, 'adjust'), showTab(bertil.page, 'adjust')])
    await alice.page.locator('section.adjustment .mark-final').click()

    // Each adjuster approves in their own panel.
    await alice.page.locator('section.adjustment .approve').click()
    await bertil.page.locator('section.adjustment .approve').click()
    for (const { page } of [alice, bertil]) {
      await expect.poll(() => adjustmentState(page), { timeout: 20_000 }).toBe('locked')
      await page.locator('.lock-banner[data-locked="true"]').waitFor()
      await expect.poll(() => editorOf(page).getAttribute('contenteditable')).toBe('false')
      expect(await page.locator('input[name="title"]').isDisabled()).toBe(true)
      await expect.poll(() => page.locator('section.adjustment .approved').count()).toBe(2)
    }
    await waitForStatus(bertil.page, 'saved')

    // Typing into the locked minutes changes nothing, in either profile.
    await Promise.all([showTab(alice.page, 'minutes'), showTab(bertil.page, 'minutes')])
    const adjustedText = await editorText(alice.page)
    for (const { page } of [alice, bertil]) {
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

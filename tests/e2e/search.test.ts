import { describe, expect, it } from 'vitest'
import { createMemberCode, launchAttendee, startServer, uniqueSpace } from './harness'
import { backToList, createMeeting, editorOf, joinSpace, waitForStatus } from './panel-driver'

describe('search in the minutes', () => {
  it('finds a word of an earlier meeting with the server stopped, diacritics folded, and opens that meeting at the item', async () => {
    const server = await startServer()
    const space = uniqueSpace()
    const { joinCode } = await createMemberCode(server, space, { name: 'Marie Krantz', role: 'editor' })
    const { page } = await launchAttendee({ lang: 'sv', viewport: { width: 360, height: 800 } })
    await joinSpace(page, joinCode, 'Marie')

    await createMeeting(page, 'FLG 11 mars')
    await editorOf(page).focus()
    await page.keyboard.type('Budget')
    await page.keyboard.press('Enter')
    await page.keyboard.type('Utfallet visar ett överskott.')
    // A second item, ten paragraphs down, is the one to find.
    await page.keyboard.press('Enter')
    for (let line = 0; line < 10; line++) {
      await page.keyboard.type(`Rad ${line}`)
      await page.keyboard.press('Enter')
    }
    await page.keyboard.press('Control+Shift+Enter')
    await page.keyboard.type('Östersundsavtalet')
    await page.keyboard.press('Enter')
    await page.keyboard.type('Avtalet med Östersunds kommun förlängs.')
    await waitForStatus(page, 'saved')
    await backToList(page)

    await createMeeting(page, 'FLG 8 april')
    await editorOf(page).focus()
    await page.keyboard.type('Lönerevision')
    await waitForStatus(page, 'saved')
    await backToList(page)

    await server.kill()
    await page.locator('input[name="search"]').click()
    await page.keyboard.type('ostersunds')
    const hit = page.locator('.search-hit')
    await expect.poll(() => hit.count()).toBe(1)
    expect(await hit.locator('.entry-title').innerText()).toBe('FLG 11 mars › Östersundsavtalet')
    expect(await hit.locator('mark').innerText()).toBe('Östersunds')
    // The meeting list's own filter matches no title; the minutes' text does.
    expect(await page.locator('.search-hits [role="status"]').innerText()).toBe('1 ställe i protokollen')

    await hit.focus()
    await page.keyboard.press('Enter')
    await editorOf(page).waitFor()
    expect(await page.locator('input[name="title"]').inputValue()).toBe('FLG 11 mars')
    const target = page.locator('section.agenda-item.search-target')
    await expect.poll(() => target.count()).toBe(1)
    expect(await target.locator('h2.agenda-title').innerText()).toContain('Östersundsavtalet')
    await expect.poll(() => target.evaluate((element) => element.getBoundingClientRect().top < window.innerHeight)).toBe(true)
  })
})

/**
 * The Firefox build in real Firefox ESR (tests/e2e/firefox.ts), driven by mouse clicks and key
 * events like a person would; `evaluate` only reads the page, focuses or locates elements.
 *
 * `MINUTES_E2E_SCREENSHOTS=<dir>` keeps a screenshot of the panel from the joining test there.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en } from '../../src/ui/messages-en'
import { sv } from '../../src/ui/messages-sv'
import { createJoinCode, createMemberCode, launchAttendee, startServer, uniqueSpace } from './harness'
import {
  createMeeting as createMeetingInChromium,
  joinSpace as joinInChromium,
  typeInEditor as typeInChromium,
  waitForStatus as waitForChromiumStatus,
} from './panel-driver'
import { launchFirefox, waitUntil, type FirefoxPanel } from './firefox'
import { foreignPhrases, measureWidth, readShownText } from './screen-checks'

const EDITOR = '.editor-mount .ProseMirror'

const joinSpace = async (panel: FirefoxPanel, joinCode: string, name: string): Promise<void> => {
  await panel.paste('textarea[name="join-code"]', joinCode)
  await panel.fill('input[name="display-name"]', name)
  await panel.click('.join-screen button[type="submit"]')
  await panel.waitForSelector('.meeting-list')
}

const createMeeting = async (panel: FirefoxPanel, title: string): Promise<void> => {
  await panel.click('.meeting-list .section-head button')
  await panel.waitForSelector(EDITOR)
  await panel.fill('input[name="title"]', title)
}

const openMeeting = async (panel: FirefoxPanel, title: string): Promise<void> => {
  await panel.click('.meeting-entry', { hasText: title })
  await panel.waitForSelector(EDITOR)
}

/** Types at the end of the minutes text (focus, not a click: see panel-driver.ts). */
const typeInEditor = async (panel: FirefoxPanel, text: string): Promise<void> => {
  await panel.focus(EDITOR)
  await panel.press('Control+End')
  await panel.type(text)
}

const editorText = async (panel: FirefoxPanel): Promise<string> => (await panel.text(EDITOR)) ?? ''

/**
 * The document's text without the editor's widgets (other people's carets with their names,
 * agenda-item labels): the same in every attendee once they have converged.
 */
const documentText = (selector: string): string => {
  const editor = document.querySelector(selector)
  if (editor === null) return ''
  const copy = editor.cloneNode(true) as Element
  for (const widget of Array.from(copy.querySelectorAll('.ProseMirror-widget, .ProseMirror-yjs-cursor, [contenteditable="false"]'))) widget.remove()
  return copy.textContent ?? ''
}

const statusOf = (panel: FirefoxPanel): Promise<string | null> =>
  panel.evaluate(() => document.querySelector('.app-status [role="status"]')?.getAttribute('data-status') ?? null)

const waitForStatus = (panel: FirefoxPanel, kind: string): Promise<unknown> =>
  waitUntil(async () => (await statusOf(panel)) === kind, { message: `status ${kind}` })

const inputValue = (panel: FirefoxPanel, selector: string): Promise<string | null> =>
  panel.evaluate((selector: string) => document.querySelector<HTMLInputElement>(selector)?.value ?? null, selector)

describe('the panel in Firefox', () => {
  it('loads with no errors and shows the join screen, in a tab and in the sidebar', async () => {
    const { panel, readLog, openSidebar, baseUrl } = await launchFirefox()
    await panel.waitForSelector('.join-screen textarea[name="join-code"]')
    expect(await panel.text('h1')).toBe(en['join.heading'])
    expect(await panel.evaluate(() => document.documentElement.lang)).toBe('en')
    expect(await panel.evaluate(() => document.title)).toBe(en['app.title'])

    // The log of this tab reaches the test: a line logged now arrives, so an error logged
    // while the page started would have arrived before it.
    await panel.evaluate(() => console.info('minutes-e2e-probe'))
    await waitUntil(async () => (await readLog()).some((entry) => entry.text === 'minutes-e2e-probe'), {
      message: 'the probe line in the log',
    })
    expect(await panel.errors()).toEqual([])

    // Firefox's sidebar, where the toolbar button opens the panel, shows the same page.
    const sidebar = await openSidebar()
    expect(sidebar.url).toBe(`${baseUrl}sidepanel.html`)
    await waitUntil(async () => (await sidebar.text('h1')) === en['join.heading'], { message: 'the join screen in the sidebar' })
    expect(await sidebar.errors()).toEqual([])
  })

  it('joins a space on the server with a pasted join code, creates a meeting and types', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const { panel } = await launchFirefox()
    await joinSpace(panel, code, 'Annika Andersson')
    await createMeeting(panel, 'Ledningsgrupp LG')
    await typeInEditor(panel, 'Skolval – utfall')

    await waitUntil(async () => (await editorText(panel)).includes('Skolval – utfall'), { message: 'the typed text' })
    expect(await inputValue(panel, 'input[name="title"]')).toBe('Ledningsgrupp LG')
    // "saved" means the server has every change: the socket from the MV2 page works.
    await waitForStatus(panel, 'saved')
    const shotDir = process.env.MINUTES_E2E_SCREENSHOTS
    const png = await panel.screenshot(shotDir === undefined ? undefined : join(shotDir, 'firefox-panel.png'))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(await panel.errors()).toEqual([])
  })

  it('a Chromium and a Firefox attendee edit one meeting and both see both texts', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const [chromium, firefox] = await Promise.all([launchAttendee(), launchFirefox()])
    await Promise.all([joinInChromium(chromium.page, code, 'Bo Berg'), joinSpace(firefox.panel, code, 'Annika Andersson')])
    await createMeetingInChromium(chromium.page, 'FSG')
    await openMeeting(firefox.panel, 'FSG')
    await Promise.all([waitForChromiumStatus(chromium.page, 'saved'), waitForStatus(firefox.panel, 'saved')])
    const textIn = {
      chromium: () => chromium.page.evaluate(documentText, EDITOR),
      firefox: () => firefox.panel.evaluate(documentText, EDITOR),
    }
    const bothContain = async (text: string) => {
      await expect.poll(textIn.chromium, { timeout: 20_000 }).toContain(text)
      await waitUntil(async () => (await textIn.firefox()).includes(text), { message: `${JSON.stringify(text)} in Firefox` })
    }

    // One after the other at the end of the first item...
    await typeInEditor(firefox.panel, 'Från Firefox. ')
    await bothContain('Från Firefox. ')
    await typeInChromium(chromium.page, 'Från Chromium.')
    await bothContain('Från Firefox. Från Chromium.')
    // ...then at the same time, at its start (Firefox) and its end (Chromium). Two people typing
    // at one spot at once interleave their letters, as any CRDT editor does; not tested here.
    await Promise.all([
      (async () => {
        await firefox.panel.focus(EDITOR)
        await firefox.panel.press('Control+Home')
        await firefox.panel.type('Först. ')
      })(),
      typeInChromium(chromium.page, ' Sist.'),
    ])
    await bothContain('Först. Från Firefox. Från Chromium. Sist.')
    expect(await textIn.firefox()).toBe(await textIn.chromium())
    await Promise.all([waitForChromiumStatus(chromium.page, 'saved'), waitForStatus(firefox.panel, 'saved')])
    await waitUntil(async () => (await firefox.panel.text('.presence-list'))?.includes('Bo Berg'), { message: 'Bo Berg in the presence list in Firefox' })
    await expect.poll(() => chromium.page.locator('.presence-list').innerText()).toContain('Annika Andersson')
    expect(await firefox.panel.errors()).toEqual([])
  })

  it('keeps the meeting in IndexedDB: the tab closed, the server stopped, the panel opened again in that meeting', async () => {
    const server = await startServer()
    const code = await createJoinCode(server, uniqueSpace())
    const firefox = await launchFirefox()
    await joinSpace(firefox.panel, code, 'Ingrid Nyman')
    await createMeeting(firefox.panel, 'Ledningsgrupp 27 feb')
    await typeInEditor(firefox.panel, 'Uppföljning tilldelade beslut')
    await waitForStatus(firefox.panel, 'saved')
    await firefox.panel.close()
    await server.kill()

    // The panel reopens where it was: in the meeting, without going through the list.
    const again = await firefox.openPanel()
    await again.waitForSelector(EDITOR)
    await waitUntil(async () => (await editorText(again)).includes('Uppföljning tilldelade beslut'), { message: 'the text from IndexedDB' })
    expect(await inputValue(again, 'input[name="title"]')).toBe('Ledningsgrupp 27 feb')
    await waitUntil(async () => (await statusOf(again)) !== 'saved', { message: 'a status other than saved' })
  })

  it('at 320 px in Swedish, search hits, the action register, series and archive, and Members in Settings fit the width and show no English', async () => {
    const server = await startServer()
    const space = uniqueSpace()
    const owner = await createMemberCode(server, space, { name: 'Marie Krantz', role: 'owner' })
    const { panel } = await launchFirefox({ lang: 'sv', viewport: { width: 320, height: 700 } })
    const english = foreignPhrases(sv, en)
    const found: string[] = []
    const check = async (stop: string): Promise<void> => {
      const { scroll, sticking, cut } = await panel.evaluate(measureWidth)
      if (scroll !== 0) found.push(`${stop}: scrolls ${scroll} px sideways`)
      found.push(...[...sticking, ...cut.map((what) => `cut: ${what}`)].map((what) => `${stop}: ${what}`))
      const shown = await panel.evaluate(readShownText)
      found.push(...english.filter((phrase) => shown.includes(phrase)).map((phrase) => `${stop}: ${phrase}`))
    }

    await joinSpace(panel, owner.joinCode, 'Marie')
    await createMeeting(panel, 'FLG januari')
    await typeInEditor(panel, 'Mål och ekonomi')
    await panel.press('Enter')
    await panel.type('Prognosen visar ett litet överskott.')
    await panel.press('Enter')
    await panel.type('[] Skicka underlaget till rektorerna')
    await panel.press('Tab')
    await panel.type('MK')
    await panel.press('Tab')
    await panel.type('2020-03-25')
    await panel.press('Enter')
    await panel.click('.meeting-view [role="tab"][data-tab="details"]')
    await panel.fill('.tab-panel-details input[name="group"]', 'FLG')
    await panel.press('Tab')
    await waitForStatus(panel, 'saved')
    await panel.click('.meeting-nav button.link')
    await panel.waitForSelector('.meeting-list')
    // The text is the stylesheet's 15 px, as in Chromium (panel-shell.test.ts).
    expect(await panel.evaluate(() => [getComputedStyle(document.body).fontSize, getComputedStyle(document.querySelector('button')!).fontSize])).toEqual(['15px', '15px'])

    await panel.fill('input[name="search"]', 'prognos')
    await panel.waitForSelector('.search-hit')
    await check('search hits')
    await panel.fill('input[name="search"]', '')
    await panel.click('button.open-register')
    await panel.waitForSelector('.register-entry')
    await check('action register')
    await panel.click('.action-register .meeting-nav button.link')
    await panel.click('button.open-series')
    await panel.waitForSelector('section.series .series-meetings li')
    await check('series and archive')
    await panel.click('.series-view .meeting-nav button.link')
    await panel.click('.app-bar button.link')
    await panel.waitForSelector('.members .member-entry')
    await panel.fill('input[name="member-name"]', 'Birgitta Forssman')
    await panel.click('form.member-invite button[type="submit"]')
    await panel.waitForSelector('textarea[name="invite-code"]')
    await check('members: join code shown')
    await panel.click('.member-entry button[name="revoke"]')
    await panel.waitForSelector('button[name="confirm-revoke"]')
    await check('members: revoke asked')
    expect(found).toEqual([])
    expect(await panel.errors()).toEqual([])
  })

  it('speaks Swedish when Firefox runs in Swedish', async ({ annotate }) => {
    const firefox = await launchFirefox({ lang: 'sv' })
    // `langpack` with firefox-esr-l10n-sv-se installed, else `simulated` (see firefox.ts).
    await annotate(`Swedish locale: ${firefox.localeSource}`)
    const { panel } = firefox
    await panel.waitForSelector('.join-screen')
    expect(await panel.text('h1')).toBe(sv['join.heading'])
    expect(await panel.evaluate(() => document.documentElement.lang)).toBe('sv')
    expect(await panel.evaluate(() => browser.i18n.getMessage('uiLanguage'))).toBe('sv')
    expect(await panel.text('.join-screen button[type="submit"]')).toBe(sv['join.submit'])

    await panel.click('textarea[name="join-code"]')
    await panel.type('hej')
    await panel.fill('input[name="display-name"]', 'Katarina Lückander')
    await panel.click('.join-screen button[type="submit"]')
    await panel.waitForSelector('.join-screen [role="alert"]')
    expect(await panel.text('.join-screen [role="alert"]')).toBe(sv['join.error.notAJoinCode'])

    await panel.click('.local-only button')
    await panel.waitForSelector('.meeting-list')
    expect(await panel.text('.status-line')).toBe(sv['status.local'])
    await createMeeting(panel, 'FSG')
    expect(await panel.evaluate(() => document.querySelector('.toolbar')?.getAttribute('aria-label'))).toBe(sv['toolbar.label'])
    expect(await panel.errors()).toEqual([])
  })
})

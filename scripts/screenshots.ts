/**
 * `npm run screenshots`: the panel's main screens at 360 px, in Swedish and English, from the
 * built extension (`.output/chrome-mv3`) in Debian's Chromium against a sync server in this
 * process (in memory), into docs/screenshots/. Everything on them is entered the way a
 * secretary would: typed and clicked.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { encodePersonalJoinCode } from '../src/join-code'
import { addMember } from '../sync-server/identity'
import { startSyncServer, type StartedServer } from '../sync-server/index'

const ROOT = resolve(import.meta.dirname, '..')
const EXTENSION = join(ROOT, '.output', 'chrome-mv3')
const OUT = join(ROOT, 'docs', 'screenshots')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const WIDTH = 360
const HEIGHT = 720

type Lang = 'sv' | 'en'

const words = {
  sv: {
    name: 'Marie Krantz',
    title: 'Ledningsgrupp BUF',
    items: [
      { title: 'Incheckning', body: 'Alla delade hur veckan har varit.' },
      { title: 'Skolval – utfall', body: 'Utfallet av skolvalet presenterades.', presenter: 'Mats Nilsson', kind: 'decision', action: 'Skicka underlaget till rektorerna', responsible: 'MN', due: '2026-03-25' },
      { title: 'Mål och ekonomi', body: 'Prognosen visar ett litet överskott.', presenter: 'Birgitta Forssman', kind: 'information' },
    ],
    people: 'Närvarande: Marie Krantz (MK), Mats Nilsson (MN), Birgitta Forssman (BF), Christian Olsson (CO)',
  },
  en: {
    name: 'Marie Krantz',
    title: 'Management group',
    items: [
      { title: 'Check-in', body: 'Everyone shared how the week has been.' },
      { title: 'School choice – outcome', body: 'The outcome of the school choice was presented.', presenter: 'Mats Nilsson', kind: 'decision', action: 'Send the figures to the head teachers', responsible: 'MN', due: '2026-03-25' },
      { title: 'Goals and budget', body: 'The forecast shows a small surplus.', presenter: 'Birgitta Forssman', kind: 'information' },
    ],
    people: 'Present: Marie Krantz (MK), Mats Nilsson (MN), Birgitta Forssman (BF), Christian Olsson (CO)',
  },
} as const

const shoot = async (page: Page, lang: Lang, name: string): Promise<void> => {
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(OUT, `${lang}-${name}.png`) })
  process.stdout.write(`  docs/screenshots/${lang}-${name}.png\n`)
}

const tab = async (page: Page, id: string): Promise<void> => {
  await page.locator(`[role="tab"][data-tab="${id}"]`).click()
  await page.locator(`.tab-panel-${id}:not([hidden])`).waitFor()
}

const run = async (lang: Lang, server: StartedServer): Promise<void> => {
  process.stdout.write(`${lang === 'sv' ? 'Swedish' : 'English'}:\n`)
  const w = words[lang]
  const profile = mkdtempSync(join(tmpdir(), 'minutes-screens-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: WIDTH, height: HEIGHT },
    args: ['--no-sandbox', `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`, '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu', `--lang=${lang}`],
  })
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'))
    const page = await context.newPage()
    await page.goto(`chrome-extension://${new URL(worker.url()).host}/sidepanel.html`)
    const space = `screens-${lang}`
    // The secretary is the space's owner, with a personal join code (she adjusts below).
    const { key } = await addMember(server.members, { space, name: w.name, role: 'owner' })
    await page.locator('.join-screen').waitFor()
    await shoot(page, lang, 'join')

    await page.locator('textarea[name="join-code"]').fill(encodePersonalJoinCode({ server: server.url, space, key }))
    await page.locator('input[name="display-name"]').fill(w.name)
    await page.locator('.join-screen button[type="submit"]').click()
    await page.locator('.meeting-list').waitFor()

    await page.locator('.meeting-list .section-head button').click()
    const editor = page.locator('.editor-mount .ProseMirror')
    await editor.waitFor()
    await page.locator('input[name="title"]').fill(w.title)
    await editor.focus()
    await page.keyboard.press('Control+Home')
    for (const [index, item] of w.items.entries()) {
      if (index > 0) await page.keyboard.press('Control+Shift+Enter')
      await page.keyboard.type(item.title)
      if ('kind' in item) {
        await page.keyboard.press('Tab') // to the kind menu; Decision is its first entry
        if (item.kind === 'decision') await page.keyboard.press('Home')
        await page.keyboard.press('Tab') // to the presenter
        await page.keyboard.type(item.presenter)
        await page.keyboard.press('Enter')
      }
      await page.keyboard.press('Enter')
      await page.keyboard.type(item.body)
      if ('action' in item) {
        await page.keyboard.press('Enter')
        await page.keyboard.type(`[] ${item.action}`)
        await page.keyboard.press('Tab')
        await page.keyboard.type(item.responsible)
        await page.keyboard.press('Tab')
        await page.keyboard.type(item.due)
        await page.keyboard.press('Enter')
      }
    }
    await page.locator('.status-line[data-status="saved"]').waitFor({ timeout: 20_000 })
    await shoot(page, lang, 'minutes')

    await tab(page, 'people')
    const paste = page.locator('textarea[name="people-paste"]')
    if ((await paste.count()) > 0) {
      await paste.fill(w.people)
      await page.locator('form.people-paste button[type="submit"]').click()
    }
    await page.locator('.check-in-self').click()
    await shoot(page, lang, 'people')

    await tab(page, 'details')
    await page.locator('input[name="group"]').fill('LG')
    await page.locator('input[name="place"]').fill(lang === 'sv' ? 'Rum 3' : 'Room 3')
    await shoot(page, lang, 'details')

    await tab(page, 'export')
    await shoot(page, lang, 'export')

    // Adjust: the secretary adjusts alone here, which locks the minutes.
    await tab(page, 'people')
    const self = page.locator('li.person', { hasText: w.name }).first()
    if ((await self.locator('details').getAttribute('open')) === null) await self.locator('summary').click()
    await self.locator('input[name="adjuster"]').check()
    await tab(page, 'adjust')
    await shoot(page, lang, 'adjust')
    await page.locator('section.adjustment .mark-final').click()
    await page.locator('section.adjustment .approve').click()
    await page.locator('.lock-banner[data-locked="true"]').waitFor()
    await tab(page, 'minutes')
    await shoot(page, lang, 'locked')

    await page.locator('.next-meeting').click()
    await page.locator('.follow-up-entry').first().waitFor({ timeout: 20_000 })
    await shoot(page, lang, 'follow-up')

    await page.locator('.meeting-nav button.link').click()
    await page.locator('.meeting-list').waitFor()
    await shoot(page, lang, 'meetings')

    await page.locator('input[name="search"]').fill(lang === 'sv' ? 'prognos' : 'forecast')
    await page.locator('.search-hit').first().waitFor()
    await shoot(page, lang, 'search')
    await page.locator('input[name="search"]').fill('')

    await page.locator('button.open-series').click()
    await page.locator('section.series').first().waitFor()
    await shoot(page, lang, 'series')
    await page.locator('.series-view .meeting-nav button.link').click()

    await page.locator('.app-bar button.link').click()
    await page.locator('.members .member-entry').first().waitFor()
    await page.locator('input[name="member-name"]').fill('Mats Nilsson')
    await page.locator('form.member-invite button[type="submit"]').click()
    await page.locator('textarea[name="invite-code"]').waitFor()
    await page.locator('.members').scrollIntoViewIfNeeded()
    // The code is a live credential of this run's server: blurred in the picture.
    await page.addStyleTag({ content: 'textarea[name="invite-code"] { filter: blur(4px); }' })
    await page.screenshot({ path: join(OUT, `${lang}-members.png`) })
    process.stdout.write(`  docs/screenshots/${lang}-members.png\n`)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
}

const main = async (): Promise<void> => {
  if (!existsSync(join(EXTENSION, 'manifest.json'))) throw new Error('No built extension: run `npm run build` first.')
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: \`apt-get install -y chromium\` or set CHROMIUM_PATH.`)
  mkdirSync(OUT, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  const server = await startSyncServer({ secret, host: '127.0.0.1', port: 0 })
  try {
    for (const lang of ['sv', 'en'] as const) await run(lang, server)
  } finally {
    await server.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})

import { describe, expect, it } from 'vitest'
import { en } from '../../src/ui/messages-en'
import { sv } from '../../src/ui/messages-sv'
import { launchAttendee } from './harness'
import { continueWithoutServer, createMeeting, showTab, typeInEditor, type MeetingTab } from './panel-driver'
import { walkOwnerTour } from './owner-tour'
import { foreignPhrases, shownPhrases } from './screen-checks'

const SCREENS: readonly MeetingTab[] = ['minutes', 'details', 'people', 'adjust', 'export']

describe('one language at a time', () => {
  for (const lang of ['sv', 'en'] as const) {
    it(`with --lang=${lang}, the join screen, the meeting list and every tab of a meeting show no string of the other language`, async () => {
      const foreign = lang === 'sv' ? foreignPhrases(sv, en) : foreignPhrases(en, sv)
      // The same check finds this language's own phrases on screen: it can see a wrong one.
      const own = lang === 'sv' ? foreignPhrases(en, sv) : foreignPhrases(sv, en)
      expect(foreign.length).toBeGreaterThan(100)
      const attendee = await launchAttendee({ lang, viewport: { width: 360, height: 900 } })
      const page = attendee.page
      await page.locator('.join-screen').waitFor()
      const found: string[] = (await shownPhrases(page, foreign)).map((p) => `join: ${p}`)
      await continueWithoutServer(page, 'Katarina Lückander')
      found.push(...(await shownPhrases(page, foreign)).map((p) => `meetings: ${p}`))
      await createMeeting(page, 'FSG')
      await typeInEditor(page, 'Budget')
      for (const screen of SCREENS) {
        await showTab(page, screen)
        found.push(...(await shownPhrases(page, foreign)).map((p) => `${screen}: ${p}`))
      }
      await showTab(page, 'minutes')
      expect((await shownPhrases(page, own)).length).toBeGreaterThan(5)
      await page.locator('.toolbar button.more').click()
      found.push(...(await shownPhrases(page, foreign)).map((p) => `toolbar menu: ${p}`))
      expect(found).toEqual([])
    })

    it(`with --lang=${lang}, search hits, the action register, series and archive, and Members in Settings show no string of the other language`, async () => {
      const foreign = lang === 'sv' ? foreignPhrases(sv, en) : foreignPhrases(en, sv)
      const own = lang === 'sv' ? foreignPhrases(en, sv) : foreignPhrases(sv, en)
      const found: string[] = []
      let ownShown = 0
      await walkOwnerTour({ lang }, async (stop, page) => {
        found.push(...(await shownPhrases(page, foreign)).map((phrase) => `${stop}: ${phrase}`))
        ownShown += (await shownPhrases(page, own)).length
      })
      expect(ownShown).toBeGreaterThan(20)
      expect(found).toEqual([])
    })
  }
})

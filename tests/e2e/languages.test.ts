import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { en } from '../../src/ui/messages-en'
import { sv } from '../../src/ui/messages-sv'
import { launchAttendee } from './harness'
import { continueWithoutServer, createMeeting, showTab, typeInEditor, type MeetingTab } from './panel-driver'

/**
 * The strings of one language that must not show in the other: the fixed parts of every
 * message (placeholders cut out), leaving out those both languages spell alike ("Export",
 * "Information", "Dialog") and fragments too short to mean anything on their own.
 */
const foreignPhrases = (own: Readonly<Record<string, string>>, other: Readonly<Record<string, string>>): string[] => {
  const mine = new Set(Object.values(own).flatMap((text) => text.split(/\{\w+\}/)).map((part) => part.trim()))
  const phrases = new Set<string>()
  for (const text of Object.values(other)) {
    for (const part of text.split(/\{\w+\}/)) {
      const phrase = part.trim().replace(/^[\s:–·,.()"”“]+|[\s:–·,.()"”“]+$/g, '')
      if (phrase.length >= 6 && /\s|[a-zåäö]{6,}/i.test(phrase) && !mine.has(phrase) && !Object.values(own).some((t) => t.includes(phrase))) phrases.add(phrase)
    }
  }
  return [...phrases]
}

/** What the panel shows of the other language: its visible text, and its labels, titles and placeholders. */
const shownForeign = async (page: Page, phrases: readonly string[]): Promise<string[]> => {
  const shown = await page.evaluate(() => {
    const texts = [document.body.innerText]
    for (const el of document.querySelectorAll<HTMLElement>('[aria-label], [title], [placeholder]')) {
      if (el.closest('[hidden]') !== null) continue
      texts.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '', el.getAttribute('placeholder') ?? '')
    }
    return texts.join('\n')
  })
  return phrases.filter((phrase) => shown.includes(phrase))
}

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
      const found: string[] = (await shownForeign(page, foreign)).map((p) => `join: ${p}`)
      await continueWithoutServer(page, 'Katarina Lückander')
      found.push(...(await shownForeign(page, foreign)).map((p) => `meetings: ${p}`))
      await createMeeting(page, 'FSG')
      await typeInEditor(page, 'Budget')
      for (const screen of SCREENS) {
        await showTab(page, screen)
        found.push(...(await shownForeign(page, foreign)).map((p) => `${screen}: ${p}`))
      }
      await showTab(page, 'minutes')
      expect((await shownForeign(page, own)).length).toBeGreaterThan(5)
      await page.locator('.toolbar button.more').click()
      found.push(...(await shownForeign(page, foreign)).map((p) => `toolbar menu: ${p}`))
      expect(found).toEqual([])
    })
  }
})

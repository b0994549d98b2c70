/**
 * The checks every main screen of the panel gets (issue #10): axe-core finds nothing serious
 * or critical, 320 px wide needs no sideways scrolling, and a panel in one language shows no
 * string of the other.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: unknown }>
}

/** axe-core's serious and critical findings on the page as it is, with the elements they are on. */
export const seriousViolations = async (page: Page): Promise<AxeViolation[]> => {
  // The extension's CSP (script-src 'self') refuses page.addScriptTag's inline script;
  // evaluating the source through the DevTools protocol is not subject to it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe
    return (await axe.run()).violations
  })
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }))
}

export interface WidthFindings {
  /** How far the page scrolls sideways, in pixels. */
  scroll: number
  /** The visible controls and text blocks whose box reaches past the left or right edge. */
  sticking: string[]
  /** The menus (`select`) too narrow to show their chosen entry in full. */
  cut: string[]
}

/**
 * Runs in the page (Chromium's or Firefox's): what does not fit the panel's width, the page's
 * sideways scroll and every visible control or text block past an edge (a parent with
 * `overflow: hidden` would cut it without making the page scroll).
 */
export const measureWidth = (): WidthFindings => {
  const width = document.documentElement.clientWidth
  const sticking: string[] = []
  for (const element of document.querySelectorAll<HTMLElement>('button, input, select, textarea, label, h1, h2, h3, p, li, mark, dd')) {
    if (element.closest('[hidden]') !== null || element.getClientRects().length === 0) continue
    const box = element.getBoundingClientRect()
    if (box.right > width + 0.5 || box.left < -0.5) {
      const name = element.getAttribute('name') ?? element.className
      sticking.push(`${element.tagName.toLowerCase()}${name === '' ? '' : `[${name}]`} "${(element.innerText || element.getAttribute('aria-label') || '').slice(0, 40)}": ${Math.round(box.left)}–${Math.round(box.right)}`)
    }
  }
  const cut: string[] = []
  const pen = document.createElement('canvas').getContext('2d')!
  for (const select of document.querySelectorAll('select')) {
    if (select.closest('[hidden]') !== null || select.getClientRects().length === 0) continue
    const style = getComputedStyle(select)
    pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
    const chosen = select.selectedOptions[0]?.text ?? ''
    // The room for the text: the box without its padding and the arrow (about 1.3 em wide).
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 1.3 * parseFloat(style.fontSize)
    if (pen.measureText(chosen).width > room) cut.push(`select[${select.name}] "${chosen}": ${Math.round(pen.measureText(chosen).width)} px in ${Math.round(room)}`)
  }
  return { scroll: document.documentElement.scrollWidth - width, sticking, cut }
}

export const outsideTheWidth = (page: Page): Promise<WidthFindings> => page.evaluate(measureWidth)

/**
 * The strings of one language that must not show in the other: the fixed parts of every
 * message (placeholders cut out), leaving out those both languages spell alike ("Export",
 * "Information", "Dialog") and fragments too short to mean anything on their own.
 */
export const foreignPhrases = (own: Readonly<Record<string, string>>, other: Readonly<Record<string, string>>): string[] => {
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

/**
 * Runs in the page: everything it shows in words, its visible text, the entries of its menus,
 * its labels, titles and placeholders, and the page's title.
 */
export const readShownText = (): string => {
  const texts = [document.title, document.body.innerText]
  for (const el of document.querySelectorAll<HTMLElement>('[aria-label], [title], [placeholder], option')) {
    if (el.closest('[hidden]') !== null) continue
    if (el instanceof HTMLOptionElement) texts.push(el.text)
    texts.push(el.getAttribute('aria-label') ?? '', el.getAttribute('title') ?? '', el.getAttribute('placeholder') ?? '')
  }
  return texts.join('\n')
}

/** Which of `phrases` the panel shows (`readShownText`). */
export const shownPhrases = async (page: Page, phrases: readonly string[]): Promise<string[]> => {
  const shown = await page.evaluate(readShownText)
  return phrases.filter((phrase) => shown.includes(phrase))
}

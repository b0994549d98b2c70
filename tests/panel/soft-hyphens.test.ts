import { describe, expect, it } from 'vitest'
import { softHyphenateHtml, softHyphenateWord } from '../../src/export/soft-hyphens'

const shown = (text: string): string => text.replace(/\u00ad/g, '-')

describe('soft hyphens for the print table', () => {
  it('breaks long Swedish words before the last consonant in front of a vowel, keeping "gr", "st" and "ch" together', () => {
    expect(shown(softHyphenateWord('Förvaltningsledningsgrupp'))).toBe('För-valt-nings-led-nings-grupp')
    expect(shown(softHyphenateWord('Verksamhetschefsgruppen'))).toBe('Verk-sam-hets-chefs-grup-pen')
    expect(shown(softHyphenateWord('Skolstyrelsen'))).toBe('Skol-sty-rel-sen')
    expect(shown(softHyphenateWord('Föredragande'))).toBe('Fö-re-dra-gande')
    expect(shown(softHyphenateWord('Avdelningarna'))).toBe('Av-del-ningarna')
  })

  it('leaves short words whole, and never breaks within the first two or the last three letters', () => {
    expect(softHyphenateWord('Skolval')).toBe('Skolval')
    expect(softHyphenateWord('Incheckning')).not.toMatch(/^.{0,1}\u00ad|\u00ad.{0,2}$/)
  })

  it('touches only the text of HTML, not its tags or entities', () => {
    const html = '<strong class="item-title">1. Förvaltningsledningsgrupp</strong> &amp; <em>Budgetuppföljningen</em>'
    const result = softHyphenateHtml(html)
    expect(result.replace(/\u00ad/g, '')).toBe(html)
    expect(result).toContain('<strong class="item-title">')
    expect(result).toContain('&amp;')
    expect(shown(result)).toContain('För-valt-nings-led-nings-grupp')
  })
})

import { describe, expect, it } from 'vitest'
import { createTranslator, dictionaries, formatDate, LANGUAGES, resolveLanguage } from '../../src/ui/i18n'
import { en } from '../../src/ui/messages-en'
import { statusText } from '../../src/ui/status-text'

describe('the panel speaks Swedish and English', () => {
  it('has every key, non-empty, in both languages, with the same placeholders', () => {
    const keys = Object.keys(en).sort()
    for (const language of LANGUAGES) {
      const messages = dictionaries[language]
      expect(Object.keys(messages).sort()).toEqual(keys)
      for (const key of keys) {
        const text = messages[key as keyof typeof en]
        expect(text.trim(), `${language} ${key}`).not.toBe('')
        const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
        expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(en[key as keyof typeof en]))
      }
    }
  })

  it('follows the browser: sv and sv-SE are Swedish, anything else is English', () => {
    expect(resolveLanguage('sv')).toBe('sv')
    expect(resolveLanguage('sv_SE')).toBe('sv')
    expect(resolveLanguage('', 'sv-FI')).toBe('sv')
    expect(resolveLanguage('en-US')).toBe('en')
    expect(resolveLanguage('de')).toBe('en')
    expect(resolveLanguage(undefined)).toBe('en')
  })

  it('says the status line in words, with one and many changes', () => {
    const sv = createTranslator('sv')
    const en = createTranslator('en')
    expect(statusText(sv, { kind: 'saved' })).toBe('Alla ändringar sparade på servern')
    expect(statusText(en, { kind: 'saved' })).toBe('All changes saved on the server')
    expect(statusText(sv, { kind: 'unsaved', count: 3 })).toBe('3 ändringar ännu inte på servern')
    expect(statusText(sv, { kind: 'unsaved', count: 1 })).toBe('1 ändring ännu inte på servern')
    expect(statusText(sv, { kind: 'offline', unsaved: 0 })).toBe('Offline – ändringarna sparas i webbläsaren')
    expect(statusText(en, { kind: 'auth-failed' })).toBe('Join code no longer valid: ask for a new one')
  })

  it('writes dates the way each language does', () => {
    expect(formatDate('sv', '2023-02-27')).toMatch(/27 feb/)
    expect(formatDate('en', '2023-02-27')).toMatch(/27 Feb/)
    expect(formatDate('en', 'not a date')).toBe('not a date')
  })
})

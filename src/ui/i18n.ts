/**
 * The panel's strings in Swedish and English.
 *
 * One mechanism for everything a person reads in the panel: typed dictionaries
 * (`messages-en.ts` defines the keys, `messages-sv.ts` must have every one of them). Chrome's
 * `_locales` only hold the manifest's strings, because `browser.i18n` cannot be driven in
 * unit tests and cannot fill plural forms. The language is decided once at the entry point
 * (`resolveLanguage(browser.i18n.getUILanguage())`) and passed down.
 */
import { en, type MessageKey, type Messages } from './messages-en'
import { sv } from './messages-sv'

export type { MessageKey, Messages }
export type Language = 'en' | 'sv'

export const LANGUAGES: readonly Language[] = ['en', 'sv']
export const dictionaries: { readonly [L in Language]: Messages } = { en, sv }

export type MessageParams = Readonly<Record<string, string | number>>
export type Translate = (key: MessageKey, params?: MessageParams) => string

/**
 * Maps a BCP 47 tag (`sv`, `sv-SE`, `en-GB`) to a language of the panel. Anything that is
 * not Swedish falls back to English, the language of the manifest's default locale.
 */
export const resolveLanguage = (...tags: ReadonlyArray<string | undefined>): Language => {
  const tag = tags.find((candidate) => candidate !== undefined && candidate !== '')
  if (tag === undefined) return 'en'
  return tag.toLowerCase().split(/[-_]/)[0] === 'sv' ? 'sv' : 'en'
}

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key)

const fill = (template: string, params: MessageParams | undefined): string =>
  params === undefined
    ? template
    : template.replace(/\{(\w+)\}/g, (whole, name: string) =>
        Object.hasOwn(params, name) ? String(params[name]) : whole,
      )

export const createTranslator = (language: Language): Translate => {
  const messages = dictionaries[language]
  return (key, params) => fill(messages[key], params)
}

/** A date as people of `language` write it in minutes ("27 feb. 2023" / "27 Feb 2023"). */
export const formatDate = (language: Language, isoDate: string): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate)
  if (match === null) return isoDate
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date)
}

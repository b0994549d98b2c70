import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { createTranslator, type Language, type Translate } from './i18n'

export interface I18n {
  readonly language: Language
  readonly t: Translate
}

export const createI18n = (language: Language): I18n => ({ language, t: createTranslator(language) })

// The default exists only so a component rendered alone in a test has strings; the panel
// always provides the language chosen at the entry point.
export const I18nContext = createContext<I18n>(createI18n('en'))

export const useI18n = (): I18n => useContext(I18nContext)

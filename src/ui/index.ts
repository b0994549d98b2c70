export { App, type AppProps } from './app'
export { createI18n, I18nContext, useI18n, type I18n } from './i18n-context'
export { createTranslator, formatDate, resolveLanguage, type Language, type MessageKey, type Translate } from './i18n'
export type {
  MeetingSession,
  MeetingSummary,
  MountedEditor,
  PanelServices,
  PanelStatus,
  PresencePeer,
  Profile,
  SpaceSession,
} from './panel-services'
export { pickColor, PRESENCE_COLORS } from './colors'
export { createStore, type ReadableStore, type WritableStore } from './store'
export type { ToolbarButtonView, ToolbarView } from '../session'

import type { ComponentChildren } from 'preact'
import { useI18n } from './i18n-context'

/** The way back to the meeting list on top of a screen, with whatever else belongs beside it. */
export const BackNav = ({ onBack, children }: { onBack(): void; children?: ComponentChildren }) => {
  const { t } = useI18n()
  return (
    <nav class="meeting-nav" aria-label={t('app.nav')}>
      <button type="button" class="link" onClick={onBack}>
        <span aria-hidden="true">← </span>
        {t('meeting.back')}
      </button>
      {children}
    </nav>
  )
}

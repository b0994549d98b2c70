import { useI18n } from './i18n-context'
import type { PanelStatus } from './panel-services'
import { isAlarming, statusText } from './status-text'
import { useStore, type ReadableStore } from './store'

/**
 * Always visible, and announced politely: a screen reader hears "All changes saved on the
 * server" once the server has them, without the focus moving.
 */
export const StatusLine = ({ status }: { status: ReadableStore<PanelStatus> }) => {
  const { t } = useI18n()
  const current = useStore(status)
  return (
    <p
      class={`status-line status-${current.kind}${isAlarming(current) ? ' alarming' : ''}`}
      role="status"
      aria-live="polite"
      data-status={current.kind}
    >
      <span class="status-dot" aria-hidden="true" />
      {statusText(t, current)}
    </p>
  )
}

import type { ReplicationProgress } from '../session'
import { useI18n } from './i18n-context'
import { createStore, useStore, type ReadableStore } from './store'

const NOT_FULL = createStore<number | null>(null)

/**
 * The background fetch of the space's meetings (SPEC R2) while it runs: "Fetching 12 of 40
 * meetings". Nothing while idle.
 */
export const ReplicationStatus = ({ progress, nearlyFull }: { progress: ReadableStore<ReplicationProgress | null>; nearlyFull?: ReadableStore<number | null> }) => {
  const { t } = useI18n()
  const value = useStore(progress)
  const full = useStore(nearlyFull ?? NOT_FULL)
  if (full !== null) {
    return (
      <p class="hint replication-status" role="alert">
        {t('replication.nearlyFull', { percent: String(full) })}
      </p>
    )
  }
  if (value === null) return null
  return (
    <p class="hint replication-status" role="status">
      {value.total === 1 ? t('replication.progressOne') : t('replication.progress', { done: String(value.done), total: String(value.total) })}
      {value.failed > 0 && ` ${t('replication.failed', { count: String(value.failed) })}`}
    </p>
  )
}

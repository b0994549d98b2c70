import type { Translate } from './i18n'
import type { PanelStatus } from './panel-services'

/** What the status line says for each state. */
export const statusText = (t: Translate, status: PanelStatus): string => {
  switch (status.kind) {
    case 'local':
      return t('status.local')
    case 'offline':
      return status.unsaved === 0
        ? t('status.offline')
        : t(status.unsaved === 1 ? 'status.offlineUnsavedOne' : 'status.offlineUnsavedMany', { count: status.unsaved })
    case 'connecting':
      return status.unsaved === 0
        ? t('status.connecting')
        : t(status.unsaved === 1 ? 'status.connectingUnsavedOne' : 'status.connectingUnsavedMany', { count: status.unsaved })
    case 'syncing':
      return t('status.syncing')
    case 'unsaved':
      return status.count === 1 ? t('status.unsavedOne') : t('status.unsavedMany', { count: status.count })
    case 'saved':
      return t('status.saved')
    case 'auth-failed':
      return t('status.authFailed')
    case 'error':
      return status.unsaved === 0
        ? t('status.error')
        : t(status.unsaved === 1 ? 'status.errorUnsavedOne' : 'status.errorUnsavedMany', { count: status.unsaved })
    case 'meeting-locked':
      return t('status.meetingLocked')
    case 'storage-error':
      return status.code === 'quota'
        ? t('status.storageQuota')
        : status.code === 'corrupt'
          ? t('status.storageCorrupt')
          : t('status.storageUnavailable')
    default: {
      const unhandled: never = status
      throw new Error(`no text for status ${JSON.stringify(unhandled)}`)
    }
  }
}

/** States that need the person to do something; shown with more weight. */
export const isAlarming = (status: PanelStatus): boolean =>
  status.kind === 'auth-failed' || status.kind === 'storage-error' || status.kind === 'meeting-locked'

import { callTitle, recogniseCall, type CallAddress } from '../call'
import { useI18n } from './i18n-context'
import { useStore, type ReadableStore } from './store'

export interface CallOfferProps {
  activeTab: ReadableStore<string | null>
  onOpen(call: CallAddress): void
}

/** "Minutes for this call", while the active tab is a video call the panel recognises. */
export const CallOffer = ({ activeTab, onOpen }: CallOfferProps) => {
  const { t } = useI18n()
  const call = recogniseCall(useStore(activeTab))
  if (call === null) return null
  return (
    <section class="call-offer" aria-label={t('call.open')} data-call-key={call.key}>
      <p>{t('call.offer', { call: callTitle(call) })}</p>
      <button type="button" class="primary call-open" onClick={() => onOpen(call)}>
        {t('call.open')}
      </button>
      <p class="hint">{t('call.hint')}</p>
    </section>
  )
}

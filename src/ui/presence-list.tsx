import { useId } from 'preact/hooks'
import { useI18n } from './i18n-context'
import type { PresencePeer } from './panel-services'
import { useStore, type ReadableStore } from './store'

/** Who has this meeting open: by name, with the colour only as a second cue. */
export const PresenceList = ({ presence }: { presence: ReadableStore<readonly PresencePeer[]> }) => {
  const { t } = useI18n()
  const id = useId()
  const peers = useStore(presence)
  const others = peers.filter((peer) => !peer.self)
  return (
    <section class="presence" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} class="inline-heading">
        {t('presence.heading')}
      </h2>
      <ul class="presence-list">
        {peers.map((peer) => (
          <li key={peer.clientId} data-client-id={peer.clientId} class={peer.verified ? 'verified' : undefined} title={peer.verified ? t('presence.verified') : undefined}>
            <span class="swatch" style={{ backgroundColor: peer.color }} aria-hidden="true" />
            {peer.self ? t('presence.you', { name: peer.name }) : peer.name}
            {peer.verified && <span class="visually-hidden"> ({t('presence.verified')})</span>}
          </li>
        ))}
      </ul>
      {others.length === 0 && <p class="hint">{t('presence.alone')}</p>}
    </section>
  )
}

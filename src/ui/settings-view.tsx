import { useId, useState } from 'preact/hooks'
import { useI18n } from './i18n-context'
import { MembersSection } from './members-section'
import type { MemberStatus, Profile, SpaceSession } from './panel-services'
import { createStore, useStore } from './store'

const SHARED = createStore<MemberStatus>({ kind: 'shared' })

export interface SettingsViewProps {
  profile: Profile
  /** The open space: who this panel is in it, and the owner API. Absent before it is open. */
  space?: SpaceSession | null
  onSave(profile: Profile): void
  onChangeSpace(): void
  onClose(): void
}

/** Name, colour, and which space the panel is in. The language follows the browser. */
export const SettingsView = ({ profile, space = null, onSave, onChangeSpace, onClose }: SettingsViewProps) => {
  const { t } = useI18n()
  const member = useStore(space?.member ?? SHARED)
  const api = space?.members ?? null
  const id = useId()
  const [name, setName] = useState(profile.displayName)
  const [color, setColor] = useState(profile.color)
  const [nameMissing, setNameMissing] = useState(false)

  const save = (event: Event) => {
    event.preventDefault()
    const displayName = name.trim()
    setNameMissing(displayName === '')
    if (displayName !== '') onSave({ ...profile, displayName, color })
  }

  return (
    <main class="screen settings" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>{t('settings.heading')}</h1>
      <form onSubmit={save} noValidate>
        <div class="field">
          <label for={`${id}-name`}>{t('join.nameLabel')}</label>
          <input
            id={`${id}-name`}
            type="text"
            autocomplete="name"
            value={name}
            aria-invalid={nameMissing}
            aria-describedby={nameMissing ? `${id}-name-error` : undefined}
            onInput={(e) => setName(e.currentTarget.value)}
          />
          {nameMissing && (
            <p class="error" id={`${id}-name-error`} role="alert">
              {t('join.error.nameRequired')}
            </p>
          )}
        </div>
        <div class="field field-inline">
          <label for={`${id}-color`}>{t('join.colourLabel')}</label>
          <input id={`${id}-color`} type="color" value={color} onInput={(e) => setColor(e.currentTarget.value)} />
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t('common.save')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
      <section aria-labelledby={`${id}-space`}>
        <h2 id={`${id}-space`}>{t('settings.space')}</h2>
        {profile.space === null ? (
          <p>{t('settings.noSpace')}</p>
        ) : (
          <dl class="space-facts">
            <dt>{t('settings.space')}</dt>
            <dd>{profile.space.space}</dd>
            <dt>{t('settings.server')}</dt>
            <dd>{profile.space.server}</dd>
            {member.kind === 'granted' && (
              <>
                <dt>{t('settings.member')}</dt>
                <dd class="member-self">
                  {member.member.name} · {t(`members.roleName.${member.member.role}`)}
                </dd>
              </>
            )}
          </dl>
        )}
        {profile.space !== null && member.kind !== 'granted' && (
          <p class={member.kind === 'revoked' ? 'error' : 'hint'} role={member.kind === 'revoked' ? 'alert' : undefined}>
            {t(
              member.kind === 'shared'
                ? 'settings.sharedCode'
                : member.kind === 'pending'
                  ? 'settings.memberPending'
                  : member.kind === 'revoked'
                    ? 'settings.memberRevoked'
                    : 'settings.memberUnreachable',
            )}
          </p>
        )}
        <button type="button" onClick={onChangeSpace}>
          {t('settings.changeSpace')}
        </button>
      </section>
      {api !== null && member.kind === 'granted' && member.member.role === 'owner' && <MembersSection api={api} self={member.member} />}
      <p class="hint settings-language">{t('settings.language')}</p>
    </main>
  )
}

import { useId, useState } from 'preact/hooks'
import { decodeAnyJoinCode } from '../join-code'
import type { JoinedSpace } from './panel-services'
import { useI18n } from './i18n-context'
import type { MessageKey } from './i18n'
import { joinErrorMessage } from './join-errors'

export interface JoinScreenProps {
  initialName: string
  initialColor: string
  /** `space` is `null` when the person chose to continue without a server. */
  onDone(choice: { displayName: string; color: string; space: JoinedSpace | null }): void
  onCancel?: () => void
}

/** Enter a space: paste a join code, say who you are. */
export const JoinScreen = ({ initialName, initialColor, onDone, onCancel }: JoinScreenProps) => {
  const { t } = useI18n()
  const id = useId()
  const [code, setCode] = useState('')
  const [name, setName] = useState(initialName)
  const [color, setColor] = useState(initialColor)
  const [codeError, setCodeError] = useState<MessageKey | null>(null)
  const [nameError, setNameError] = useState<MessageKey | null>(null)

  const checkName = (): string | null => {
    const trimmed = name.trim()
    setNameError(trimmed === '' ? 'join.error.nameRequired' : null)
    return trimmed === '' ? null : trimmed
  }

  const join = (event: Event) => {
    event.preventDefault()
    const decoded = decodeAnyJoinCode(code)
    setCodeError(decoded.ok ? null : joinErrorMessage(decoded.error))
    const displayName = checkName()
    if (!decoded.ok || displayName === null) return
    const joined = decoded.value
    // A personal code carries a member key, never a token: the session fetches access with it.
    const space: JoinedSpace =
      joined.kind === 'member'
        ? { server: joined.server, space: joined.space, token: '', key: joined.key }
        : { server: joined.server, space: joined.space, token: joined.token }
    onDone({ displayName, color, space })
  }

  const continueLocally = () => {
    setCodeError(null)
    const displayName = checkName()
    if (displayName !== null) onDone({ displayName, color, space: null })
  }

  return (
    <main class="screen join-screen" aria-labelledby={`${id}-heading`}>
      <h1 id={`${id}-heading`}>{t('join.heading')}</h1>
      <p>{t('join.intro')}</p>
      <form onSubmit={join} noValidate>
        <div class="field">
          <label for={`${id}-code`}>{t('join.codeLabel')}</label>
          <textarea
            id={`${id}-code`}
            name="join-code"
            rows={3}
            spellcheck={false}
            autocomplete="off"
            value={code}
            aria-invalid={codeError !== null}
            aria-describedby={`${id}-code-hint${codeError === null ? '' : ` ${id}-code-error`}`}
            onInput={(event) => setCode(event.currentTarget.value)}
          />
          <p class="hint" id={`${id}-code-hint`}>
            {t('join.codeHint')}
          </p>
          {codeError !== null && (
            <p class="error" id={`${id}-code-error`} role="alert">
              {t(codeError)}
            </p>
          )}
        </div>
        <div class="field">
          <label for={`${id}-name`}>{t('join.nameLabel')}</label>
          <input
            id={`${id}-name`}
            name="display-name"
            type="text"
            autocomplete="name"
            value={name}
            aria-invalid={nameError !== null}
            aria-describedby={nameError === null ? undefined : `${id}-name-error`}
            onInput={(event) => setName(event.currentTarget.value)}
          />
          {nameError !== null && (
            <p class="error" id={`${id}-name-error`} role="alert">
              {t(nameError)}
            </p>
          )}
        </div>
        <div class="field field-inline">
          <label for={`${id}-color`}>{t('join.colourLabel')}</label>
          <input
            id={`${id}-color`}
            name="color"
            type="color"
            value={color}
            onInput={(event) => setColor(event.currentTarget.value)}
          />
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {t('join.submit')}
          </button>
          {onCancel !== undefined && (
            <button type="button" onClick={onCancel}>
              {t('common.cancel')}
            </button>
          )}
        </div>
      </form>
      <section class="local-only" aria-labelledby={`${id}-local`}>
        <p id={`${id}-local`}>{t('join.localOnlyHint')}</p>
        <button type="button" onClick={continueLocally}>
          {t('join.localOnly')}
        </button>
      </section>
    </main>
  )
}

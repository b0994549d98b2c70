import { useEffect, useId, useState } from 'preact/hooks'
import type { MemberInfo, MemberListEntry, Role } from '../protocol'
import type { MembersApi, MembersFailure } from './panel-services'
import { useI18n } from './i18n-context'
import type { MessageKey } from './i18n'

export interface MembersSectionProps {
  api: MembersApi
  /** This panel's own member (an owner: the section is shown to owners only). */
  self: MemberInfo
}

const ROLES: readonly Role[] = ['editor', 'viewer', 'owner']

const failureMessage = (error: MembersFailure): MessageKey =>
  error === 'unreachable'
    ? 'members.error.unreachable'
    : error === 'last-owner'
      ? 'members.error.lastOwner'
      : error === 'forbidden' || error === 'unauthorized'
        ? 'members.error.notOwner'
        : 'members.error.other'

/**
 * The space's members, for an owner (SPEC I5): who they are and their role, an invitation
 * that yields a personal join code to hand over, and revoking one (which closes their open
 * panels at once). Revoking asks once more on the same row before it acts.
 */
export const MembersSection = ({ api, self }: MembersSectionProps) => {
  const { t } = useI18n()
  const id = useId()
  const [members, setMembers] = useState<MemberListEntry[] | null>(null)
  const [problem, setProblem] = useState<MessageKey | null>(null)
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('editor')
  const [nameMissing, setNameMissing] = useState(false)
  const [invited, setInvited] = useState<{ id: string; name: string; joinCode: string } | null>(null)
  const [confirming, setConfirming] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)
  const [busy, setBusy] = useState(false)

  const refresh = async (): Promise<void> => {
    const result = await api.list()
    if (result.ok) {
      setMembers(result.value)
      setProblem(null)
    } else setProblem(failureMessage(result.error))
  }
  useEffect(() => {
    void refresh()
  }, [api])

  const invite = async (event: Event): Promise<void> => {
    event.preventDefault()
    const trimmed = name.trim()
    setNameMissing(trimmed === '')
    if (trimmed === '' || busy) return
    setBusy(true)
    const result = await api.invite(trimmed, role)
    setBusy(false)
    if (!result.ok) return setProblem(failureMessage(result.error))
    setInvited({ id: result.value.member.id, name: result.value.member.name, joinCode: result.value.joinCode })
    setCopied(false)
    setName('')
    await refresh()
  }

  const revoke = async (member: MemberListEntry): Promise<void> => {
    setConfirming(null)
    const result = await api.revoke(member.id)
    if (!result.ok) return setProblem(failureMessage(result.error))
    // A code of someone just revoked lets no one in: it no longer shows as one to hand over.
    setInvited((shown) => (shown?.id === member.id ? null : shown))
    await refresh()
  }

  const copy = async (code: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(code)
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }

  const active = (members ?? []).filter((member) => member.revokedAt === null)
  const revoked = (members ?? []).filter((member) => member.revokedAt !== null)

  return (
    <section class="members" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('members.heading')}</h2>
      <p class="hint">{t('members.intro')}</p>
      {problem !== null && <p role="alert" class="error">{t(problem)}</p>}
      {members === null && problem === null && <p>{t('members.loading')}</p>}
      {members !== null && (
        <ul class="member-list">
          {active.map((member) => (
            <li key={member.id} class="member-entry" data-member-id={member.id}>
              <span class="member-name">{member.name}</span>
              <span class="member-role">{t(`members.roleName.${member.role}` as MessageKey)}</span>
              {member.id === self.id ? (
                <span class="member-role">({t('members.you')})</span>
              ) : confirming === member.id ? (
                <span class="member-confirm">
                  <button type="button" class="danger" name="confirm-revoke" onClick={() => void revoke(member)}>
                    {t('members.revokeConfirm', { name: member.name })}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    {t('common.cancel')}
                  </button>
                </span>
              ) : (
                <button type="button" name="revoke" aria-label={t('members.revokeLabel', { name: member.name })} onClick={() => setConfirming(member.id)}>
                  {t('members.revoke')}
                </button>
              )}
            </li>
          ))}
          {revoked.map((member) => (
            <li key={member.id} class="member-entry revoked" data-member-id={member.id}>
              <span class="member-name">{member.name}</span>
              <span class="member-role">{t('members.revoked')}</span>
            </li>
          ))}
        </ul>
      )}
      <form class="member-invite" onSubmit={(event) => void invite(event)} noValidate>
        <h3>{t('members.inviteHeading')}</h3>
        <div class="field">
          <label for={`${id}-name`}>{t('members.nameLabel')}</label>
          <input
            id={`${id}-name`}
            name="member-name"
            type="text"
            autocomplete="off"
            value={name}
            aria-invalid={nameMissing}
            onInput={(event) => setName(event.currentTarget.value)}
          />
          {nameMissing && (
            <p class="error" role="alert">
              {t('members.error.nameRequired')}
            </p>
          )}
        </div>
        <div class="field">
          <label for={`${id}-role`}>{t('members.roleLabel')}</label>
          <select id={`${id}-role`} name="member-role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {t(`members.role.${option}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {t('members.invite')}
        </button>
      </form>
      {invited !== null && (
        <div class="member-invited" role="status">
          <label for={`${id}-code`}>{t('members.codeFor', { name: invited.name })}</label>
          <textarea id={`${id}-code`} name="invite-code" readOnly rows={3} value={invited.joinCode} onFocus={(event) => event.currentTarget.select()} />
          <p class="hint">{t('members.codeHint')}</p>
          <button type="button" onClick={() => void copy(invited.joinCode)}>
            {copied ? t('members.copied') : t('members.copy')}
          </button>
        </div>
      )}
    </section>
  )
}

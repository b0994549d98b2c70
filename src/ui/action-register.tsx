import { useEffect, useId, useState } from 'preact/hooks'
import {
  filterRegister,
  FOLLOW_UP_STATUSES,
  registerResponsibles,
  registerSeries,
  statusesFor,
  type FollowUpStatus,
  type RegisterEntry,
  type RegisterFilter,
} from '../series'
import { normaliseIsoDate } from '../doc/dates'
import { FOLLOW_UP_LABELS } from './follow-up-section'
import { formatDate } from './i18n'
import { BackNav } from './back-nav'
import { useI18n } from './i18n-context'

export interface ActionRegisterProps {
  /** Reads the register from the meetings stored in this browser. */
  load(): Promise<RegisterEntry[]>
  /** Writes a check into the entry's target meeting; false when it did not apply. */
  check(entry: RegisterEntry, status: FollowUpStatus): Promise<boolean>
  onOpenMeeting(id: string): void
  onBack(): void
}

const RegisterRow = ({ entry, onCheck, onOpenMeeting }: { entry: RegisterEntry; onCheck(status: FollowUpStatus): void; onOpenMeeting(id: string): void }) => {
  const { t, language } = useI18n()
  const id = useId()
  return (
    <li class={`register-entry status-${entry.status}${entry.overdue ? ' overdue' : ''}`} data-action-id={entry.actionId}>
      <p class="register-text">
        {entry.text}
        {entry.overdue && <strong class="overdue-mark"> · {t('register.overdue')}</strong>}
      </p>
      <p class="register-meta">
        {entry.responsible !== '' && <span>{t('followUp.responsible', { who: entry.responsible })} · </span>}
        {entry.due !== '' && <span>{t('followUp.due', { date: formatDate(language, entry.due) })} · </span>}
        {entry.seriesLabel !== '' && <span>{entry.seriesLabel} · </span>}
        <button type="button" class="link" onClick={() => onOpenMeeting(entry.fromMeetingId)}>
          {t('followUp.from', {
            meeting: entry.fromTitle === '' ? t('meetings.untitled') : entry.fromTitle,
            date: entry.fromDate === '' ? t('meetings.noDate') : formatDate(language, entry.fromDate),
          })}
        </button>
      </p>
      {entry.target === null ? (
        <p class="hint">
          {t(FOLLOW_UP_LABELS[entry.status])} · {t('register.locked')}
        </p>
      ) : (
        <div class="field">
          <label for={`${id}-status`}>{t('register.checkLabel', { text: entry.text })}</label>
          <select
            id={`${id}-status`}
            name="register-status"
            value={entry.status}
            onChange={(event) => onCheck(event.currentTarget.value as FollowUpStatus)}
          >
            {/* The current status shows even where this target cannot set it (in progress, on a written action). */}
            {[...new Set([entry.status, ...statusesFor(entry.target)])].map((status) => (
              <option key={status} value={status}>
                {t(FOLLOW_UP_LABELS[status])}
              </option>
            ))}
          </select>
        </div>
      )}
    </li>
  )
}

/**
 * Every action the meetings in this browser know, filterable by responsible, status, series
 * and due date, overdue ones marked, each checkable from here.
 */
export const ActionRegister = ({ load, check, onOpenMeeting, onBack }: ActionRegisterProps) => {
  const { t } = useI18n()
  const id = useId()
  const [entries, setEntries] = useState<RegisterEntry[] | null>(null)
  const [filter, setFilter] = useState<RegisterFilter>({})
  const [dueText, setDueText] = useState('')
  const [failed, setFailed] = useState(false)
  const [generation, setGeneration] = useState(0)

  useEffect(() => {
    let live = true
    void load().then((loaded) => {
      if (live) setEntries(loaded)
    })
    return () => {
      live = false
    }
  }, [load, generation])

  const onCheck = (entry: RegisterEntry, status: FollowUpStatus) => {
    setFailed(false)
    void check(entry, status).then(
      (written) => {
        if (!written) setFailed(true)
        setGeneration((n) => n + 1)
      },
      () => setFailed(true),
    )
  }

  const set = (patch: RegisterFilter) => setFilter((current) => ({ ...current, ...patch }))
  const all = entries ?? []
  const shown = filterRegister(all, filter)
  return (
    <main class="screen action-register" aria-labelledby={`${id}-heading`}>
      <BackNav onBack={onBack} />
      <h1 id={`${id}-heading`}>{t('register.heading')}</h1>
      <div class="field-grid register-filters">
        <div class="field">
          <label for={`${id}-responsible`}>{t('register.filterResponsible')}</label>
          <select id={`${id}-responsible`} name="filter-responsible" value={filter.responsible ?? ''} onChange={(e) => set({ responsible: e.currentTarget.value })}>
            <option value="">{t('register.any')}</option>
            {registerResponsibles(all).map((who) => (
              <option key={who} value={who}>
                {who}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-status`}>{t('register.filterStatus')}</label>
          <select id={`${id}-status`} name="filter-status" value={filter.status ?? ''} onChange={(e) => set({ status: e.currentTarget.value as RegisterFilter['status'] })}>
            <option value="">{t('register.any')}</option>
            <option value="open">{t('register.statusOpen')}</option>
            <option value="closed">{t('register.statusClosed')}</option>
            {FOLLOW_UP_STATUSES.filter((status) => status !== 'open').map((status) => (
              <option key={status} value={status}>
                {t(FOLLOW_UP_LABELS[status])}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-series`}>{t('register.filterSeries')}</label>
          <select id={`${id}-series`} name="filter-series" value={filter.series ?? ''} onChange={(e) => set({ series: e.currentTarget.value })}>
            <option value="">{t('register.any')}</option>
            {registerSeries(all).map(({ key, label }) => (
              <option key={key} value={key}>
                {label === '' ? t('register.noSeries') : label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-due`}>{t('register.filterDueBy')}</label>
          {/* ISO text like every date of the minutes, not the browser's picker (it follows the OS locale). */}
          <input
            id={`${id}-due`}
            type="text"
            inputMode="numeric"
            name="filter-due"
            placeholder={t('meta.datePlaceholder')}
            value={dueText}
            aria-invalid={dueText.trim() !== '' && normaliseIsoDate(dueText) === null ? 'true' : undefined}
            onInput={(e) => {
              const typed = e.currentTarget.value
              setDueText(typed)
              const due = normaliseIsoDate(typed)
              if (typed.trim() === '') set({ dueBy: '' })
              else if (due !== null) set({ dueBy: due })
            }}
          />
        </div>
        <div class="field field-check wide">
          <input id={`${id}-overdue`} type="checkbox" name="filter-overdue" checked={filter.overdueOnly === true} onChange={(e) => set({ overdueOnly: e.currentTarget.checked })} />
          <label for={`${id}-overdue`}>{t('register.overdueOnly')}</label>
        </div>
      </div>
      {failed && <p role="alert">{t('register.checkFailed')}</p>}
      {entries === null ? (
        <p class="hint">{t('register.loading')}</p>
      ) : all.length === 0 ? (
        <p class="hint">{t('register.empty')}</p>
      ) : (
        <>
          <p class="hint register-count">{t('register.count', { shown: shown.length, total: all.length })}</p>
          {shown.length === 0 ? (
            <p class="hint">{t('register.noMatch')}</p>
          ) : (
            <ul class="register-list">
              {shown.map((entry) => (
                <RegisterRow key={entry.actionId} entry={entry} onCheck={(status) => onCheck(entry, status)} onOpenMeeting={onOpenMeeting} />
              ))}
            </ul>
          )}
        </>
      )}
    </main>
  )
}

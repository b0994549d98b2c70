import type * as Y from 'yjs'
import { useId, useState } from 'preact/hooks'
import { LockShape } from '../protocol'
import {
  checkInFollowUp,
  FOLLOW_UP_STATUSES,
  followUpRollup,
  isLocked,
  observeFollowUp,
  readFollowUp,
  type FollowUpEntry,
  type FollowUpStatus,
} from '../series'
import { formatDate } from './i18n'
import type { MessageKey } from './i18n'
import { useI18n } from './i18n-context'
import { useDocValue } from './use-doc-value'

export const FOLLOW_UP_LABELS: { readonly [S in FollowUpStatus]: MessageKey } = {
  open: 'followUp.status.open',
  done: 'followUp.status.done',
  'in-progress': 'followUp.status.in-progress',
  dropped: 'followUp.status.dropped',
  carried: 'followUp.status.carried',
}

const observeLock = (doc: Y.Doc, listener: () => void): (() => void) => {
  const map = doc.getMap(LockShape.root)
  const handler = (): void => listener()
  map.observe(handler)
  return () => map.unobserve(handler)
}

const FollowUpItem = ({ doc, entry, selfName, locked }: { doc: Y.Doc; entry: FollowUpEntry; selfName: string; locked: boolean }) => {
  const { t, language } = useI18n()
  const id = useId()
  const from = t('followUp.from', {
    meeting: entry.fromTitle === '' ? t('meetings.untitled') : entry.fromTitle,
    date: entry.fromDate === '' ? t('meetings.noDate') : formatDate(language, entry.fromDate),
  })
  return (
    <li class={`follow-up-entry status-${entry.status}`} data-action-id={entry.actionId}>
      <p class="follow-up-text">{entry.text}</p>
      <p class="follow-up-meta">
        {entry.responsible !== '' && <span>{t('followUp.responsible', { who: entry.responsible })} · </span>}
        {entry.due !== '' && <span>{t('followUp.due', { date: formatDate(language, entry.due) })} · </span>}
        <span>{from}</span>
      </p>
      <div class="field">
        <label for={`${id}-status`}>{t('followUp.statusLabel', { text: entry.text })}</label>
        <select
          id={`${id}-status`}
          name="follow-up-status"
          value={entry.status}
          disabled={locked}
          onChange={(event) =>
            checkInFollowUp(doc, entry.actionId, event.currentTarget.value as FollowUpStatus, {
              name: selfName,
              at: new Date().toISOString(),
            })
          }
        >
          {FOLLOW_UP_STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(FOLLOW_UP_LABELS[status])}
            </option>
          ))}
        </select>
      </div>
      {entry.checkedBy !== '' && (
        <p class="hint follow-up-checked">
          {t('followUp.checkedBy', { name: entry.checkedBy, time: entry.checkedAt.slice(0, 16).replace('T', ' ') })}
        </p>
      )}
    </li>
  )
}

/**
 * The follow-up of the series' open actions, as the minutes write it ("Uppföljning
 * tilldelade beslut"): the roll-up sentence and one entry an action, each checked in by
 * whoever is in the meeting. Nothing when there is nothing to follow up.
 */
export const FollowUpSection = ({ doc, selfName }: { doc: Y.Doc; selfName: string }) => {
  const { t, language } = useI18n()
  const id = useId()
  const entries = useDocValue(doc, readFollowUp, observeFollowUp)
  const locked = useDocValue(doc, isLocked, observeLock)
  if (entries.length === 0) return null
  return (
    <section class="follow-up" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('followUp.heading')}</h2>
      <p class="follow-up-rollup">{followUpRollup(entries.map((entry) => entry.status), language)}</p>
      {locked && <p class="hint">{t('followUp.locked')}</p>}
      <ul class="follow-up-list">
        {entries.map((entry) => (
          <FollowUpItem key={entry.actionId} doc={doc} entry={entry} selfName={selfName} locked={locked} />
        ))}
      </ul>
    </section>
  )
}

/** "Next meeting": the series' next meeting, created once however many press it (`series-actions.ts`). */
export const NextMeetingButton = ({ onNext }: { onNext(): Promise<void> }) => {
  const { t } = useI18n()
  const [busy, setBusy] = useState(false)
  const [failed, setFailed] = useState(false)
  const next = () => {
    setBusy(true)
    setFailed(false)
    onNext().then(
      () => setBusy(false),
      (error: unknown) => {
        console.error('next meeting failed', error)
        setBusy(false)
        setFailed(true)
      },
    )
  }
  return (
    <>
      <button type="button" class="next-meeting" onClick={next} disabled={busy} title={t('series.nextHint')}>
        {t('series.next')}
      </button>
      {failed && <p role="alert">{t('series.nextFailed')}</p>}
    </>
  )
}

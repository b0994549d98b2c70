import type * as Y from 'yjs'
import { useEffect, useId, useMemo, useState } from 'preact/hooks'
import {
  approve,
  changesSinceAdjusted,
  findPersonByName,
  getAdjustment,
  getMeta,
  listPeople,
  lockIfDue,
  markDraft,
  markFinal,
  observeAdjustment,
  reopenLocally,
  type AdjustmentState,
  type SectionDiff,
} from '../doc'
import { useI18n } from './i18n-context'
import type { Language } from './i18n'
import type { PanelStatus } from './panel-services'
import { useStore, type ReadableStore } from './store'
import { useDocValue } from './use-doc-value'

const formatTime = (language: Language, iso: string): string => {
  const date = new Date(iso)
  if (iso === '' || Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

const observe = (doc: Y.Doc, listener: () => void): (() => void) => observeAdjustment(doc, listener)

/** The adjustment and the lock, read live: for the meeting view to disable its forms. */
export const useAdjustment = (doc: Y.Doc): AdjustmentState => useDocValue(doc, getAdjustment, observe)

/**
 * Shown at the top of a locked meeting, and when the server refused this panel's changes
 * because the meeting had been locked meanwhile (close 4423).
 */
export const LockBanner = ({ doc, status }: { doc: Y.Doc; status: ReadableStore<PanelStatus> }) => {
  const { t, language } = useI18n()
  const state = useAdjustment(doc)
  const current = useStore(status)
  if (!state.locked && current.kind !== 'meeting-locked') return null
  return (
    <div class="lock-banner" role="status" data-locked={state.locked ? 'true' : 'false'}>
      {state.locked && <p>{t('adjust.locked', { time: formatTime(language, state.lockedAt) })}</p>}
      {current.kind === 'meeting-locked' && <p role="alert">{t('status.meetingLocked')}</p>}
    </div>
  )
}

const ChangesView = ({ doc }: { doc: Y.Doc }) => {
  const { t } = useI18n()
  const id = useId()
  // Re-read on every change of the body, the header or the people.
  const [version, setVersion] = useState(0)
  useEffect(() => {
    const bump = (): void => setVersion((n) => n + 1)
    doc.on('afterTransaction', bump)
    return () => doc.off('afterTransaction', bump)
  }, [doc])
  const diff: SectionDiff[] | null = useMemo(
    () => changesSinceAdjusted(doc, { decision: t('editor.decisionLabel'), header: t('adjust.headerSection') }),
    [doc, version, t],
  )
  if (diff === null) return null
  return (
    <section class="changes-view" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('adjust.changesHeading')}</h3>
      {diff.length === 0 ? (
        <p class="hint">{t('adjust.noChanges')}</p>
      ) : (
        diff.map((section) => (
          <div class={`changed-section change-${section.change}`} key={section.id} data-section-id={section.id}>
            <h4>
              {section.title}
              {section.change !== 'changed' && (
                <span class="badge">
                  {' '}
                  {t(section.change === 'added' ? 'adjust.sectionAdded' : 'adjust.sectionRemoved')}
                </span>
              )}
            </h4>
            <ul class="diff-lines">
              {section.lines
                .filter((line) => line.kind !== 'same')
                .map((line, index) => (
                  <li key={index} class={`diff-${line.kind}`} data-kind={line.kind}>
                    <span class="visually-hidden">
                      {t(line.kind === 'added' ? 'adjust.lineAdded' : 'adjust.lineRemoved')}{' '}
                    </span>
                    <span aria-hidden="true">{line.kind === 'added' ? '+ ' : '− '}</span>
                    {line.text}
                  </li>
                ))}
            </ul>
          </div>
        ))
      )}
    </section>
  )
}

export interface AdjustmentPanelProps {
  doc: Y.Doc
  selfName: string
  /** Sends a reopen to the server (SPEC L3); absent for a meeting without a server. */
  reopen?: (reason: string, name?: string) => boolean
  now?: () => Date
}

/**
 * Adjusting the minutes: the secretary marks them final, each appointed adjuster approves in
 * their own panel (name and time recorded), the last approval locks the meeting. A locked
 * meeting is reopened by an editor with a reason; the panel then shows what changed since the
 * adjusted version.
 */
export const AdjustmentPanel = ({ doc, selfName, reopen, now = () => new Date() }: AdjustmentPanelProps) => {
  const { t, language } = useI18n()
  const id = useId()
  const state = useAdjustment(doc)
  const meta = useDocValue(doc, getMeta, observe)
  const [reopening, setReopening] = useState(false)
  const [reason, setReason] = useState('')
  const [reopenFailed, setReopenFailed] = useState(false)
  const [awaitingUnlock, setAwaitingUnlock] = useState(false)

  const self = findPersonByName(listPeople(doc), selfName)
  const selfIsSecretary = meta.secretary === '' || (self !== undefined && meta.secretary.trim().toLocaleLowerCase('sv') === self.name.trim().toLocaleLowerCase('sv'))
  const selfPending = self !== undefined && state.pending.some((person) => person.id === self.id)

  // Approvals that crossed each other: the adjuster whose approval came last writes the lock.
  useEffect(() => {
    if (self !== undefined && !state.locked) lockIfDue(doc, self.id, now())
  }, [doc, state, self?.id])

  // The reopening this panel asked for has arrived: the minutes are a draft again.
  useEffect(() => {
    if (awaitingUnlock && !state.locked) {
      setAwaitingUnlock(false)
      markDraft(doc)
    }
  }, [doc, state.locked, awaitingUnlock])

  const submitReopen = (event: Event) => {
    event.preventDefault()
    const why = reason.trim()
    if (reopen === undefined) {
      reopenLocally(doc, { by: selfName, reason: why, now: now() })
      markDraft(doc)
    } else if (!reopen(why, selfName)) {
      setReopenFailed(true)
      return
    } else {
      setAwaitingUnlock(true)
    }
    setReopenFailed(false)
    setReopening(false)
    setReason('')
  }

  const approvals = (
    <ul class="approvals">
      {state.approvals.map((approval) => (
        <li key={approval.personId} class="approved" data-person-id={approval.personId}>
          ✓ {t('adjust.approvedBy', { name: approval.name, time: formatTime(language, approval.at) })}
        </li>
      ))}
      {state.pending.map((person) => (
        <li key={person.id} class="pending" data-person-id={person.id}>
          {t('adjust.pending', { name: person.name })}
        </li>
      ))}
    </ul>
  )

  const body = (() => {
    if (state.locked) {
      return (
        <>
          <p class="locked-note">{t('adjust.locked', { time: formatTime(language, state.lockedAt) })}</p>
          {approvals}
          {reopening ? (
            <form class="reopen-form" onSubmit={submitReopen}>
              <label for={`${id}-reason`}>{t('adjust.reopenReason')}</label>
              <textarea id={`${id}-reason`} name="reopen-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
              <div class="row">
                <button type="submit">{t('adjust.reopenSubmit')}</button>
                <button type="button" class="link" onClick={() => setReopening(false)}>
                  {t('common.cancel')}
                </button>
              </div>
              {reopenFailed && <p role="alert">{t('adjust.reopenFailed')}</p>}
            </form>
          ) : (
            <button type="button" class="reopen" onClick={() => setReopening(true)}>
              {t('adjust.reopen')}
            </button>
          )}
        </>
      )
    }
    if (meta.status !== 'final') {
      return (
        <>
          <p class="hint">{t('adjust.draft')}</p>
          {state.adjusters.length === 0 && <p class="hint">{t('adjust.noAdjusters')}</p>}
          {selfIsSecretary ? (
            <button type="button" class="mark-final" onClick={() => markFinal(doc, { name: selfName, now: now() })}>
              {t('adjust.markFinal')}
            </button>
          ) : (
            <p class="hint">{t('adjust.onlySecretary', { name: meta.secretary })}</p>
          )}
        </>
      )
    }
    return (
      <>
        <p>{t('adjust.final', { name: state.finalBy || meta.secretary, time: formatTime(language, state.finalAt) })}</p>
        {state.adjusters.length === 0 && <p class="hint">{t('adjust.noAdjusters')}</p>}
        {approvals}
        {selfPending && self !== undefined && (
          <button type="button" class="approve" onClick={() => approve(doc, self.id, { name: self.name, now: now() })}>
            {t('adjust.approve', { name: self.name })}
          </button>
        )}
        {selfIsSecretary && (
          <button type="button" class="link back-to-draft" onClick={() => markDraft(doc)}>
            {t('adjust.backToDraft')}
          </button>
        )}
      </>
    )
  })()

  return (
    <section
      class="adjustment"
      aria-labelledby={`${id}-heading`}
      data-state={state.locked ? 'locked' : meta.status}
    >
      <h2 id={`${id}-heading`}>{t('adjust.heading')}</h2>
      {body}
      {state.reopenings.length > 0 && (
        <ul class="reopenings">
          {state.reopenings.map((record, index) => (
            <li key={index}>
              {t('adjust.reopened', {
                name: record.by || t('adjust.someone'),
                time: formatTime(language, record.at),
                reason: record.reason || '—',
              })}
            </li>
          ))}
        </ul>
      )}
      {!state.locked && state.hasAdjustedState && <ChangesView doc={doc} />}
    </section>
  )
}

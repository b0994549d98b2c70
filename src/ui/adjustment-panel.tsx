import type * as Y from 'yjs'
import { useEffect, useId, useMemo, useState } from 'preact/hooks'
import {
  approve,
  changesSinceAdjusted,
  contentHash,
  linkPersonToMember,
  observePeople,
  findPersonByName,
  findSelf,
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
import { MessageType, isAdjustmentRefusal, type AdjustmentRefusal, type AdjustmentRequest, type MemberInfo } from '../protocol'
import { useI18n } from './i18n-context'
import type { Language, MessageKey } from './i18n'
import type { AdjustmentRequests, PanelStatus } from './panel-services'
import { createStore, useStore, type ReadableStore } from './store'
import { useDocValue } from './use-doc-value'

const formatTime = (language: Language, iso: string): string => {
  const date = new Date(iso)
  if (iso === '' || Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}

const observe = (doc: Y.Doc, listener: () => void): (() => void) => observeAdjustment(doc, listener)
const observePeopleOnly = (doc: Y.Doc, listener: () => void): (() => void) => observePeople(doc, () => listener())

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
  /** Who the server says this panel is (a personal join code), or null (shared code, local). */
  selfMember?: MemberInfo | null
  /** Sends a reopen to the server (SPEC L3); absent for a meeting without a server. */
  reopen?: (reason: string, name?: string) => boolean
  /** The adjustment as requests to the server (SPEC J); absent for a meeting without a server. */
  requests?: AdjustmentRequests
  now?: () => Date
}

const NO_QUEUE = createStore<readonly AdjustmentRequest[]>([])
const NO_REFUSAL = createStore<string | null>(null)

const REFUSAL_MESSAGES: Record<AdjustmentRefusal, MessageKey> = {
  'not-a-member': 'adjust.refused.notAMember',
  viewer: 'adjust.refused.viewer',
  'not-secretary': 'adjust.refused.notSecretary',
  'not-final': 'adjust.refused.notFinal',
  'not-an-adjuster': 'adjust.refused.notAnAdjuster',
  'not-linked': 'adjust.refused.notLinked',
  stale: 'adjust.refused.stale',
  locked: 'adjust.refused.locked',
  'already-approved': 'adjust.refused.alreadyApproved',
}

/** The content hash, read again a moment after the minutes change (it walks the whole document). */
const useContentHash = (doc: Y.Doc, wanted: boolean): string | null => {
  const [hash, setHash] = useState<string | null>(() => (wanted ? contentHash(doc) : null))
  useEffect(() => {
    if (!wanted) return
    setHash(contentHash(doc))
    let timer: ReturnType<typeof setTimeout> | null = null
    const onChange = (): void => {
      timer ??= setTimeout(() => {
        timer = null
        setHash(contentHash(doc))
      }, 300)
    }
    doc.on('afterTransaction', onChange)
    return () => {
      doc.off('afterTransaction', onChange)
      if (timer !== null) clearTimeout(timer)
    }
  }, [doc, wanted])
  return wanted ? hash : null
}

/**
 * Adjusting the minutes: the secretary marks them final, each appointed adjuster approves in
 * their own panel (name and time recorded), the last approval locks the meeting. A locked
 * meeting is reopened by an editor with a reason; the panel then shows what changed since the
 * adjusted version.
 *
 * With a server (`requests`), each act is a request: the server checks the member and writes
 * the record (SPEC J), so the panel writes nothing of it; offline, the request waits and the
 * panel says so. Without a server the panel writes the record itself, marked unverified.
 */
export const AdjustmentPanel = ({ doc, selfName, selfMember = null, reopen, requests, now = () => new Date() }: AdjustmentPanelProps) => {
  const { t, language } = useI18n()
  const id = useId()
  const state = useAdjustment(doc)
  const meta = useDocValue(doc, getMeta, observe)
  const people = useDocValue(doc, listPeople, observePeopleOnly)
  const queued = useStore(requests?.queued ?? NO_QUEUE)
  const refused = useStore(requests?.refused ?? NO_REFUSAL)
  const [reopening, setReopening] = useState(false)
  const [reason, setReason] = useState('')
  const [reopenFailed, setReopenFailed] = useState(false)
  const [awaitingUnlock, setAwaitingUnlock] = useState(false)
  const onServer = requests !== undefined
  const hash = useContentHash(doc, onServer && state.final && !state.locked)

  // The person this panel is: linked by member id (SPEC J2), else by name until linked.
  const self =
    findSelf(people, { memberId: selfMember?.id ?? '', name: selfMember?.name ?? selfName }) ??
    (selfMember !== null ? findPersonByName(people, selfName) : undefined)
  const secretaryByName = self !== undefined && meta.secretary.trim().toLocaleLowerCase('sv') === self.name.trim().toLocaleLowerCase('sv')
  const selfIsSecretary = onServer
    ? selfMember !== null && (selfMember.role === 'owner' || meta.secretaryMemberId === selfMember.id || (meta.secretaryMemberId === '' && secretaryByName))
    : meta.secretary === '' || secretaryByName
  const selfPending = self !== undefined && state.pending.some((person) => person.id === self.id)
  const queuedApproval = self !== undefined && queued.some((request) => request.type === MessageType.approve && request.personId === self.id)
  const queuedMark = queued.some((request) => request.type !== MessageType.approve)

  // Local meetings: approvals that crossed each other; the adjuster whose came last locks.
  // On a server the server locks (SPEC J7), and a panel writing it would be refused.
  useEffect(() => {
    if (!onServer && self !== undefined && !state.locked) lockIfDue(doc, self.id, now())
  }, [doc, state, self?.id, onServer])

  // The reopening this panel asked for has arrived: the server wrote the draft with it.
  useEffect(() => {
    if (awaitingUnlock && !state.locked) setAwaitingUnlock(false)
  }, [state.locked, awaitingUnlock])

  /** Links this panel's person to its member (SPEC J2) where the person is not linked yet. */
  const linkSelf = (): void => {
    if (selfMember === null || self === undefined) return
    linkPersonToMember(doc, self.id, selfMember.id)
  }

  const doMarkFinal = (): void => {
    if (!onServer) return void markFinal(doc, { name: selfName, now: now() })
    linkSelf()
    requests.send({ type: MessageType.markFinal })
  }
  const doMarkDraft = (): void => {
    if (!onServer) return void markDraft(doc)
    requests.send({ type: MessageType.markDraft })
  }
  const doApprove = (): void => {
    if (self === undefined) return
    if (!onServer) return void approve(doc, self.id, { name: self.name, now: now() })
    linkSelf()
    requests.send({ type: MessageType.approve, personId: self.id, contentHash: contentHash(doc) })
  }

  const submitReopen = (event: Event) => {
    event.preventDefault()
    const why = reason.trim()
    if (reopen === undefined) {
      reopenLocally(doc, { by: selfName, reason: why, now: now() })
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
      {state.approvals.map((approval) => {
        const stale = hash !== null && approval.contentHash !== '' && approval.contentHash !== hash
        return (
          <li key={approval.personId} class={`approved${stale ? ' stale' : ''}`} data-person-id={approval.personId} data-verified={String(approval.verified)}>
            <span aria-hidden="true">✓ </span>
            {t('adjust.approvedBy', { name: approval.name, time: formatTime(language, approval.at) })}{' '}
            <span class={approval.verified ? 'badge verified' : 'badge unverified'}>
              {t(approval.verified ? 'adjust.verified' : 'adjust.unverified')}
            </span>
            {stale && <p class="hint">{t('adjust.stale')}</p>}
          </li>
        )
      })}
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
    if (!state.final) {
      return (
        <>
          <p class="hint">{t('adjust.draft')}</p>
          {state.adjusters.length === 0 && <p class="hint">{t('adjust.noAdjusters')}</p>}
          {selfIsSecretary ? (
            <button type="button" class="mark-final" onClick={doMarkFinal} disabled={queuedMark}>
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
        {selfPending && self !== undefined && !queuedApproval && (
          <button type="button" class="approve" onClick={doApprove}>
            {t('adjust.approve', { name: self.name })}
          </button>
        )}
        {queuedApproval && <p class="queued" role="status">{t('adjust.approvalQueued')}</p>}
        {selfIsSecretary && (
          <button type="button" class="link back-to-draft" onClick={doMarkDraft} disabled={queuedMark}>
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
      data-state={state.locked ? 'locked' : state.final ? 'final' : 'draft'}
    >
      <h2 id={`${id}-heading`}>{t('adjust.heading')}</h2>
      {!onServer && <p class="hint unverified-note">{t('adjust.localUnverified')}</p>}
      {refused !== null && (
        <p role="alert" class="error">
          {t(isAdjustmentRefusal(refused) ? REFUSAL_MESSAGES[refused] : 'adjust.refused.other')}
        </p>
      )}
      {queuedMark && <p class="queued" role="status">{t('adjust.markQueued')}</p>}
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

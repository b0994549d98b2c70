import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { getMeta, observeMeta, setMetaField } from '../doc/meta'
import { AdjustmentPanel, LockBanner, useAdjustment } from './adjustment-panel'
import { AttendanceList } from './attendance-list'
import { BackNav } from './back-nav'
import { EditorToolbar } from './editor-toolbar'
import { ExportPanel } from './export-panel'
import { FollowUpSection, NextMeetingButton } from './follow-up-section'
import { HeaderForm } from './header-form'
import { formatDate } from './i18n'
import { useI18n } from './i18n-context'
import type { MeetingSession, MountedEditor } from './panel-services'
import type { MemberInfo } from '../protocol'
import { PresenceList } from './presence-list'
import { Tabs } from './tabs'
import { useDocValue } from './use-doc-value'

export type MeetingTab = 'minutes' | 'details' | 'people' | 'adjust' | 'export'

export interface MeetingViewProps {
  session: MeetingSession
  selfName: string
  /** An agenda item to show first (a search hit): scrolled to and marked once the text is there. */
  focusItem?: string
  /** Who the server says this panel is (a personal join code); null otherwise. */
  selfMember?: MemberInfo | null
  onBack(): void
  /** Creates (or finds) the series' next meeting and opens it. */
  onNext?(): Promise<void>
}

/**
 * One open meeting. Its title, date and "Next meeting" stay on top; below them the minutes are
 * the first tab and visible at once, and the header details, the people, the adjustment and
 * the export are one tab away, so none of them pushes the editor down a side panel.
 */
export const MeetingView = ({ session, selfName: typedName, selfMember = null, focusItem, onBack, onNext }: MeetingViewProps) => {
  // A member is who the server says (SPEC I7), whatever name was typed at the join.
  const selfName = selfMember?.name ?? typedName
  const { t, language } = useI18n()
  const mount = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<MountedEditor | null>(null)
  const [tab, setTab] = useState<MeetingTab>('minutes')
  // Adjusted and locked: every form is read-only (the editor makes itself read-only).
  const { locked } = useAdjustment(session.doc)
  const meta = useDocValue(session.doc, getMeta, (doc, listener) => observeMeta(doc, listener))

  // A layout effect: the editor is mounted in the task that renders the view, so the first
  // paint of a meeting shows its text instead of an empty body a frame earlier.
  useLayoutEffect(() => {
    if (mount.current === null) return
    const mounted = session.mountEditor(mount.current)
    setEditor(mounted)
    const target = focusItem === undefined ? null : mount.current.querySelector<HTMLElement>(`section.agenda-item[data-id="${CSS.escape(focusItem)}"]`)
    if (target !== null) {
      target.classList.add('search-target')
      requestAnimationFrame(() => target.scrollIntoView({ block: 'start' }))
    }
    return () => {
      setEditor(null)
      mounted.destroy()
    }
  }, [session])

  const tabs: ReadonlyArray<{ id: MeetingTab; label: string }> = [
    { id: 'minutes', label: t('tab.minutes') },
    { id: 'details', label: t('tab.details') },
    { id: 'people', label: t('tab.people') },
    { id: 'adjust', label: t('tab.adjust') },
    { id: 'export', label: t('tab.export') },
  ]

  return (
    <main class="screen meeting-view" data-meeting-id={session.id}>
      <header class="meeting-head">
        <BackNav onBack={onBack}>{onNext !== undefined && <NextMeetingButton onNext={onNext} />}</BackNav>
        <input
          class="meeting-title"
          name="title"
          aria-label={t('meta.title')}
          placeholder={t('meeting.titlePlaceholder')}
          value={meta.title}
          disabled={locked}
          onInput={(event) => setMetaField(session.doc, 'title', event.currentTarget.value)}
        />
        <p class="meeting-when">
          {meta.date === '' ? t('meetings.noDate') : formatDate(language, meta.date)}
          {meta.start !== '' && ` · ${meta.start}${meta.end !== '' ? `–${meta.end}` : ''}`}
          {meta.group !== '' && ` · ${meta.group}`}
        </p>
      </header>
      <LockBanner doc={session.doc} status={session.status} />
      <PresenceList presence={session.presence} />
      <Tabs<MeetingTab>
        label={t('tab.label')}
        tabs={tabs}
        current={tab}
        onSelect={setTab}
        panels={{
          minutes: (
            <section class="body" aria-label={t('meeting.bodyHeading')}>
              <FollowUpSection doc={session.doc} selfName={selfName} />
              {editor !== null && <EditorToolbar toolbar={editor.toolbar} />}
              <div class="editor-mount" ref={mount} />
            </section>
          ),
          details: (
            <fieldset class="lockable" disabled={locked}>
              <HeaderForm doc={session.doc} />
            </fieldset>
          ),
          people: (
            <fieldset class="lockable" disabled={locked}>
              <AttendanceList doc={session.doc} selfName={selfName} {...(selfMember !== null ? { selfMemberId: selfMember.id } : {})} presence={session.presence} />
            </fieldset>
          ),
          adjust: (
            <AdjustmentPanel
              doc={session.doc}
              selfName={selfName}
              selfMember={selfMember}
              {...(session.reopen ? { reopen: session.reopen } : {})}
              {...(session.adjustment ? { requests: session.adjustment } : {})}
            />
          ),
          export: <ExportPanel doc={session.doc} />,
        }}
      />
    </main>
  )
}

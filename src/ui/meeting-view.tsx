import type { ComponentChildren } from 'preact'
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { AdjustmentPanel, LockBanner, useAdjustment } from './adjustment-panel'
import { AttendanceEditorTools } from './attendance-editor-tools'
import { AttendanceList } from './attendance-list'
import { EditorToolbar } from './editor-toolbar'
import { ExportPanel } from './export-panel'
import { HeaderForm } from './header-form'
import { useI18n } from './i18n-context'
import type { MeetingSession, MountedEditor } from './panel-services'
import { PresenceList } from './presence-list'

export interface MeetingViewProps {
  session: MeetingSession
  selfName: string
  onBack(): void
  /** The follow-up and "Next meeting" of the meeting's series (`follow-up-section.tsx`). */
  seriesTools?: ComponentChildren
}

/** One open meeting: who is here, the header, attendance, and the minutes themselves. */
export const MeetingView = ({ session, selfName, onBack, seriesTools }: MeetingViewProps) => {
  const { t } = useI18n()
  const id = useId()
  const mount = useRef<HTMLDivElement>(null)
  const [editor, setEditor] = useState<MountedEditor | null>(null)
  // Adjusted and locked: every form is read-only (the editor makes itself read-only).
  const { locked } = useAdjustment(session.doc)

  // A layout effect: the editor is mounted in the task that renders the view, so the first
  // paint of a meeting shows its text instead of an empty body a frame earlier.
  useLayoutEffect(() => {
    if (mount.current === null) return
    const mounted = session.mountEditor(mount.current)
    setEditor(mounted)
    return () => {
      setEditor(null)
      mounted.destroy()
    }
  }, [session])

  return (
    <main class="screen meeting-view" data-meeting-id={session.id}>
      <nav class="meeting-nav" aria-label={t('app.nav')}>
        <button type="button" class="link" onClick={onBack}>
          <span aria-hidden="true">← </span>
          {t('meeting.back')}
        </button>
      </nav>
      <LockBanner doc={session.doc} status={session.status} />
      <PresenceList presence={session.presence} />
      <fieldset class="lockable" disabled={locked}>
        <HeaderForm doc={session.doc} />
        <AttendanceList doc={session.doc} selfName={selfName} presence={session.presence} />
      </fieldset>
      {seriesTools}
      <section class="body" aria-labelledby={`${id}-body`}>
        <h2 id={`${id}-body`}>{t('meeting.bodyHeading')}</h2>
        {editor !== null && <EditorToolbar toolbar={editor.toolbar} />}
        {editor !== null && <AttendanceEditorTools editor={editor} disabled={locked} />}
        <div class="editor-mount" ref={mount} />
      </section>
      <AdjustmentPanel doc={session.doc} selfName={selfName} {...(session.reopen ? { reopen: session.reopen } : {})} />
      <ExportPanel doc={session.doc} />
    </main>
  )
}

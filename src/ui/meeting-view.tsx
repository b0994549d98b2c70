import type { ComponentChildren } from 'preact'
import { useEffect, useId, useRef, useState } from 'preact/hooks'
import { EditorToolbar } from './editor-toolbar'
import { HeaderForm } from './header-form'
import { useI18n } from './i18n-context'
import type { MeetingSession, MountedEditor } from './panel-services'
import { PeopleList } from './people-list'
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

  useEffect(() => {
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
      <PresenceList presence={session.presence} />
      <HeaderForm doc={session.doc} />
      <PeopleList doc={session.doc} selfName={selfName} />
      {seriesTools}
      <section class="body" aria-labelledby={`${id}-body`}>
        <h2 id={`${id}-body`}>{t('meeting.bodyHeading')}</h2>
        {editor !== null && <EditorToolbar toolbar={editor.toolbar} />}
        <div class="editor-mount" ref={mount} />
      </section>
    </main>
  )
}

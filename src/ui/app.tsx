import { useEffect, useMemo, useState } from 'preact/hooks'
import { I18nContext, type I18n } from './i18n-context'
import { JoinScreen } from './join-screen'
import { MeetingList } from './meeting-list'
import { MeetingView } from './meeting-view'
import type { MeetingSession, PanelServices, PanelStatus, Profile, SpaceSession } from './panel-services'
import { SettingsView } from './settings-view'
import { StatusLine } from './status-line'
import { createStore, type ReadableStore } from './store'

export interface AppProps {
  services: PanelServices
  i18n: I18n
  /** The colour offered to someone who has not chosen one yet. */
  defaultColor: string
}

type Screen = 'list' | 'settings' | 'join'

const LOCAL_STATUS: ReadableStore<PanelStatus> = createStore<PanelStatus>({ kind: 'local' })

/**
 * The panel: join a space (once), then the meeting list and the meetings in it. Every session
 * this component opens is destroyed when it closes or the component unmounts, so unmounting
 * the app (on `pagehide`) stops every socket and listener.
 */
export const App = ({ services, i18n, defaultColor }: AppProps) => {
  const { t } = i18n
  // undefined: still reading the saved profile; null: nobody has joined yet.
  const [profile, setProfile] = useState<Profile | null | undefined>(undefined)
  const [screen, setScreen] = useState<Screen>('list')
  const [space, setSpace] = useState<SpaceSession | null>(null)
  const [openId, setOpenId] = useState<string | null>(null)
  const [meeting, setMeeting] = useState<MeetingSession | null>(null)
  const [openFailed, setOpenFailed] = useState(false)

  useEffect(() => {
    let live = true
    void services.loadProfile().then((loaded) => {
      if (live) setProfile(loaded)
    })
    return () => {
      live = false
    }
  }, [services])

  useEffect(() => {
    if (profile === undefined || profile === null) return
    const opened = services.openSpace(profile)
    setSpace(opened)
    return () => {
      setSpace(null)
      opened.destroy()
    }
  }, [services, profile])

  useEffect(() => {
    if (space === null || openId === null) return
    let live = true
    let session: MeetingSession | null = null
    setOpenFailed(false)
    space.openMeeting(openId).then(
      (opened) => {
        if (!live) return opened.destroy()
        session = opened
        setMeeting(opened)
      },
      (error: unknown) => {
        console.error('opening meeting failed', error)
        if (live) setOpenFailed(true)
      },
    )
    return () => {
      live = false
      setMeeting(null)
      session?.destroy()
    }
  }, [space, openId])

  const saveProfile = (next: Profile) => {
    void services.saveProfile(next).then(() => {
      setOpenId(null)
      setScreen('list')
      setProfile(next)
    })
  }

  const createMeeting = () => {
    if (space === null) return
    void space.createMeeting().then((id) => setOpenId(id))
  }

  const status = useMemo(() => meeting?.status ?? space?.status ?? LOCAL_STATUS, [meeting, space])

  const content = () => {
    if (profile === undefined) return <p class="screen">{t('app.loading')}</p>
    if (profile === null || screen === 'join') {
      return (
        <JoinScreen
          initialName={profile?.displayName ?? ''}
          initialColor={profile?.color ?? defaultColor}
          onDone={saveProfile}
          onCancel={profile === null ? undefined : () => setScreen('list')}
        />
      )
    }
    if (screen === 'settings') {
      return (
        <SettingsView
          profile={profile}
          onSave={saveProfile}
          onChangeSpace={() => setScreen('join')}
          onClose={() => setScreen('list')}
        />
      )
    }
    if (openId !== null) {
      if (openFailed) {
        return (
          <main class="screen">
            <p role="alert">{t('meeting.notFound')}</p>
            <button type="button" onClick={() => setOpenId(null)}>
              {t('meeting.back')}
            </button>
          </main>
        )
      }
      if (meeting === null) return <p class="screen">{t('app.loading')}</p>
      return <MeetingView session={meeting} selfName={profile.displayName} onBack={() => setOpenId(null)} />
    }
    if (space === null) return <p class="screen">{t('app.loading')}</p>
    return (
      <main class="screen">
        <MeetingList meetings={space.meetings} onCreate={createMeeting} onOpen={setOpenId} />
      </main>
    )
  }

  return (
    <I18nContext.Provider value={i18n}>
      <div class="app">
        <header class="app-bar">
          <span class="app-name">{t('app.title')}</span>
          {profile !== undefined && profile !== null && screen !== 'settings' && (
            <button type="button" class="link" onClick={() => setScreen('settings')}>
              {t('settings.open')}
            </button>
          )}
        </header>
        {content()}
        <footer class="app-status">
          <StatusLine status={status} />
        </footer>
      </div>
    </I18nContext.Provider>
  )
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { localDate, type CallAddress } from '../call'
import type { FollowUpStatus, RegisterEntry } from '../series'
import { ActionRegister } from './action-register'
import { CallOffer } from './call-offer'
import { I18nContext, type I18n } from './i18n-context'
import { JoinScreen } from './join-screen'
import { MeetingList } from './meeting-list'
import { MeetingView } from './meeting-view'
import type { MeetingSession, MemberStatus, PanelServices, PanelStatus, Profile, SpaceSession } from './panel-services'
import { ReplicationStatus } from './replication-status'
import { checkInFromRegister, ensureCallMeeting, ensureNextMeeting, loadRegister } from './series-actions'
import { SeriesView } from './series-view'
import { selfMemberOf } from '../session'
import { SettingsView } from './settings-view'
import { StatusLine } from './status-line'
import { createStore, useStore, type ReadableStore } from './store'

export interface AppProps {
  services: PanelServices
  i18n: I18n
  /** The colour offered to someone who has not chosen one yet. */
  defaultColor: string
}

type Screen = 'list' | 'settings' | 'join' | 'register' | 'series'

const LOCAL_STATUS: ReadableStore<PanelStatus> = createStore<PanelStatus>({ kind: 'local' })
const SHARED_MEMBER: ReadableStore<MemberStatus> = createStore<MemberStatus>({ kind: 'shared' })

/** The id a place is kept under: the joined space's, or '' for the local space. */
const spaceIdOf = (profile: Profile): string => profile.space?.space ?? ''

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
  // The agenda item a search hit opens the meeting at.
  const [focusItem, setFocusItem] = useState<string | null>(null)

  // The panel reopens where it was: the place is read with the profile, so the meeting opens
  // straight away instead of after a flash of the meeting list.
  const restoreScroll = useRef<number | null>(null)
  const placeReady = useRef(false)
  useEffect(() => {
    let live = true
    void Promise.all([services.loadProfile(), services.loadPlace?.().catch(() => null) ?? null]).then(([loaded, place]) => {
      if (!live) return
      if (loaded !== null && place != null && place.meetingId !== '' && place.space === spaceIdOf(loaded)) {
        restoreScroll.current = place.scrollY
        setOpenId(place.meetingId)
      }
      placeReady.current = true
      setProfile(loaded)
    })
    return () => {
      live = false
    }
  }, [services])

  // Remember the open meeting (or the list), and how far down it was scrolled.
  useEffect(() => {
    if (!placeReady.current || profile == null || services.savePlace === undefined) return
    const save = services.savePlace
    const space = spaceIdOf(profile)
    const meetingId = openId ?? ''
    void save({ space, meetingId, scrollY: 0 }).catch(() => {})
    if (meetingId === '') return
    let timer: ReturnType<typeof setTimeout> | null = null
    const onScroll = () => {
      timer ??= setTimeout(() => {
        timer = null
        void save({ space, meetingId, scrollY: Math.round(window.scrollY) }).catch(() => {})
      }, 300)
    }
    window.addEventListener('scroll', onScroll, { passive: true })
    return () => {
      window.removeEventListener('scroll', onScroll)
      if (timer !== null) clearTimeout(timer)
    }
  }, [services, profile, openId])

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
        const scrollY = restoreScroll.current
        restoreScroll.current = null
        if (scrollY !== null && scrollY > 0) requestAnimationFrame(() => window.scrollTo(0, scrollY))
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

  // Calls, series and the action register (series-actions.ts): each ends in a meeting to open.
  const [callFailed, setCallFailed] = useState(false)
  const openCall = (call: CallAddress) => {
    if (space === null) return
    setCallFailed(false)
    ensureCallMeeting(space, call, new Date()).then(setOpenId, (error: unknown) => {
      console.error('opening the minutes of the call failed', error)
      setCallFailed(true)
    })
  }
  const openNext = async (from: MeetingSession): Promise<void> => {
    if (space === null) return
    setOpenId(await ensureNextMeeting(space, from, new Date()))
  }
  const register = useMemo(
    () =>
      space === null || profile === undefined || profile === null
        ? null
        : {
            load: () => loadRegister(space, localDate(new Date())),
            check: (entry: RegisterEntry, status: FollowUpStatus) =>
              checkInFromRegister(space, entry, status, { name: profile.displayName, at: new Date().toISOString() }),
          },
    [space, profile],
  )
  const openFromRegister = useCallback((id: string) => {
    setScreen('list')
    setOpenId(id)
  }, [])

  const status = useMemo(() => meeting?.status ?? space?.status ?? LOCAL_STATUS, [meeting, space])
  const member = useStore(space?.member ?? SHARED_MEMBER)

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
          space={space}
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
      return (
        <MeetingView
          session={meeting}
          selfName={profile.displayName}
          selfMember={selfMemberOf(member)}
          {...(focusItem !== null ? { focusItem } : {})}
          onBack={() => {
            setFocusItem(null)
            setOpenId(null)
          }}
          onNext={() => openNext(meeting)}
        />
      )
    }
    if (space === null) return <p class="screen">{t('app.loading')}</p>
    if (screen === 'series') {
      return <SeriesView load={space.readMeetings} onOpenMeeting={openFromRegister} onBack={() => setScreen('list')} />
    }
    if (screen === 'register' && register !== null) {
      return <ActionRegister load={register.load} check={register.check} onOpenMeeting={openFromRegister} onBack={() => setScreen('list')} />
    }
    return (
      <main class="screen">
        {services.activeTab !== undefined && <CallOffer activeTab={services.activeTab} onOpen={openCall} />}
        {callFailed && <p role="alert">{t('call.failed')}</p>}
        <p class="register-link">
          <button type="button" class="link open-register" onClick={() => setScreen('register')}>
            {t('register.open')}
          </button>{' '}
          ·{' '}
          <button type="button" class="link open-series" onClick={() => setScreen('series')}>
            {t('series.open')}
          </button>
        </p>
        <ReplicationStatus progress={space.replication} nearlyFull={space.storageNearlyFull} />
        <MeetingList
          meetings={space.meetings}
          onCreate={createMeeting}
          onOpen={setOpenId}
          search={space.search}
          onOpenAt={(meetingId, itemId) => {
            setFocusItem(itemId === '' ? null : itemId)
            setOpenId(meetingId)
          }}
        />
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

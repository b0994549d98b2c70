/**
 * What the panel's components need from the rest of Minutes, as small interfaces.
 *
 * The components depend on these shapes, not on the storage, sync and editor classes: the
 * composition root (`entrypoints/sidepanel/main.tsx`) adapts the real modules to them (the
 * session layer, `src/session`, does most of it), and unit tests pass plain fakes.
 */
import type { PanelPlace, Profile, SpaceSession } from '../session'
import type { ReadableStore } from './store'

export type {
  AdjustmentRequests,
  SearchHit,
  MeetingSession,
  MeetingSummary,
  MemberStatus,
  MembersApi,
  MembersFailure,
  JoinedSpace,
  MountedEditor,
  PanelPlace,
  PanelStatus,
  PresencePeer,
  Profile,
  SpaceSession,
} from '../session'

export interface PanelServices {
  loadProfile(): Promise<Profile | null>
  saveProfile(profile: Profile): Promise<void>
  /** Where the panel was when it last closed; absent where nothing is kept. */
  loadPlace?(): Promise<PanelPlace | null>
  savePlace?(place: PanelPlace): Promise<void>
  openSpace(profile: Profile): SpaceSession
  /** The address of the browser's active tab, where the panel may read it (`tabs`); else absent. */
  activeTab?: ReadableStore<string | null>
}

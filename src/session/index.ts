export { createSpaceSession, type SpaceSessionOptions } from './space-session'
export { openMeetingSession, type OpenMeetingOptions } from './meeting-session'
export { createSyncConnector, toPanelStatus } from './sync-connector'
export type { ConnectDoc, ConnectOptions, DocConnection } from './doc-connection'
export type { MountEditor, MountEditorOptions } from './mount-editor'
export { loadPlace, loadProfile, savePlace, saveProfile } from './profile-store'
export { watchActiveTab, type TabsApi, type WindowsApi } from './active-tab'
export { LOCAL_SPACE } from './local-space'
export { meetingRoom } from './meeting-room'
export { selfMemberOf } from './member-status'
export { createStore, type ReadableStore, type WritableStore } from './store'
export type { ToolbarButtonView, ToolbarView } from './toolbar-view'
export type {
  AdjustmentRequests,
  JoinedSpace,
  MeetingSession,
  MeetingSummary,
  MemberStatus,
  MountedEditor,
  PanelPlace,
  PanelStatus,
  PresencePeer,
  Profile,
  ReplicationProgress,
  SpaceSession,
} from './types'
export type { MembersApi, MembersFailure } from '../sync'
export type { SearchHit } from '../search'

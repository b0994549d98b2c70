export { SyncConnection, type SyncConnectionOptions, type SyncConnectionEvents, type TokenSource } from './sync-connection'
export {
  deriveSyncStatus,
  interpretCloseCode,
  type SyncStatus,
  type SyncFacts,
  type AuthFailure,
  type SyncErrorReason,
} from './sync-status'
export { SaveTracker, type ServerConfirmed } from './save-tracker'
export { browserNetworkState, alwaysOnline, type NetworkState } from './network-state'
export { fetchServerProbe, healthUrl, type ServerProbe } from './server-probe'
export { checkTokenLocally, type TokenProblem } from './token-check'
export { fetchAccess, sendRenewAccess, accessUrl, MemberAccess, type AccessFailure, type MemberAccessState, type MemberAccessOptions } from './member-access'
export { sendOnlyOwnAwareness } from './own-awareness-sender'
export { Presence, listAttendees, type PresenceUser, type Attendee, type PresenceEvents } from './presence'
export {
  SpaceIndex,
  spaceIndexRoom,
  SPACE_INDEX_ROOT,
  type MeetingEntry,
  type MeetingFields,
  type SpaceIndexEvents,
} from './space-index'
export { membersApi, type MembersApi, type MembersFailure, type MembersResult } from './members-api'
export {
  Replicator,
  fetchStamps,
  stampsUrl,
  type FetchedReplica,
  type OpenReplicaConnection,
  type ReplicaConnection,
  type ReplicaSaveResult,
  type ReplicaStore,
  type ReplicationProgress,
  type ReplicatorEvents,
  type ReplicatorOptions,
  type StampsFailure,
} from './replication'

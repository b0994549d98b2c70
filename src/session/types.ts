/**
 * What the sessions give the panel, as small interfaces.
 *
 * The panel's components depend on these shapes, not on the storage, sync and editor classes:
 * the sessions adapt the real modules to them, and unit tests pass plain fakes.
 */
import type { Command, EditorState } from 'prosemirror-state'
import type * as Y from 'yjs'
import type { JoinCode } from '../join-code'
import type { AdjustmentRequest, MemberInfo } from '../protocol'
import type { MembersApi } from '../sync'
import type { SearchHit } from '../search'
import type { ReadableStore } from './store'
import type { ToolbarView } from './toolbar-view'

/** Who this attendee is, and which space (if any) the panel works in. */
export interface Profile {
  displayName: string
  /** `#rrggbb`, shown next to the name in presence lists and on the cursor. */
  color: string
  /** `null`: no space joined, meetings live in this browser only. */
  space: JoinedSpace | null
}

/**
 * A joined space: a shared join code's token, or a personal join code's member key (then
 * `token` is '' and the session fetches short-lived access with the key, SPEC I3).
 */
export type JoinedSpace = JoinCode & { key?: string }

/**
 * This panel's member access in a space joined with a personal code. Until the server answers
 * (offline, or the server down), `lastKnown` is who it said this panel is the last time: enough
 * to offer this person's own controls (an approval, kept until online), never to grant anything,
 * since the server checks every request against the member again (SPEC J2).
 */
export type MemberStatus =
  | { kind: 'shared' }
  | { kind: 'pending'; lastKnown?: MemberInfo }
  | { kind: 'granted'; member: MemberInfo }
  | { kind: 'revoked' }
  | { kind: 'unreachable'; lastKnown?: MemberInfo }

/** The status line's states, in the order a connection normally passes through them. */
export type PanelStatus =
  | { kind: 'local' }
  /** `unsaved`: local changes the server is not known to have (0: none). */
  | { kind: 'offline'; unsaved: number }
  | { kind: 'connecting'; unsaved: number }
  | { kind: 'syncing' }
  | { kind: 'unsaved'; count: number }
  | { kind: 'saved' }
  | { kind: 'auth-failed' }
  | { kind: 'error'; unsaved: number }
  /** The meeting was adjusted and locked; this panel's later changes were refused by the server. */
  | { kind: 'meeting-locked' }
  | { kind: 'storage-error'; code: 'quota' | 'unavailable' | 'corrupt' }

export interface PresencePeer {
  /** The Yjs client id: unique per open panel. */
  clientId: number
  name: string
  color: string
  self: boolean
  /** The server put the member's own name on this entry (SPEC I7): not a name anyone typed. */
  verified: boolean
}

export interface MeetingSummary {
  id: string
  title: string
  /** `YYYY-MM-DD` or `''`. */
  date: string
  group: string
  /** Milliseconds since the epoch. */
  updated: number
  /** Known only to this browser (not in the space's synced list yet, or no space). */
  localOnly: boolean
}

/** An editor mounted into the meeting view. */
export interface MountedEditor {
  toolbar: ReadableStore<ToolbarView>
  /** The editor's state after every transaction, for controls outside the toolbar (responsible). */
  state?: ReadableStore<EditorState>
  /** Runs an editor command on the current state; false when it does not apply (or the meeting is locked). */
  run?(command: Command): boolean
  focus(): void
  destroy(): void
}

/** One open meeting: its document (local content already loaded) and its connection. */
export interface MeetingSession {
  readonly id: string
  readonly doc: Y.Doc
  readonly status: ReadableStore<PanelStatus>
  readonly presence: ReadableStore<readonly PresencePeer[]>
  mountEditor(mount: HTMLElement): MountedEditor
  /**
   * Asks the server to reopen the adjusted, locked meeting with a reason (SPEC L3). False when
   * it cannot be sent now (no connection). Absent for meetings without a server.
   */
  reopen?(reason: string, name?: string): boolean
  /**
   * The adjustment as requests to the server (SPEC J): present for meetings with a server,
   * where the server checks who asks and writes the record. Absent for local meetings, whose
   * panel writes the (unverified) record itself.
   */
  adjustment?: AdjustmentRequests
  destroy(): void
}

/** Mark final, back to draft, approve: sent now, or kept until the connection is open. */
export interface AdjustmentRequests {
  /** Sends it, or keeps it to send when connected; returns whether it went out now. */
  send(request: AdjustmentRequest): boolean
  /** Requests kept for when the panel is online, oldest first; kept in IndexedDB across closing the panel. */
  readonly queued: ReadableStore<readonly AdjustmentRequest[]>
  /** Resolves once the requests an earlier panel of this meeting kept are loaded (and sent, if online). */
  readonly ready: Promise<void>
  /** The reason of the last refusal (SPEC J1), until the next request; null when none. */
  readonly refused: ReadableStore<string | null>
}

/** Background replication of the space's meetings (SPEC R2): how far the current pass is. */
export interface ReplicationProgress {
  /** Meetings fetched and stored in this pass. */
  done: number
  /** Meetings this pass fetches. */
  total: number
  /** Meetings that failed in this pass; they are tried again later. */
  failed: number
}

/** The space the panel works in: its meeting list and the meetings in it. */
export interface SpaceSession {
  /** The connection of the space's meeting list; the status line shows it outside a meeting. */
  readonly status: ReadableStore<PanelStatus>
  readonly meetings: ReadableStore<readonly MeetingSummary[]>
  createMeeting(): Promise<string>
  openMeeting(id: string): Promise<MeetingSession>
  /** The space's id (`local` without a server): the meeting of a call derives its id from it. */
  readonly spaceId: string
  /**
   * Lists a meeting whose id every attendee derives alike (a call's, a series' next meeting)
   * here and in the space, unless it is listed, and runs `seed` whenever this session opens it
   * (seeds are idempotent, so several attendees may seed at once).
   */
  ensureMeeting(id: string, fields: Pick<MeetingSummary, 'title' | 'group' | 'date'>, seed: (doc: Y.Doc) => void): Promise<void>
  /** The member this panel is in the space (personal join code), or `shared` for a shared code. */
  readonly member: ReadableStore<MemberStatus>
  /** The owner API of the space (list, invite, revoke; SPEC I5); null without a server. */
  readonly members: MembersApi | null
  /**
   * Full-text search over every meeting of the space stored in this browser (offline too);
   * the index is built on the first search and then follows the meetings as they change.
   */
  search(query: string): Promise<SearchHit[]>
  /**
   * The background fetch of meetings this browser has not stored, or stored at an older stamp
   * (SPEC R2): the current pass, `null` while idle (and always without a server).
   */
  readonly replication: ReadableStore<ReplicationProgress | null>
  /** Replication stopped because the browser's storage is nearly full: the percent in use, else null. */
  readonly storageNearlyFull: ReadableStore<number | null>
  /** Read-only copies of the space's meetings stored in this browser. The caller destroys them. */
  readMeetings(): Promise<Array<{ id: string; doc: Y.Doc }>>
  destroy(): void
}

/** Where the panel was, so it reopens there: the space's id, the open meeting ('' for the list), the scroll. */
export interface PanelPlace {
  space: string
  meetingId: string
  scrollY: number
}

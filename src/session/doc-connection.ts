import type * as Y from 'yjs'
import type { Awareness } from 'y-protocols/awareness'
import type { AdjustmentRequest } from '../protocol'
import type { ServerConfirmed, TokenSource } from '../sync'
import type { PanelStatus, PresencePeer } from './types'
import type { ReadableStore } from './store'

/** The network side of one document, as the panel's sessions need it. */
export interface DocConnection {
  /** Network states only (`offline` … `saved`, `auth-failed`, `error`). */
  readonly status: ReadableStore<PanelStatus>
  readonly presence: ReadableStore<readonly PresencePeer[]>
  /** For the editor's cursors; null when the connection has none. */
  readonly awareness: Awareness | null
  /**
   * Whether a Yjs transaction origin is this connection bringing in what the server sent. The
   * server forwards only what is on its disk (SPEC D1), so storage need not journal it.
   */
  fromServer(origin: unknown): boolean
  /** Sends a reopen request for a locked meeting (SPEC L3); false when not connected. */
  reopen?(reason: string, name?: string): boolean
  /** Sends an adjustment request (SPEC J1); false when not connected. */
  requestAdjustment?(request: AdjustmentRequest): boolean
  /** Calls `listener` with the reason of each refused request (message 105); returns the unsubscribe. */
  onAdjustmentRefused?(listener: (reason: string) => void): () => void
  /** Everything known to be on the server's disk now, to remember for the next session. */
  confirmed?(): ServerConfirmed
  /** Calls `listener` whenever `confirmed()` may have moved; returns the unsubscribe. */
  onConfirmed?(listener: () => void): () => void
  destroy(): void
}

export interface ConnectOptions {
  doc: Y.Doc
  server: string
  /** `<space>/<meetingId>` or the space's index room. */
  room: string
  /** A shared join code's token, or a member's renewed access (`MemberAccess`). */
  token: string | TokenSource
  user: { name: string; color: string }
  /** What an earlier session last knew to be on the server. */
  known?: ServerConfirmed
}

export type ConnectDoc = (options: ConnectOptions) => DocConnection

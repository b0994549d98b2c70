import { CloseCode } from '../protocol'

/** Why the panel should ask for a new join code. */
export type AuthFailure =
  /** The server refused the token (HTTP 401/403 at the upgrade, or close 4403). */
  | 'token-rejected'
  /** The token expired (close 4401, or its `exp` is in the past). */
  | 'token-expired'
  /** The token is for another room or space. */
  | 'wrong-room'
  /** An owner revoked this member (close 4402, or `/access` answered 401 to the member key). */
  | 'revoked'

/** Named server problems the status line can show; `code` is the close code. */
export type SyncErrorReason =
  | 'storage-failure'
  | 'room-unavailable'
  | 'room-full'
  | 'rate-limited'
  | 'message-too-big'
  | 'malformed-message'
  | 'awareness-too-large'
  | 'update-too-expensive'
  /** The meeting was adjusted and locked; changes made here after that were refused (SPEC L2). */
  | 'meeting-locked'
  | 'server-error'

/**
 * The connection's state as a person needs it, in the order a connection passes through them:
 * - `offline`: no server configured for this space, or the browser reports no network;
 * - `connecting`: opening a socket (`attempt` counts failures since the last sync);
 * - in both, and in `error`, `unsaved` counts the local changes the server is not known to
 *   have (from the last acknowledgement, of this session or remembered from an earlier one);
 * - `syncing`: connected, exchanging state, no durable acknowledgement yet;
 * - `unsaved`: connected; `count` local changes are not yet on the server's disk (see `SaveTracker`);
 * - `saved`: everything local is on the server's disk;
 * - `auth-failed`: the server will not accept this token; retrying has stopped; ask for a new join code;
 * - `error`: the server closed with a named problem; `retrying` says whether it reconnects by itself.
 */
export type SyncStatus =
  | { kind: 'offline'; reason: 'no-server' | 'no-network'; unsaved: number }
  | { kind: 'connecting'; attempt: number; unsaved: number }
  | { kind: 'syncing' }
  | { kind: 'unsaved'; count: number }
  | { kind: 'saved' }
  | { kind: 'auth-failed'; reason: AuthFailure }
  | { kind: 'error'; reason: SyncErrorReason; code: number; retrying: boolean; unsaved: number }

/** What a close code means for the client. `null`: an ordinary disconnect, just reconnect. */
export const interpretCloseCode = (
  code: number,
): { auth: AuthFailure } | { error: SyncErrorReason; retry: boolean } | null => {
  switch (code) {
    case CloseCode.tokenExpired:
      return { auth: 'token-expired' }
    case CloseCode.forbidden:
      return { auth: 'token-rejected' }
    case CloseCode.revoked:
      return { auth: 'revoked' }
    case CloseCode.storageFailure:
      return { error: 'storage-failure', retry: true }
    case CloseCode.roomUnavailable:
      return { error: 'room-unavailable', retry: true }
    case CloseCode.roomFull:
      return { error: 'room-full', retry: true }
    // In the 4400 range, where the stock client gives up; but a rate limit passes with time.
    case CloseCode.rateLimited:
      return { error: 'rate-limited', retry: true }
    case CloseCode.internalError:
      return { error: 'server-error', retry: true }
    // Retrying would send the same thing again: stop, and say so.
    case CloseCode.messageTooBig:
      return { error: 'message-too-big', retry: false }
    case CloseCode.malformedMessage:
      return { error: 'malformed-message', retry: false }
    case CloseCode.awarenessTooLarge:
      return { error: 'awareness-too-large', retry: false }
    case CloseCode.updateTooExpensive:
      return { error: 'update-too-expensive', retry: false }
    // This client's changes arrived after the lock: sending them again is refused again.
    case CloseCode.meetingLocked:
      return { error: 'meeting-locked', retry: false }
    default:
      return null
  }
}

/** Everything the status is derived from; `deriveSyncStatus` is a pure function of it. */
export interface SyncFacts {
  serverConfigured: boolean
  online: boolean
  authFailure: AuthFailure | null
  /** The last named close, until the next successful sync. */
  lastError: { reason: SyncErrorReason; code: number; retrying: boolean } | null
  connected: boolean
  synced: boolean
  ackedThisConnection: boolean
  unsaved: number
  attempt: number
}

export const deriveSyncStatus = (facts: SyncFacts): SyncStatus => {
  const { unsaved } = facts
  if (!facts.serverConfigured) return { kind: 'offline', reason: 'no-server', unsaved }
  if (facts.authFailure !== null) return { kind: 'auth-failed', reason: facts.authFailure }
  if (facts.lastError !== null && !facts.lastError.retrying) return { kind: 'error', ...facts.lastError, unsaved }
  if (!facts.online) return { kind: 'offline', reason: 'no-network', unsaved }
  if (facts.connected && facts.synced && facts.ackedThisConnection) {
    return unsaved > 0 ? { kind: 'unsaved', count: unsaved } : { kind: 'saved' }
  }
  if (facts.connected) return { kind: 'syncing' }
  if (facts.lastError !== null) return { kind: 'error', ...facts.lastError, unsaved }
  return { kind: 'connecting', attempt: facts.attempt, unsaved }
}

export const sameStatus = (a: SyncStatus, b: SyncStatus): boolean => JSON.stringify(a) === JSON.stringify(b)

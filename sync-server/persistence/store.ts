import type { Role } from '../../src/protocol'

/**
 * Where rooms live on disk: an append-only log of Yjs updates per room, compacted into one
 * snapshot past a threshold (SPEC D1–D6). Every backend passes the contract suite in
 * tests/server/store-contract.test.ts.
 */
export interface UpdateStore {
  /** Every stored update of `room`, oldest first. Throws `StoreReadError` when it cannot read them. */
  load(room: string): Promise<StoredUpdate[]>
  /**
   * Appends updates of any number of rooms in ONE durable transaction (group commit): when the
   * promise resolves, all are on disk except those of the rooms it answers `refused` for (a
   * store shared by several servers refuses a locked room's updates, SPEC C9; none else
   * refuses); when it rejects, none are. Answers for every room of `entries`.
   */
  append(entries: ReadonlyArray<StoreEntry>): Promise<Map<string, RoomAppended>>
  /**
   * Replaces every stored update of `room` by `snapshot` in one transaction. The caller
   * guarantees that `snapshot` contains every update appended to `room` so far; a store shared
   * by several servers checks it against `expectedNextSeq` when given (SPEC C5, C11).
   */
  compact(room: string, snapshot: Uint8Array, expectedNextSeq?: number): Promise<void>
  /**
   * Moves stored updates of `room` that do not apply out of its log, into a quarantine an
   * operator can inspect (SPEC D6). Nothing is deleted.
   */
  quarantine(room: string, ids: readonly number[], reason: string): Promise<void>
  /**
   * Moves everything committed into the store's main file and empties its write-ahead log, so
   * the main file alone holds every acknowledged update (SPEC D8). Resolves `false` when a
   * reader (a backup) is in the way and nothing was emptied: try again later. A store without
   * a log resolves `true`.
   */
  checkpoint(): Promise<boolean>
  /**
   * A stamp for every room whose id starts with `prefix` and that has stored updates (SPEC R1):
   * a string that changes whenever what the room stores changes (an append, a compaction, a
   * quarantine), so a client that kept the stamp of its copy knows without loading the room
   * whether it is current. A stamp may also change without new content (compaction): that
   * costs the client one fetch with nothing to transfer. Rooms without updates are absent.
   */
  stamps(prefix: string): Promise<Map<string, string>>
  /** Resolves when a write would succeed now; rejects with the reason otherwise (`/healthz`). */
  checkWritable(): Promise<void>
  close(): Promise<void>
}

export interface StoredUpdate {
  /** The row's id in this store, for `quarantine`. */
  id: number
  update: Uint8Array
}

export interface StoreEntry {
  room: string
  update: Uint8Array
  /**
   * The update is the server's lock write (SPEC J7), or its reopening (L3). A store shared by
   * several servers records the room's lock state with it (SPEC C9); the others ignore it.
   * `expectedSeq` is the sequence number the lock's row gets if no other server wrote to the
   * room since the approval was decided: otherwise the lock is refused (`lock-stale`).
   */
  lock?: { change: 'lock'; expectedSeq: number } | { change: 'unlock' }
}

/**
 * What an append did with one room's entries: stored (numbered from `firstSeq` on in a store
 * that numbers a room's log, SPEC C3; `null` in one that does not), or none of them stored.
 */
export type RoomAppended =
  | { ok: true; firstSeq: number | null; count: number }
  | { ok: false; refused: 'locked' | 'lock-stale' }

/** The answer of a store that stores everything and numbers nothing (SQLite, memory). */
export const storedUnnumbered = (entries: ReadonlyArray<StoreEntry>): Map<string, RoomAppended> => {
  const counts = new Map<string, number>()
  for (const { room } of entries) counts.set(room, (counts.get(room) ?? 0) + 1)
  return new Map([...counts].map(([room, count]) => [room, { ok: true, firstSeq: null, count }]))
}

/** A room's log from a sequence number on (SPEC C8): what a server that missed some of it applies. */
export interface LogTail {
  updates: Uint8Array[]
  /** The number the room's next append gets: the tail holds every row before it. */
  nextSeq: number
}

/**
 * A store several servers share (PostgreSQL, SPEC C): a room's log is numbered in commit order,
 * so a server can tell what of it its document holds.
 */
export interface ClusterStore extends Store {
  /** Like `load`, with the number the room's next append gets (one snapshot: the log holds every row before it). */
  loadNumbered(room: string): Promise<LogTail & { stored: StoredUpdate[] }>
  /** The rows of `room` numbered `seq` or later (a compaction snapshot stands for every row it replaced). */
  loadSince(room: string, seq: number): Promise<LogTail>
  /** Each room's next sequence number (1 for a room never written). */
  nextSeqs(rooms: readonly string[]): Promise<Map<string, number>>
}

/** The store exists but what it holds cannot be read: never serve an empty document instead. */
export class StoreReadError extends Error {
  override name = 'StoreReadError'
}

/** The store cannot be opened at all: the server refuses to start. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError'
}

/** A member of a space (SPEC I1). The member key itself is never stored, only its hash. */
export interface Member {
  /** `m_` and random base64url. */
  id: string
  space: string
  /** The name others see; the server puts it into the member's tokens and presence (SPEC I7). */
  name: string
  role: Role
  /** Milliseconds since the epoch. */
  createdAt: number
  /** When an owner revoked the member (milliseconds since the epoch), else `null`. */
  revokedAt: number | null
}

/** A member to add, with the SHA-256 hash (hex) of its member key. */
export interface NewMember extends Omit<Member, 'revokedAt'> {
  keyHash: string
}

/** What a revocation or a role change did. `last-owner`: refused, it would leave the space without an owner. */
export type MemberChange = 'done' | 'not-found' | 'last-owner'

/**
 * The members of every space (SPEC I1). Each call is one transaction. A space never loses its
 * last unrevoked owner through `revokeMember` or `setMemberRole`: the check and the write are
 * one transaction, so two owners revoking each other at once leave one.
 */
export interface MemberStore {
  /** Adds a member. Rejects when the id or the key hash is already stored. */
  addMember(member: NewMember): Promise<void>
  /** The member with this id (revoked or not), or `null`. */
  member(id: string): Promise<Member | null>
  /** The member whose key has this hash (revoked or not), or `null`. */
  memberByKeyHash(keyHash: string): Promise<Member | null>
  /** Every member of `space`, revoked ones included, oldest first. */
  members(space: string): Promise<Member[]>
  /** Marks an unrevoked member of `space` revoked at `at`; `not-found` for an unknown or already revoked one. */
  revokeMember(space: string, id: string, at: number): Promise<MemberChange>
  /** Changes the role of an unrevoked member of `space`. */
  setMemberRole(space: string, id: string, role: Role): Promise<MemberChange>
}

/** What the server stores: rooms' update logs and spaces' members, in one place (one file for SQLite). */
export interface Store extends UpdateStore, MemberStore {}

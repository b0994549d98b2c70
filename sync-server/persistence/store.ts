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
   * promise resolves, all are on disk; when it rejects, none are.
   */
  append(entries: ReadonlyArray<StoreEntry>): Promise<void>
  /**
   * Replaces every stored update of `room` by `snapshot` in one transaction. The caller
   * guarantees that `snapshot` contains every update appended to `room` so far.
   */
  compact(room: string, snapshot: Uint8Array): Promise<void>
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

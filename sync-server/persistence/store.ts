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

/**
 * Transaction origins. Every Yjs write in Minutes is tagged with one of these
 * (`doc.transact(fn, Origin.template)`), and listeners decide by origin, never by flags.
 *
 * Two origins come from libraries and are not listed here: y-prosemirror's `ySyncPluginKey`
 * for edits typed in the editor, and the `WebsocketProvider` instance for updates from the
 * server.
 */
export const Origin = {
  /** Loaded from IndexedDB: never written back to IndexedDB. */
  storage: { origin: 'storage' },
  /** A form field or button of the panel outside the editor (header, people, ticks). */
  localForm: { origin: 'local-form' },
  /** Seeding a new meeting from a template. */
  template: { origin: 'template' },
  /** Upgrading an older document shape. */
  migration: { origin: 'migration' },
  /** The sync server's own writes into a room: the adjustment's records and the lock (SPEC J3, L3). */
  server: { origin: 'server' },
  /** On a sync server: rows another server of the cluster stored, applied to the room here (SPEC C8). */
  cluster: { origin: 'cluster' },
  /** Carrying open actions into a meeting's follow-up, and checking them in (`src/series`). */
  followUp: { origin: 'follow-up' },
} as const
export type Origin = (typeof Origin)[keyof typeof Origin]

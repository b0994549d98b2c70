import * as Y from 'yjs'
import { newId, seedMeeting, type MeetingMeta } from '../doc'
import { Origin } from '../doc/origins'
import type { MemberInfo } from '../protocol'
import { DocPersistence, getMeeting, listMeetings, putMeeting, readLog, readSetting, writeSetting, type JournalStorage, type MinutesDatabase, type PageEvents } from '../storage'
import type { MeetingSession, MeetingSummary, MemberStatus, PanelStatus, Profile, ReplicationProgress, SpaceSession } from './types'
import { createStore, type ReadableStore } from './store'
import { MemberAccess, SpaceIndex, membersApi, spaceIndexRoom, type MemberAccessState, type ServerConfirmed } from '../sync'
import { LOCAL_SPACE } from './local-space'
import type { ConnectDoc, DocConnection } from './doc-connection'
import { meetingRoom } from './meeting-room'
import { openMeetingSession } from './meeting-session'
import type { MeetingSearchIndex } from '../search'
import type { MountEditor } from './mount-editor'
import { startSpaceReplication, type ReplicationSettings } from './space-replication'

export interface SpaceSessionOptions {
  db: MinutesDatabase
  profile: Profile
  page: PageEvents
  /** Synchronous journal ahead of IndexedDB (`localStorage` in the panel). */
  journal?: JournalStorage
  connect: ConnectDoc
  mountEditor: MountEditor
  now(): number
  /** For a member's access (`/access`); default the global fetch. */
  fetchFn?: typeof fetch
  /**
   * Keep local copies of the space's meetings current in the background (SPEC R2), so the
   * register and the follow-up see meetings this browser never opened. Omitted: no replication.
   */
  replication?: ReplicationSettings
}

const memberStatusOf = (state: MemberAccessState, lastKnown: MemberInfo | undefined): MemberStatus => {
  const known = lastKnown === undefined ? {} : { lastKnown }
  switch (state.kind) {
    case 'granted':
      return { kind: 'granted', member: state.grant.member }
    case 'refused':
    case 'unreachable':
      return { kind: 'unreachable', ...known }
    case 'pending':
      return { kind: 'pending', ...known }
    case 'revoked':
      return { kind: 'revoked' }
  }
}

/**
 * The space the panel works in: its synced meeting list (itself a Y.Doc, stored locally like
 * a meeting), merged with the meetings this browser knows, and the meetings opened from it.
 */
export const createSpaceSession = (options: SpaceSessionOptions): SpaceSession => {
  const { db, profile, page } = options
  const joined = profile.space
  const space = joined?.space ?? LOCAL_SPACE
  const user = { name: profile.displayName, color: profile.color }
  // A personal join code: one access for the space, renewed ahead of expiry, shared by every
  // connection of this session (the index and each open meeting).
  const access =
    joined?.key === undefined
      ? null
      : new MemberAccess({ serverUrl: joined.server, memberKey: joined.key, ...(options.fetchFn !== undefined ? { fetchFn: options.fetchFn } : {}) })
  // Who the server said this panel is the last time, so an offline panel still knows (types.ts).
  const memberKey = joined === null ? '' : `${joined.server} ${joined.space}`
  let lastKnown: MemberInfo | undefined
  const member = createStore<MemberStatus>(access === null ? { kind: 'shared' } : memberStatusOf(access.state, lastKnown))
  const rememberMember = async (info: MemberInfo): Promise<void> => {
    const all = (await readSetting(db, 'lastMembers')) ?? {}
    const before = all[memberKey]
    if (before !== undefined && before.id === info.id && before.name === info.name && before.role === info.role) return
    await writeSetting(db, 'lastMembers', { ...all, [memberKey]: info })
  }
  const stopMember =
    access?.onState((state) => {
      if (state.kind === 'granted') {
        lastKnown = state.grant.member
        void rememberMember(state.grant.member).catch(() => {})
      }
      if (state.kind === 'revoked') lastKnown = undefined
      member.set(memberStatusOf(state, lastKnown))
    }) ?? (() => {})
  if (access !== null) {
    void readSetting(db, 'lastMembers')
      .then((all) => {
        const remembered = all?.[memberKey]
        if (remembered === undefined || lastKnown !== undefined || access.state.kind === 'revoked') return
        lastKnown = remembered
        member.set(memberStatusOf(access.state, lastKnown))
      })
      .catch(() => {})
  }
  const connect =
    joined === null
      ? null
      : (doc: Y.Doc, room: string, known?: ServerConfirmed): DocConnection =>
          options.connect({ doc, room, server: joined.server, token: access ?? joined.token, user, ...(known !== undefined ? { known } : {}) })

  const indexDoc = new Y.Doc()
  const index = new SpaceIndex(indexDoc, { newId, now: options.now })
  const indexRoom = spaceIndexRoom(space)
  let indexConnection: DocConnection | null = null
  const indexPersistence = new DocPersistence({
    db,
    docId: indexRoom,
    doc: indexDoc,
    page,
    ...(options.journal !== undefined ? { journal: options.journal } : {}),
    storedElsewhere: (origin) => indexConnection?.fromServer(origin) ?? false,
  })
  let destroyed = false
  // The list shows local records at once; the network connection starts after they are read.
  void indexPersistence.whenLoaded.then(() => {
    if (!destroyed && connect !== null) {
      indexConnection = connect(indexDoc, indexRoom)
      stopIndexStatus = indexConnection.status.subscribe(updateStatus)
      updateStatus()
    }
  })
  let stopIndexStatus = (): void => {}

  // Meetings open in this session now (a count each: the same meeting may be opened twice).
  const openNow = new Map<string, number>()
  const replication =
    joined === null || options.replication === undefined
      ? null
      : startSpaceReplication({
          ...options.replication,
          ...(options.replication.fetchFn === undefined && options.fetchFn !== undefined ? { fetchFn: options.fetchFn } : {}),
          db,
          space,
          server: joined.server,
          token: access ?? joined.token,
          index,
          isOpen: (meetingId) => openNow.has(meetingId),
          now: options.now,
          onStored: () => void refreshLocal(),
          // A fetched meeting goes into the search index, if there is one yet, on its own.
          onMeetingStored: (meetingId) => {
            void searchIndex?.then(async (built) => {
              const doc = await readStoredMeeting(meetingId)
              built.upsert(meetingId, doc)
              doc.destroy()
            })
          },
        })
  const stopReplicationStatus = replication?.storageFull.subscribe(() => updateStatus()) ?? (() => {})
  // The first pass once the index is synced (its meetings are known), then one after each change.
  let indexSynced = false
  const onIndexStatus = (): void => {
    const kind = indexConnection?.status.get().kind
    if (indexSynced || (kind !== 'saved' && kind !== 'unsaved')) return
    indexSynced = true
    replication?.request(0)
  }
  const onIndexChange = (): void => {
    if (indexSynced) replication?.request()
  }

  const status = createStore<PanelStatus>(joined === null ? { kind: 'local' } : { kind: 'connecting', unsaved: 0 })
  // A full disk outranks the network, as in a meeting: it is what stops the copies.
  function updateStatus(): void {
    if (replication?.storageFull.get() === true) return status.set({ kind: 'storage-error', code: 'quota' })
    if (indexConnection !== null) status.set(indexConnection.status.get())
    onIndexStatus()
  }
  const meetings = createStore<readonly MeetingSummary[]>([])
  let localRecords: Awaited<ReturnType<typeof listMeetings>> = []

  const publish = (): void => {
    const synced = new Map(index.list().map((entry) => [entry.id, entry]))
    const byId = new Map<string, MeetingSummary>()
    for (const record of localRecords) {
      const entry = synced.get(record.id)
      byId.set(record.id, {
        id: record.id,
        title: entry?.title || record.title,
        group: entry?.group || record.group,
        date: entry?.date || record.date,
        updated: record.updated,
        localOnly: joined !== null && entry === undefined,
      })
    }
    for (const entry of synced.values()) {
      if (!byId.has(entry.id)) {
        byId.set(entry.id, { id: entry.id, title: entry.title, group: entry.group, date: entry.date, updated: entry.created, localOnly: false })
      }
    }
    meetings.set([...byId.values()].sort((a, b) => b.date.localeCompare(a.date) || b.updated - a.updated))
  }
  const refreshLocal = async (): Promise<void> => {
    localRecords = await listMeetings(db, space)
    if (!destroyed) publish()
  }
  index.on('change', publish)
  index.on('change', onIndexChange)
  void refreshLocal()

  const recordMeta = async (meetingId: string, meta: MeetingMeta): Promise<void> => {
    index.update(meetingId, { title: meta.title, group: meta.group, date: meta.date })
    const existing = await getMeeting(db, meetingId)
    if (existing?.title === meta.title && existing.group === meta.group && existing.date === meta.date) return
    await putMeeting(db, {
      id: meetingId,
      space,
      title: meta.title,
      group: meta.group,
      date: meta.date,
      updated: existing?.updated ?? options.now(),
    })
    await refreshLocal()
  }

  // Meetings created here and not opened yet: the first open seeds them (date, a first item).
  const unseeded = new Map<string, string>()
  // Meetings with a derived id (a call's, a series' next): seeded on every open, idempotently.
  const derivedSeeds = new Map<string, (doc: Y.Doc) => void>()

  // Search: built from what this browser stores on the first query, then kept up to date meeting
  // by meeting (an open meeting as it changes, a stored one when it is written).
  let searchIndex: Promise<MeetingSearchIndex> | null = null
  const readMeetingsStored = async (): Promise<Array<{ id: string; doc: Y.Doc }>> => {
    const records = await listMeetings(db, space)
    return Promise.all(records.map(async ({ id }) => ({ id, doc: await readStoredMeeting(id) })))
  }
  const readStoredMeeting = async (id: string): Promise<Y.Doc> => {
    const doc = new Y.Doc()
    const log = await readLog(db, meetingRoom(space, id))
    for (const update of log.updates) {
      try {
        Y.applyUpdate(doc, update, Origin.storage)
      } catch {
        // A damaged record: the meeting's session reports it; a read-only copy skips it.
      }
    }
    return doc
  }
  const buildSearchIndex = async (): Promise<MeetingSearchIndex> => {
    // Loaded on the first search, not with the panel (like the exporters).
    const { MeetingSearchIndex } = await import('../search')
    const built = new MeetingSearchIndex()
    for (const { id, doc } of await readMeetingsStored()) {
      built.upsert(id, doc)
      doc.destroy()
    }
    return built
  }
  const followInSearch = (session: MeetingSession): (() => void) => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const reindex = (): void => {
      timer ??= setTimeout(() => {
        timer = null
        void searchIndex?.then((built) => built.upsert(session.id, session.doc))
      }, 500)
    }
    session.doc.on('afterTransaction', reindex)
    return () => {
      session.doc.off('afterTransaction', reindex)
      if (timer !== null) clearTimeout(timer)
      void searchIndex?.then((built) => built.upsert(session.id, session.doc))
    }
  }

  const open = async (meetingId: string): Promise<MeetingSession> => {
    openNow.set(meetingId, (openNow.get(meetingId) ?? 0) + 1)
    let session: MeetingSession
    try {
      session = await openMeeting(meetingId)
    } catch (error) {
      closed(meetingId)
      throw error
    }
    const stopFollowing = followInSearch(session)
    let ended = false
    return {
      ...session,
      destroy: () => {
        if (!ended) closed(meetingId)
        ended = true
        stopFollowing()
        session.destroy()
      },
    }
  }
  const closed = (meetingId: string): void => {
    const count = (openNow.get(meetingId) ?? 1) - 1
    if (count > 0) openNow.set(meetingId, count)
    else openNow.delete(meetingId)
  }

  const openMeeting = (meetingId: string): Promise<MeetingSession> =>
    openMeetingSession({
      db,
      space,
      meetingId,
      page,
      ...(options.journal !== undefined ? { journal: options.journal } : {}),
      connect,
      mountEditor: options.mountEditor,
      self: user,
      onMeta: (meta) => void recordMeta(meetingId, meta),
      seed: (doc) => {
        derivedSeeds.get(meetingId)?.(doc)
        const date = unseeded.get(meetingId)
        if (date === undefined) return
        unseeded.delete(meetingId)
        seedMeeting(doc, meetingId, { items: [{ title: '' }], meta: { date } })
      },
    })

  return {
    status,
    meetings: meetings as ReadableStore<readonly MeetingSummary[]>,
    createMeeting: async () => {
      const created = options.now()
      const date = new Date(created).toISOString().slice(0, 10)
      const id = index.create({ title: '', group: '', date, createdBy: profile.displayName })
      await putMeeting(db, { id, space, title: '', group: '', date, updated: created })
      unseeded.set(id, date)
      await refreshLocal()
      return id
    },
    openMeeting: open,
    spaceId: space,
    ensureMeeting: async (id, fields, seed) => {
      derivedSeeds.set(id, seed)
      index.ensure(id, { ...fields, createdBy: profile.displayName })
      if ((await getMeeting(db, id)) === undefined) {
        await putMeeting(db, { id, space, ...fields, updated: options.now() })
        await refreshLocal()
      }
    },
    member,
    replication: replication?.progress ?? createStore<ReplicationProgress | null>(null),
    storageNearlyFull: replication?.nearlyFull ?? createStore<number | null>(null),
    members:
      joined === null
        ? null
        : membersApi({
            serverUrl: joined.server,
            space: joined.space,
            token: () => (access !== null ? access.current() || null : joined.token || null),
            ...(options.fetchFn !== undefined ? { fetchFn: options.fetchFn } : {}),
          }),
    search: async (query) => (await (searchIndex ??= buildSearchIndex())).search(query),
    readMeetings: readMeetingsStored,
    destroy: () => {
      destroyed = true
      stopMember()
      access?.destroy()
      replication?.destroy()
      stopReplicationStatus()
      index.off('change', publish)
      index.off('change', onIndexChange)
      index.destroy()
      stopIndexStatus()
      indexConnection?.destroy()
      void indexPersistence.destroy().finally(() => indexDoc.destroy())
    },
  }
}

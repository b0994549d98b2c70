import { createMeetingDoc, getMeta, observeMeta, type MeetingMeta } from '../doc'
import * as Y from 'yjs'
import {
  DocPersistence,
  readAdjustmentQueue,
  readConfirmed,
  writeAdjustmentQueue,
  writeConfirmed,
  type JournalStorage,
  type MinutesDatabase,
  type PageEvents,
  type StorageError,
} from '../storage'
import type { ServerConfirmed } from '../sync'
import { MessageType, type AdjustmentRequest } from '../protocol'
import type { AdjustmentRequests, MeetingSession, PanelStatus, PresencePeer } from './types'
import { createStore, type ReadableStore } from './store'
import type { ConnectDoc, DocConnection } from './doc-connection'
import { meetingRoom } from './meeting-room'
import type { MountEditor } from './mount-editor'

export interface OpenMeetingOptions {
  db: MinutesDatabase
  space: string
  meetingId: string
  page: PageEvents
  /** Synchronous journal ahead of IndexedDB (`localStorage` in the panel). */
  journal?: JournalStorage
  /** Null for a meeting of the local space: it never goes to a server. */
  connect: ((doc: ReturnType<typeof createMeetingDoc>, room: string, known?: ServerConfirmed) => DocConnection) | null
  mountEditor: MountEditor
  self: { name: string; color: string }
  /** Called with the header after every change, so the meeting lists can show it. */
  onMeta(meta: MeetingMeta): void
  /** Runs once on a brand-new meeting after its (empty) local content is loaded. */
  seed?: (doc: ReturnType<typeof createMeetingDoc>) => void
}

const storageStatus = (error: StorageError): PanelStatus => ({ kind: 'storage-error', code: error.code })

/**
 * Opens one meeting: local content first (IndexedDB), only then the network, so the meeting
 * shows offline and a slow server never delays it.
 */
export const openMeetingSession = async (options: OpenMeetingOptions): Promise<MeetingSession> => {
  const { db, space, meetingId, page } = options
  const doc = createMeetingDoc()
  // Connected after the local content is loaded, below.
  let connection: DocConnection | null = null
  const docId = meetingRoom(space, meetingId)
  const persistence = new DocPersistence({
    db,
    docId,
    doc,
    meetingId,
    page,
    ...(options.journal !== undefined ? { journal: options.journal } : {}),
    storedElsewhere: (origin) => connection?.fromServer(origin) ?? false,
  })
  const [, known] = await Promise.all([persistence.whenLoaded, options.connect === null ? undefined : readConfirmed(db, docId)])
  options.seed?.(doc)

  connection =
    options.connect?.(doc, docId, known === undefined ? undefined : { vector: Y.decodeStateVector(known.vector), pendingDeletions: known.pendingDeletions }) ?? null
  const remember = rememberConfirmed(db, docId, connection)
  const stopConfirmed = connection?.onConfirmed?.(remember.soon) ?? (() => {})
  const localStatus: ReadableStore<PanelStatus> = createStore<PanelStatus>({ kind: 'local' })
  const networkStatus = connection?.status ?? localStatus
  const selfOnly = createStore<readonly PresencePeer[]>([
    { clientId: doc.clientID, name: options.self.name, color: options.self.color, self: true, verified: false },
  ])

  // A storage error outranks whatever the network says: it is the one thing that can lose work.
  const status = createStore<PanelStatus>(networkStatus.get())
  const updateStatus = (): void => {
    status.set(persistence.error === null ? networkStatus.get() : storageStatus(persistence.error))
    // "Saved" was just reached or left: the moment a closing laptop must not miss.
    remember.now()
  }
  const stopNetwork = networkStatus.subscribe(updateStatus)
  persistence.on('error', updateStatus)
  updateStatus()

  const adjustment = connection === null ? null : adjustmentRequests(connection, db, docId)

  const stopMeta = observeMeta(doc, (meta) => options.onMeta(meta))
  options.onMeta(getMeta(doc))

  return {
    id: meetingId,
    doc,
    status,
    presence: connection?.presence ?? selfOnly,
    ...(connection?.reopen !== undefined ? { reopen: (reason: string, name?: string) => connection.reopen!(reason, name) } : {}),
    ...(adjustment !== null ? { adjustment } : {}),
    mountEditor: (mount) => options.mountEditor({ mount, doc, awareness: connection?.awareness ?? null, user: options.self }),
    destroy: () => {
      adjustment?.destroy()
      stopMeta()
      stopNetwork()
      persistence.off('error', updateStatus)
      stopConfirmed()
      remember.now()
      connection?.destroy()
      // Written out before the document goes away; the page may be closing, so do not wait.
      void persistence.destroy().finally(() => doc.destroy())
    },
  }
}

/** Connected states: a request sent now reaches the server. */
const CONNECTED: ReadonlySet<PanelStatus['kind']> = new Set(['syncing', 'unsaved', 'saved'])

/**
 * The adjustment as requests (SPEC J1): sent at once when connected, else kept (one of each
 * kind, the latest; an approval per person) and sent when the connection opens. What is kept
 * is in IndexedDB too, so an approval made offline survives closing the panel and goes out
 * from the next panel of the meeting that is online. The server's record is the answer, so
 * nothing here changes the document; a refusal is kept to be shown.
 */
const adjustmentRequests = (connection: DocConnection, db: MinutesDatabase, docId: string): AdjustmentRequests & { destroy(): void } => {
  const queued = createStore<readonly AdjustmentRequest[]>([])
  const refused = createStore<string | null>(null)
  const sameSlot = (a: AdjustmentRequest, b: AdjustmentRequest): boolean =>
    a.type === MessageType.approve && b.type === MessageType.approve ? a.personId === b.personId : a.type === b.type || (a.type !== MessageType.approve && b.type !== MessageType.approve)
  const trySend = (request: AdjustmentRequest): boolean => CONNECTED.has(connection.status.get().kind) && (connection.requestAdjustment?.(request) ?? false)
  let loaded = false
  // One write at a time, the newest list last: a slow write cannot overwrite a later one.
  let writing: Promise<void> = Promise.resolve()
  const keep = (requests: readonly AdjustmentRequest[]): void => {
    queued.set(requests)
    if (!loaded) return
    writing = writing.then(() => writeAdjustmentQueue(db, docId, requests)).catch(() => {})
  }
  const flush = (): void => {
    const waiting = queued.get()
    if (waiting.length === 0 || !CONNECTED.has(connection.status.get().kind)) return
    keep(waiting.filter((request) => !trySend(request)))
  }
  const stopStatus = connection.status.subscribe(flush)
  const stopRefused = connection.onAdjustmentRefused?.((reason) => refused.set(reason)) ?? (() => {})
  const ready = readAdjustmentQueue(db, docId).then((stored) => {
    loaded = true
    // Asked in this panel while the earlier ones loaded: the newer request wins its slot.
    const now = queued.get()
    keep([...stored.filter((old) => !now.some((request) => sameSlot(request, old))), ...now])
    flush()
  })
  return {
    queued,
    refused,
    ready,
    send: (request) => {
      refused.set(null)
      if (trySend(request)) {
        // Sent: an older request of the same slot kept from offline must not follow it.
        if (queued.get().some((waiting) => sameSlot(waiting, request))) keep(queued.get().filter((waiting) => !sameSlot(waiting, request)))
        return true
      }
      keep([...queued.get().filter((waiting) => !sameSlot(waiting, request)), request])
      return false
    },
    destroy: () => {
      stopStatus()
      stopRefused()
    },
  }
}

/** How often, at most, what the server confirmed is written while messages keep coming. */
const REMEMBER_INTERVAL_MS = 1_000

/**
 * Keeps what the server has confirmed for this document in IndexedDB, so a panel reopened
 * offline still counts only the changes the server lacks (not what others wrote and the
 * server sent). `soon` writes within `REMEMBER_INTERVAL_MS` of the server's last word (content
 * from others while the status stays "saved"), `now` at once (the status changed, or the
 * session ends); a write happens only when it changed, one at a time. Left
 * behind, the record only over-counts: it never makes the panel say "saved".
 */
const rememberConfirmed = (db: MinutesDatabase, docId: string, connection: DocConnection | null) => {
  let timer: ReturnType<typeof setTimeout> | null = null
  let written = ''
  let writing = false
  let again = false
  const write = (): void => {
    const confirmed = connection?.confirmed?.()
    if (confirmed === undefined) return
    const vector = Y.encodeStateVector(confirmed.vector)
    const key = `${vector.join(',')}|${confirmed.pendingDeletions}`
    if (key === written) return
    if (writing) {
      again = true
      return
    }
    writing = true
    written = key
    void writeConfirmed(db, { docId, vector, pendingDeletions: confirmed.pendingDeletions })
      .catch(() => {
        written = '' // try again on the next change; the count is a courtesy, the content is safe
      })
      .finally(() => {
        writing = false
        if (again) {
          again = false
          write()
        }
      })
  }
  return {
    soon: (): void => {
      timer ??= setTimeout(() => {
        timer = null
        write()
      }, REMEMBER_INTERVAL_MS)
    },
    now: (): void => {
      if (timer !== null) clearTimeout(timer)
      timer = null
      write()
    },
  }
}

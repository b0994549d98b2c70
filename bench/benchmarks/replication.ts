import 'fake-indexeddb/auto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deleteDB } from 'idb'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { createMeetingDoc, setMetaFields } from '../../src/doc'
import { Origin } from '../../src/doc/origins'
import { meetingRoom } from '../../src/session/meeting-room'
import { startSpaceReplication } from '../../src/session/space-replication'
import { listMeetings, openMinutesDatabase } from '../../src/storage'
import { SpaceIndex } from '../../src/sync'
import { openSqliteStore } from '../../sync-server/persistence/sqlite-store'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { startPeer } from '../lib/servers'
import { fmt } from '../lib/stats'
import { barChart } from '../lib/svg'

const SPACE = 'bench-space'
const GOAL_SECONDS = 30

/** A meeting of about the size the seeds have: a header and ~2 KB of notes written in 40 edits. */
const meetingUpdate = (i: number): Uint8Array => {
  const doc = createMeetingDoc()
  setMetaFields(doc, { title: `LG ${i}`, group: 'LG', date: '2024-05-02' })
  const notes = doc.getText('notes')
  for (let edit = 0; edit < 40; edit++) {
    doc.transact(() => notes.insert(notes.length, `Punkt ${edit}: beslut om budget och bemanning för meeting ${i}. `), Origin.localForm)
  }
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** `WebSocket` from `ws` counting sockets alive at once (construction to close) and bytes received. */
const countingWebSocket = () => {
  const counts = { opened: 0, alive: 0, peak: 0, bytesIn: 0 }
  class CountingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols)
      counts.opened++
      counts.alive++
      counts.peak = Math.max(counts.peak, counts.alive)
      this.on('message', (data: Buffer | ArrayBuffer) => (counts.bytesIn += data.byteLength))
      this.once('close', () => counts.alive--)
    }
  }
  return { WebSocket: CountingWebSocket as unknown as typeof globalThis.WebSocket, counts }
}

interface PassResult {
  label: string
  sockets: number
  ms: number
  peak: number
  bytesIn: number
  stampsBytes: number
  serverCpuMs: number
  stored: number
}

/**
 * Background replication (SPEC R2): a client with an empty IndexedDB (fake-indexeddb in this
 * process) replicates every meeting of a space from our server, through the panel's own
 * replication module (`startSpaceReplication`: stamps, local copy, stock y-websocket sync,
 * one IndexedDB transaction per meeting). Then a second pass with nothing changed, and one
 * after 10 meetings changed.
 */
export const runReplicationBench = async (ctx: BenchContext): Promise<Section> => {
  const count = ctx.quick ? 100 : 500
  const widths = ctx.quick ? [3] : [1, 3, 6]
  const dataDir = mkdtempSync(join(tmpdir(), 'minutes-bench-replication-'))
  try {
    progress(`replication: writing ${count} meetings into the store`)
    const store = openSqliteStore(dataDir)
    const indexDoc = new Y.Doc()
    const index = new SpaceIndex(indexDoc)
    const ids = Array.from({ length: count }, (_, i) => `m-${i}`)
    const entries = ids.map((id, i) => {
      index.ensure(id, { title: `LG ${i}`, group: 'LG', date: '2024-05-02', createdBy: 'bench' })
      return { room: meetingRoom(SPACE, id), update: meetingUpdate(i) }
    })
    const storedBytes = entries.reduce((n, e) => n + e.update.byteLength, 0)
    await store.append(entries)
    await store.close()

    const server = await startPeer('ours', { dataDir, args: ['--room-grace-ms', '0'] })
    const results: PassResult[] = []
    try {
      for (const width of widths) {
        const dbName = `minutes-bench-replication-${width}`
        const db = await openMinutesDatabase(dbName)
        const sockets = countingWebSocket()
        let stampsBytes = 0
        const fetchFn: typeof fetch = async (input, init) => {
          const response = await fetch(input, init)
          const body = await response.arrayBuffer()
          stampsBytes += body.byteLength
          return new Response(body, { status: response.status, headers: response.headers })
        }
        const replication = startSpaceReplication({
          db,
          space: SPACE,
          server: server.url,
          token: ctx.token,
          index,
          isOpen: () => false,
          now: Date.now,
          onStored: () => {},
          WebSocketPolyfill: sockets.WebSocket,
          fetchFn,
          maxConnections: width,
          intervalMs: 3_600_000,
        })
        const pass = async (label: string): Promise<void> => {
          const before = { ...sockets.counts }
          const stampsBefore = stampsBytes
          sockets.counts.peak = sockets.counts.alive
          const cpuBefore = server.sample().cpuMs
          const started = performance.now()
          await replication.runNow()
          const ms = performance.now() - started
          // The server's CPU is read after its sockets closed (its close handling is part of the work).
          await new Promise((resolve) => setTimeout(resolve, 100))
          results.push({
            label,
            sockets: sockets.counts.opened - before.opened,
            ms,
            peak: sockets.counts.peak,
            bytesIn: sockets.counts.bytesIn - before.bytesIn,
            stampsBytes: stampsBytes - stampsBefore,
            serverCpuMs: server.sample().cpuMs - cpuBefore,
            stored: (await listMeetings(db, SPACE)).length,
          })
        }
        progress(`replication: ${count} meetings into a fresh client, ${width} at a time`)
        await pass(`${count} meetings, fresh client, ${width} at a time`)
        if (width === 3) {
          progress('replication: a second pass with nothing changed, then one with 10 changed')
          await pass('second pass, nothing changed')
          await changeMeetings(server.url, ctx.token, ids.slice(0, 10))
          await pass('third pass, 10 meetings changed')
        }
        replication.destroy()
        db.close()
        await deleteDB(dbName)
      }
    } finally {
      await server.stop()
    }

    const fresh = results.find((r) => r.label.includes('3 at a time'))!
    return {
      id: 'replication',
      title: '12. Background replication: a fresh client fetches a space',
      method: `${count} meetings (header and ~2.4 KB of notes in 40 edits each, ${fmt(storedBytes / 1024, 0)} KiB stored in all) written into our server's SQLite file before it starts, with the space's index. The panel's replication module (\`src/session/space-replication.ts\` over \`src/sync/replication.ts\`) runs in the harness process on fake-indexeddb: \`GET /stamps\`, then each meeting over the stock y-websocket protocol (local copy first, sync, one IndexedDB transaction), N sockets at a time. Sockets are counted from construction to close (a closing socket still counts); bytes are WebSocket message payloads received plus the stamps answer; server CPU is user + system time of its process over the pass.`,
      tables: [
        table(
          ['pass', 'sockets opened', 'time s', 'peak sockets', 'WebSocket KiB in', 'stamps KiB', 'server CPU ms', 'meetings stored'],
          results.map((r) => [
            r.label,
            fmt(r.sockets, 0),
            fmt(r.ms / 1000, 2),
            fmt(r.peak, 0),
            fmt(r.bytesIn / 1024, 0),
            fmt(r.stampsBytes / 1024, 1),
            fmt(r.serverCpuMs, 0),
            fmt(r.stored, 0),
          ]),
        ),
      ],
      goals: [
        {
          text: `${count} meetings replicated into a fresh client within ${GOAL_SECONDS} s with at most 3 sockets`,
          ok: fresh.ms / 1000 < GOAL_SECONDS && fresh.peak <= 3 && fresh.stored === count,
          detail: `${fmt(fresh.ms / 1000, 2)} s, peak ${fresh.peak} sockets, ${fresh.stored} stored`,
        },
      ],
      notes: [
        'A pass with nothing changed costs one `GET /stamps` and no socket. Stamps are the newest row id of each room, so a compaction on the server costs one extra fetch of that meeting, which then transfers only state vectors.',
        'The panel runs the same code against the browser\'s IndexedDB; fake-indexeddb in Node is slower than Chromium\'s for many small transactions, so the client side here is an upper bound.',
      ],
      chart: {
        file: 'replication.svg',
        svg: barChart('Replication: time for the pass (s)', 's', results.map((r) => r.label), [{ name: 'time', values: results.map((r) => r.ms / 1000) }]),
      },
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Appends a line to each meeting through a stock client, as a member typing elsewhere would. */
const changeMeetings = async (url: string, token: string, ids: readonly string[]): Promise<void> => {
  const { WebsocketProvider } = await import('y-websocket')
  for (const id of ids) {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(url, meetingRoom(SPACE, id), doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    })
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
    doc.getText('notes').insert(0, 'Changed. ')
    // The server answers a sync step 1 only once the update is stored (SPEC D1): a second client's sync proves it.
    const check = new Y.Doc()
    const reader = new WebsocketProvider(url, meetingRoom(SPACE, id), check, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    })
    await new Promise<void>((resolve) => {
      const done = (): void => {
        if (!check.getText('notes').toString().startsWith('Changed. ')) return
        check.off('update', done)
        resolve()
      }
      check.on('update', done)
      done()
    })
    reader.destroy()
    provider.destroy()
  }
}

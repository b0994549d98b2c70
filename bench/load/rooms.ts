import * as Y from 'yjs'
import { quantile, max } from '../lib/stats'
import { connectAll, connectClient, newCounters, sleep, type BenchClient } from './clients'
import type { IdleResult, IdleTask, ManyRoomsResult, ManyRoomsTask } from './task'

/** Idle attendees per room (our server accepts 200 connections a room, SPEC H3). */
const IDLE_ROOM_SIZE = 50

/**
 * Benchmark 3: idle attendees in one room, then loaded rooms with one attendee each, then
 * everyone leaves. The harness samples the server's memory at every mark.
 */
export const runIdle = async (task: IdleTask, mark: (name: string) => Promise<void>): Promise<IdleResult> => {
  const counters = newCounters()
  const target = { kind: task.client, url: task.url, token: task.token, counters }
  await mark('baseline')
  const idle = await connectAll(
    Array.from({ length: task.idleClients }, (_, i) => () => connectClient({ ...target, room: `idle-room-${Math.floor(i / IDLE_ROOM_SIZE)}` })),
    100,
    30_000,
  )
  await sleep(task.settleMs)
  await mark('idle-clients')
  const content = Buffer.from(task.roomContentBase64, 'base64')
  const loaded = await connectAll(
    Array.from({ length: task.loadedRooms }, (_, i) => () => connectClient({ ...target, room: `loaded-${i}` })),
    50,
    30_000,
  )
  for (const client of loaded) Y.applyUpdate(client.doc, content)
  await sleep(task.settleMs)
  await mark('loaded-rooms')
  for (const client of [...idle, ...loaded]) client.destroy()
  // Our rooms unload after a 2 s grace (SPEC D5); Hocuspocus stores, then unloads.
  await sleep(Math.max(task.settleMs, 4_000))
  await mark('left')
  return { kind: 'idle' }
}

/** Benchmark 5: one attendee in each of many rooms, joining evenly spread over a window. */
export const runManyRooms = async (task: ManyRoomsTask, mark: (name: string) => Promise<void>): Promise<ManyRoomsResult> => {
  const counters = newCounters()
  const clients: BenchClient[] = []
  const syncedMs: number[] = []
  let failed = 0
  await mark('before')
  const started = performance.now()
  const spacing = task.joinWindowMs / task.rooms
  const waits: Array<Promise<void>> = []
  for (let i = 0; i < task.rooms; i++) {
    const due = started + i * spacing
    const delay = due - performance.now()
    if (delay > 1) await sleep(delay)
    const joinedAt = performance.now()
    const client = connectClient({ kind: task.client, url: task.url, token: task.token, counters, room: `many-${i}` })
    clients.push(client)
    waits.push(
      client.whenSynced(60_000).then(
        () => {
          syncedMs.push(performance.now() - joinedAt)
          // One keystroke, so every room holds a document (and ours writes it).
          client.doc.getText('minutes').insert(0, 'x')
        },
        () => {
          failed++
        },
      ),
    )
  }
  await Promise.all(waits)
  const allSyncedMs = performance.now() - started
  await sleep(1_000)
  await mark('joined')
  for (const client of clients) client.destroy()
  return {
    kind: 'many-rooms',
    allSyncedMs,
    syncedMs: { p50: quantile(syncedMs, 0.5), p99: quantile(syncedMs, 0.99), max: max(syncedMs) },
    failed,
  }
}

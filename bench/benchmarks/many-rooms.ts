import { runLoad } from '../lib/load'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { clientKindOf, PEER_LABEL, startPeer, type PeerKind } from '../lib/servers'
import { fmt, ratio } from '../lib/stats'
import { barChart } from '../lib/svg'
import type { ManyRoomsResult } from '../load/task'

const PEERS: PeerKind[] = ['ours', 'hocuspocus', 'reference']

/** Benchmark 5: one client in each of many rooms, all joining within a few seconds. */
export const runManyRoomsBench = async (ctx: BenchContext): Promise<Section> => {
  const rooms = ctx.quick ? 300 : 5_000
  const joinWindowMs = ctx.quick ? 1_000 : 5_000
  const rows: Array<{ peer: PeerKind; result: ManyRoomsResult; rssBefore: number; rssAfter: number; cpuMs: number }> = []
  for (const peer of PEERS) {
    progress(`many rooms: ${peer} (${fmt(rooms, 0)} rooms joining within ${fmt(joinWindowMs / 1000, 0)} s)`)
    const server = await startPeer(peer)
    try {
      let before = server.sample()
      let after = before
      const result = await runLoad<ManyRoomsResult>(
        { kind: 'many-rooms', client: clientKindOf(peer), url: server.url, token: ctx.token, rooms, joinWindowMs },
        (name) => {
          if (name === 'before') before = server.sample()
          if (name === 'joined') after = server.sample()
        },
        180_000,
      )
      rows.push({ peer, result, rssBefore: before.rssBytes, rssAfter: after.rssBytes, cpuMs: after.cpuMs - before.cpuMs })
      progress(`  all synced after ${fmt(result.allSyncedMs, 0)} ms, ${result.failed} failed`)
    } finally {
      await server.stop()
    }
  }
  const ours = rows.find((r) => r.peer === 'ours')!
  return {
    id: 'many-rooms',
    title: '5. Many rooms: one client each, joining within seconds',
    method: `${fmt(rooms, 0)} clients, one per room, started evenly over ${fmt(joinWindowMs / 1000, 0)} s from one load process; each types one character once synced (so every room holds a document and ours writes it). Time from the first connect to the last synced; server RSS and CPU from /proc.`,
    tables: [
      table(
        ['server', 'all synced after ms', 'connect→synced p50 ms', 'p99 ms', 'max ms', 'failed', 'server CPU ms', 'RSS before MB', 'RSS with rooms MB', 'KB per room', 'all-synced ours/peer', 'KB/room ours/peer'],
        rows.map((r) => {
          const perRoom = (r.rssAfter - r.rssBefore) / 1024 / rooms
          const oursPerRoom = (ours.rssAfter - ours.rssBefore) / 1024 / rooms
          return [
            PEER_LABEL[r.peer],
            fmt(r.result.allSyncedMs, 0),
            fmt(r.result.syncedMs.p50),
            fmt(r.result.syncedMs.p99),
            fmt(r.result.syncedMs.max),
            String(r.result.failed),
            fmt(r.cpuMs, 0),
            fmt(r.rssBefore / 2 ** 20),
            fmt(r.rssAfter / 2 ** 20),
            fmt(perRoom),
            r.peer === 'ours' ? '' : ratio(ours.result.allSyncedMs, r.result.allSyncedMs),
            r.peer === 'ours' ? '' : ratio(oursPerRoom, perRoom),
          ]
        }),
      ),
    ],
    goals: [{ text: 'every client synced', ok: rows.every((r) => r.result.failed === 0), detail: rows.map((r) => `${r.peer}: ${r.result.failed} failed`).join(', ') }],
    notes: [`The joins are paced evenly over the window, so "all synced" cannot be below ${fmt(joinWindowMs, 0)} ms; what counts is how far past the window the last client synced, and connect→synced per client.`],
    chart: {
      file: 'many-rooms.svg',
      svg: barChart(`Many rooms (${fmt(rooms, 0)}): connect → synced`, 'ms', ['p50', 'p99', 'max'], rows.map((r) => ({ name: PEER_LABEL[r.peer], values: [r.result.syncedMs.p50, r.result.syncedMs.p99, r.result.syncedMs.max] }))),
    },
  }
}

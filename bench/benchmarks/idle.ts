import * as Y from 'yjs'
import { runLoad } from '../lib/load'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { clientKindOf, metricValue, PEER_LABEL, startPeer, type PeerKind } from '../lib/servers'
import { fmt, ratio } from '../lib/stats'
import { barChart } from '../lib/svg'
import { keystrokes, loadTrace } from '../lib/traces'
import type { IdleResult } from '../load/task'

const PEERS: PeerKind[] = ['ours', 'hocuspocus', 'reference']

/** A realistic room: the `sequential-friendsforever_flat` session typed into one Y.Text. */
const roomContent = (): Uint8Array => {
  const doc = new Y.Doc()
  const text = doc.getText('minutes')
  for (const [position, deleted, inserted] of keystrokes(loadTrace('sequential-friendsforever_flat'))) {
    if (deleted > 0) text.delete(position, deleted)
    if (inserted !== '') text.insert(position, inserted)
  }
  return Y.encodeStateAsUpdate(doc)
}

interface IdleRow {
  peer: PeerKind
  rss: Record<string, number>
  roomsLoadedAfterLeave?: number
}

/** Benchmark 3: memory per idle client, per loaded room, and what comes back when everyone leaves. */
export const runIdleBench = async (ctx: BenchContext): Promise<Section> => {
  const idleClients = ctx.quick ? 100 : 1_000
  const loadedRooms = ctx.quick ? 50 : 500
  const content = roomContent()
  const rows: IdleRow[] = []
  for (const peer of PEERS) {
    progress(`idle cost: ${peer} (${idleClients} idle clients, ${loadedRooms} loaded rooms)`)
    const server = await startPeer(peer)
    try {
      const rss: Record<string, number> = {}
      let roomsLoadedAfterLeave: number | undefined
      await runLoad<IdleResult>(
        {
          kind: 'idle',
          client: clientKindOf(peer),
          url: server.url,
          token: ctx.token,
          idleClients,
          loadedRooms,
          roomContentBase64: Buffer.from(content).toString('base64'),
          settleMs: ctx.quick ? 500 : 3_000,
        },
        async (name) => {
          rss[name] = server.sample().rssBytes
          if (name === 'left' && peer === 'ours') roomsLoadedAfterLeave = metricValue(await server.metrics(), 'minutes_rooms_loaded')
        },
        180_000,
      )
      rows.push({ peer, rss, roomsLoadedAfterLeave })
    } finally {
      await server.stop()
    }
  }
  const kb = (bytes: number) => bytes / 1024
  const derived = rows.map((row) => {
    const base = row.rss.baseline!
    const idle = row.rss['idle-clients']!
    const loaded = row.rss['loaded-rooms']!
    const left = row.rss.left!
    const perClient = kb(idle - base) / idleClients
    const perRoom = kb(loaded - idle) / loadedRooms - perClient
    const givenBack = loaded - idle === 0 ? Number.NaN : (loaded - left) / (loaded - base)
    return { row, perClient, perRoom, givenBack, base, loaded, left }
  })
  const ours = derived.find((d) => d.row.peer === 'ours')!
  return {
    id: 'idle',
    title: '3. Idle cost: memory per connected client and per loaded room',
    method: `Server RSS (from /proc) at four marks: started; ${fmt(idleClients, 0)} idle clients in rooms of 50; plus ${fmt(loadedRooms, 0)} rooms each holding a ${fmt(content.byteLength / 1024)} KB document (the \`friendsforever_flat\` session) with one client; then 4 s after everyone left (ours unloads a room 2 s after its last client). Per room = growth per room minus one client.`,
    tables: [
      table(
        ['server', 'RSS at start MB', 'KB per idle client', 'KB per loaded room', 'RSS loaded MB', 'RSS after leave MB', 'given back', 'KB/client ours/peer', 'KB/room ours/peer'],
        derived.map((d) => [
          PEER_LABEL[d.row.peer],
          fmt(d.base / 2 ** 20),
          fmt(d.perClient),
          fmt(d.perRoom),
          fmt(d.loaded / 2 ** 20),
          fmt(d.left / 2 ** 20),
          `${fmt(d.givenBack * 100, 0)} %`,
          d.row.peer === 'ours' ? '' : ratio(ours.perClient, d.perClient),
          d.row.peer === 'ours' ? '' : ratio(ours.perRoom, d.perRoom),
        ]),
      ),
    ],
    goals: [
      {
        text: 'a room leaves memory after its clients leave (ours: `minutes_rooms_loaded` back to 0)',
        ok: ours.row.roomsLoadedAfterLeave === 0,
        detail: `${ours.row.roomsLoadedAfterLeave ?? '?'} rooms loaded 4 s after the last client left`,
      },
    ],
    notes: ['RSS is what the OS sees: V8 gives pages back lazily, so "given back" under-reads what the server released; the loaded-room gauge of our server is the exact check.'],
    chart: {
      file: 'idle.svg',
      svg: barChart('Idle cost: KB per idle client and per loaded room', 'KB', ['per idle client', 'per loaded room'], derived.map((d) => ({ name: PEER_LABEL[d.row.peer], values: [d.perClient, d.perRoom] }))),
    },
  }
}

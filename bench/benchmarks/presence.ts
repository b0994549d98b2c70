import { runLoad } from '../lib/load'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { clientKindOf, PEER_LABEL, startPeer, type PeerKind } from '../lib/servers'
import { fmt, ratio } from '../lib/stats'
import { barChart } from '../lib/svg'
import type { PresenceResult } from '../load/task'

const PEERS: PeerKind[] = ['ours', 'hocuspocus', 'reference']
const HZ = 20
const MAX_MOVERS = 10

/** Benchmark 6: presence traffic of idle rooms and of moving cursors, counted at the clients. */
export const runPresenceBench = async (ctx: BenchContext): Promise<Section> => {
  const sizes = ctx.quick ? [10] : [10, 50]
  const idleMs = ctx.quick ? 2_000 : 30_000
  const movingMs = ctx.quick ? 1_500 : 5_000
  const rows: Array<{ peer: PeerKind; attendees: number; result: PresenceResult }> = []
  for (const attendees of sizes) {
    for (const peer of PEERS) {
      progress(`presence: ${peer}, ${attendees} attendees (${fmt(idleMs / 1000, 0)} s idle, ${fmt(movingMs / 1000, 0)} s moving)`)
      const server = await startPeer(peer)
      try {
        const result = await runLoad<PresenceResult>(
          { kind: 'presence', client: clientKindOf(peer), url: server.url, token: ctx.token, attendees, idleMs, movingMs, movers: Math.min(attendees, MAX_MOVERS), hz: HZ },
          () => undefined,
          idleMs + movingMs + 120_000,
        )
        rows.push({ peer, attendees, result })
      } finally {
        await server.stop()
      }
    }
  }
  const body = rows.map((r) => {
    const ours = rows.find((o) => o.peer === 'ours' && o.attendees === r.attendees)!
    const peer = r.peer !== 'ours'
    return [
      String(r.attendees),
      PEER_LABEL[r.peer],
      fmt(r.result.idle.inPerSecond),
      fmt(r.result.idle.outPerSecond),
      fmt(r.result.moving.inPerSecond),
      fmt(r.result.moving.outPerSecond),
      peer ? ratio(ours.result.idle.inPerSecond + ours.result.idle.outPerSecond, r.result.idle.inPerSecond + r.result.idle.outPerSecond) : '',
      peer ? ratio(ours.result.moving.inPerSecond + ours.result.moving.outPerSecond, r.result.moving.inPerSecond + r.result.moving.outPerSecond) : '',
    ]
  })
  const largest = sizes.at(-1)!
  return {
    id: 'presence',
    title: '6. Presence: idle attendees, then cursors moving',
    method: `N attendees in one room, each with a name and colour in its awareness state. ${fmt(idleMs / 1000, 0)} s idle (${idleMs >= 30_000 ? 'two' : 'less than one'} 15 s renewal cycle${idleMs >= 30_000 ? 's' : ''} of the stock client), then ${Math.min(largest, MAX_MOVERS)} of them (all when N ≤ ${MAX_MOVERS}) move their cursor at ${HZ} Hz for ${fmt(movingMs / 1000, 0)} s. WebSocket frames sent by all clients = the server's messages in; received = its messages out.`,
    tables: [table(['attendees', 'server', 'idle: in/s', 'idle: out/s', 'moving: in/s', 'moving: out/s', 'idle in+out ours/peer', 'moving in+out ours/peer'], body)],
    goals: [],
    notes: [
      `An idle room of stock y-websocket clients is N²-shaped when the server relays every awareness frame: every client re-sends each entry it receives, and the server forwards those echoes again. Ours forwards an entry only when its clock advanced (SPEC P3). The issue asks for 60 s of idle; ${fmt(idleMs / 1000, 0)} s is used to keep the full run within 15 minutes.`,
      `With M attendees moving at ${HZ} Hz, in ≈ M × ${HZ} and out ≈ M × ${HZ} × (N − 1) is the floor for any server that forwards every cursor move.`,
    ],
    chart: {
      file: 'presence.svg',
      svg: barChart(
        'Presence: server messages out per second',
        'messages out / s',
        sizes.flatMap((n) => [`${n} idle`, `${n} moving`]),
        PEERS.map((peer) => ({
          name: PEER_LABEL[peer],
          values: sizes.flatMap((n) => {
            const r = rows.find((x) => x.peer === peer && x.attendees === n)!
            return [r.result.idle.outPerSecond, r.result.moving.outPerSecond]
          }),
        })),
      ),
    },
  }
}

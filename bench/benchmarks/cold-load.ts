import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { openSqliteStore } from '../../sync-server/persistence/sqlite-store'
import { connectClient, newCounters, sleep } from '../load/clients'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { startPeer } from '../lib/servers'
import { fmt, median, ratio } from '../lib/stats'
import { barChart } from '../lib/svg'
import { keystrokes, loadTrace } from '../lib/traces'

const GOAL_MS = 20

/** The first `count` keystrokes of the B4 trace as separate V1 updates, and the resulting document. */
const keystrokeUpdates = (count: number): { updates: Uint8Array[]; snapshot: Uint8Array } => {
  const doc = new Y.Doc()
  const text = doc.getText('minutes')
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (const [position, deleted, inserted] of keystrokes(loadTrace('sequential-automerge-paper')).slice(0, count)) {
    doc.transact(() => {
      if (deleted > 0) text.delete(position, deleted)
      if (inserted !== '') text.insert(position, inserted)
    })
  }
  return { updates, snapshot: Y.encodeStateAsUpdate(doc) }
}

/**
 * Benchmark 4: rooms with N stored updates written straight into our server's SQLite file
 * (through its own store module, as the server writes them), and the same rooms compacted
 * into one snapshot (what the store's compaction writes). Then connect → synced with a stock
 * client, each room unloaded between tries (grace 0).
 */
export const runColdLoadBench = async (ctx: BenchContext): Promise<Section> => {
  const sizes = ctx.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000]
  const tries = ctx.quick ? 3 : 5
  const dataDir = mkdtempSync(join(tmpdir(), 'minutes-bench-cold-'))
  const stored: Array<{ size: number; bytes: number; snapshotBytes: number }> = []
  try {
    const store = openSqliteStore(dataDir)
    for (const size of sizes) {
      progress(`cold load: writing ${fmt(size, 0)} stored updates (and a compacted copy)`)
      const { updates, snapshot } = keystrokeUpdates(size)
      await store.append(updates.map((update) => ({ room: `log-${size}`, update })))
      await store.append(updates.map((update) => ({ room: `compacted-${size}`, update })))
      await store.compact(`compacted-${size}`, snapshot)
      stored.push({ size, bytes: updates.reduce((n, u) => n + u.byteLength, 0), snapshotBytes: snapshot.byteLength })
    }
    await store.close()

    const server = await startPeer('ours', { dataDir, args: ['--room-grace-ms', '0'] })
    const counters = newCounters()
    const connectMs = async (room: string): Promise<number> => {
      const started = performance.now()
      const client = connectClient({ kind: 'y-websocket', url: server.url, room, token: ctx.token, counters })
      await client.whenSynced(60_000)
      const ms = performance.now() - started
      client.destroy()
      await sleep(200) // the room unloads (grace 0) before the next try
      return ms
    }
    const results: Array<{ size: number; log: number; compacted: number }> = []
    try {
      await connectMs('warm-up') // JIT and the first socket, not counted
      for (const { size } of stored) {
        progress(`cold load: ${fmt(size, 0)} updates, ${tries} tries before and after compaction`)
        const log: number[] = []
        const compacted: number[] = []
        for (let i = 0; i < tries; i++) {
          log.push(await connectMs(`log-${size}`))
          compacted.push(await connectMs(`compacted-${size}`))
        }
        results.push({ size, log: median(log), compacted: median(compacted) })
      }
    } finally {
      await server.stop()
    }
    const tenK = results.find((r) => r.size === 10_000)
    return {
      id: 'cold-load',
      title: '4. Cold load: connect → synced for a room with N stored updates',
      method: `Rooms written into our server's SQLite file through its own store module before it starts: N keystroke updates of the B4 trace (one row each), and the same N compacted into one snapshot. Stock y-websocket client in the harness process, connect → synced (sync step 2 applied), median of ${tries} tries; the room is unloaded between tries (\`--room-grace-ms 0\`), so every try loads from SQLite.`,
      tables: [
        table(
          ['stored updates', 'log bytes', 'snapshot bytes', 'before compaction ms', 'after compaction ms', 'after/before'],
          results.map((r) => {
            const s = stored.find((x) => x.size === r.size)!
            return [fmt(r.size, 0), fmt(s.bytes, 0), fmt(s.snapshotBytes, 0), fmt(r.log), fmt(r.compacted), ratio(r.compacted, r.log)]
          }),
        ),
      ],
      goals: [{ text: `cold load of a 10,000-update room under ${GOAL_MS} ms after compaction`, ok: tenK === undefined ? undefined : tenK.compacted < GOAL_MS, detail: tenK === undefined ? 'not run' : `${fmt(tenK.compacted)} ms` }],
      notes: ['The server compacts a room after a commit that takes it past `--compact-threshold` (default 500), so a room that is written to never keeps a log this long; the "before" column is the worst case of a room that was not written since it grew.'],
      chart: {
        file: 'cold-load.svg',
        svg: barChart('Cold load: connect → synced (median ms)', 'ms', results.map((r) => `${fmt(r.size, 0)} updates`), [
          { name: 'stored as a log', values: results.map((r) => r.log) },
          { name: 'compacted', values: results.map((r) => r.compacted) },
        ]),
      },
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

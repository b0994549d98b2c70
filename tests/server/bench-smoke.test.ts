import { describe, expect, it } from 'vitest'
import { replayB4 } from '../../bench/benchmarks/calibration'
import { measureFanout } from '../../bench/lib/fanout-run'
import { benchToken } from '../../bench/lib/servers'

// The benchmark harness (`npm run bench`) is not part of the test run; this checks that its
// smallest pieces still run against our server and produce sane numbers.
describe('benchmark harness smoke', () => {
  it('replays a slice of the B4 trace into a Y.Doc', () => {
    const result = replayB4(5_000)
    expect(result.edits).toBe(5_000)
    expect(result.v2Bytes).toBeGreaterThan(1_000)
    expect(result.ms).toBeGreaterThan(0)
  })

  it('measures a 1 room × 2 clients fan-out against our server in its own process', async () => {
    const row = await measureFanout('ours', { rooms: 1, clients: 2, keysPerSecond: 10 }, { durationMs: 1_000, drainMs: 500, cursorHz: 5 }, await benchToken(), 1)
    expect(row.result.measured).toBeGreaterThan(3)
    expect(row.result.delivered).toBe(row.result.expected)
    expect(row.result.latencyMs.p50).toBeGreaterThan(0)
    expect(row.result.latencyMs.max).toBeLessThan(1_000)
    expect(row.cpuMsPer1000).toBeGreaterThan(0)
    expect(row.rssMb).toBeGreaterThan(10)
  }, 30_000)
})

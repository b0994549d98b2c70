import { measureFanout, offeredDeliveries, stepLabel, type FanoutRow, type FanoutStep } from '../lib/fanout-run'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { PEER_LABEL, type PeerKind } from '../lib/servers'
import { fmt, ratio } from '../lib/stats'
import { barChart } from '../lib/svg'
import { fanoutTiming } from './fanout'

const STEPS: FanoutStep[] = [
  { rooms: 20, clients: 5, keysPerSecond: 10 },
  { rooms: 20, clients: 10, keysPerSecond: 20 },
]

/** Benchmark 2: ours with SQLite FULL + group commit against ours with `--store memory`, alternating. */
export const runDurabilityBench = async (ctx: BenchContext): Promise<Section> => {
  const steps = ctx.quick ? STEPS.slice(1) : STEPS
  const timing = fanoutTiming(ctx.quick)
  const rows: FanoutRow[] = []
  for (const [i, step] of steps.entries()) {
    const order: PeerKind[] = i % 2 === 0 ? ['ours', 'ours-memory'] : ['ours-memory', 'ours']
    for (const peer of order) {
      progress(`durability ${stepLabel(step)}: ${peer}`)
      rows.push(await measureFanout(peer, step, timing, ctx.token, 200 + i))
    }
  }
  const body: string[][] = []
  const checks: Array<{ ok: boolean; text: string }> = []
  for (const step of steps) {
    const full = rows.find((r) => r.peer === 'ours' && r.step === step)!
    const memory = rows.find((r) => r.peer === 'ours-memory' && r.step === step)!
    const cost = 1 - full.deliveredPerSecond / memory.deliveredPerSecond
    checks.push({
      ok: cost <= 0.1,
      text: `${stepLabel(step)}: FULL ${fmt(full.deliveredPerSecond, 0)} vs memory ${fmt(memory.deliveredPerSecond, 0)} deliveries/s (${cost > 0 ? `${fmt(cost * 100)} % less` : 'no loss'}), CPU ${ratio(full.cpuMsPer1000, memory.cpuMsPer1000)}`,
    })
    for (const row of [full, memory]) {
      body.push([
        stepLabel(step),
        fmt(offeredDeliveries(step), 0),
        PEER_LABEL[row.peer],
        fmt(row.deliveredPerSecond, 0),
        `${fmt(row.deliveredFraction * 100)} %`,
        fmt(row.result.latencyMs.p50),
        Number.isFinite(row.result.latencyMs.p99) ? fmt(row.result.latencyMs.p99) : 'lost',
        fmt(row.cpuMsPer1000),
        row === full ? ratio(full.deliveredPerSecond, memory.deliveredPerSecond) : '',
        row === full ? ratio(full.result.latencyMs.p99, memory.result.latencyMs.p99) : '',
        row === full ? ratio(full.cpuMsPer1000, memory.cpuMsPer1000) : '',
      ])
    }
  }
  return {
    id: 'durability',
    title: '2. Durability cost: SQLite FULL + group commit vs persistence off',
    method: 'The fan-out load of benchmark 1 against our server twice per step, alternating: with its SQLite store (WAL, `synchronous=FULL`, one transaction per event-loop turn, forwarding only after the commit) and with `--store memory`.',
    tables: [table(['offered load', 'offered deliveries/s', 'server', 'delivered/s', 'delivered', 'p50 ms', 'p99 ms', 'CPU ms / 1,000', 'throughput FULL/memory', 'p99 FULL/memory', 'CPU FULL/memory'], body)],
    goals: [{ text: 'durability costs at most 10 % of throughput', ok: checks.every((c) => c.ok), detail: checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.text}`).join('; ') }],
    notes: ['At a step past what the 2 cores sustain (the load process and the server compete for them), delivered/s measures the whole machine more than the store; compare the CPU per 1,000 deliveries there.'],
    chart: {
      file: 'durability.svg',
      svg: barChart(
        'Durability cost: CPU ms per 1,000 deliveries',
        'CPU ms / 1,000 deliveries',
        steps.map(stepLabel),
        (['ours', 'ours-memory'] as const).map((peer) => ({ name: PEER_LABEL[peer], values: steps.map((s) => rows.find((r) => r.peer === peer && r.step === s)!.cpuMsPer1000) })),
      ),
    },
  }
}

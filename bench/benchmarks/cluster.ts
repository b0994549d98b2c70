import pg from 'pg'
import { startTestPostgres, type TestPostgres } from '../../tests/helpers/postgres'
import { postgresPids, sampleProcesses, startBenchRedis, type BenchRedis } from '../lib/cluster'
import { commitTimes, offeredDeliveries, runFanoutStep, stepLabel, type FanoutStep, type StepRun } from '../lib/fanout-run'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { metricValue, startPeer, type RunningPeer } from '../lib/servers'
import { fmt } from '../lib/stats'
import { barChart } from '../lib/svg'
import { fanoutTiming } from './fanout'

/** How the servers of one row are set up. */
interface Setup {
  id: string
  label: string
  instances: number
  store: 'sqlite' | 'postgres'
  redis: boolean
}

const ALL_SETUPS: Setup[] = [
  { id: 'sqlite-1', label: '1 server, SQLite (the default)', instances: 1, store: 'sqlite', redis: false },
  { id: 'pg-1', label: '1 server, PostgreSQL', instances: 1, store: 'postgres', redis: false },
  { id: 'cluster-1', label: '1 server, PostgreSQL + Redis', instances: 1, store: 'postgres', redis: true },
  { id: 'cluster-2', label: '2 servers, PostgreSQL + Redis', instances: 2, store: 'postgres', redis: true },
  { id: 'cluster-3', label: '3 servers, PostgreSQL + Redis', instances: 3, store: 'postgres', redis: true },
]
/** `CLUSTER_SETUPS=sqlite-1,pg-1` runs some of them (while trying the harness). */
const SETUPS = process.env.CLUSTER_SETUPS === undefined ? ALL_SETUPS : ALL_SETUPS.filter((s) => process.env.CLUSTER_SETUPS!.split(',').includes(s.id))

const FULL_STEPS: FanoutStep[] = [
  { rooms: 20, clients: 5, keysPerSecond: 10 },
  { rooms: 20, clients: 10, keysPerSecond: 20 },
]
const QUICK_STEPS: FanoutStep[] = [{ rooms: 20, clients: 5, keysPerSecond: 10 }]

export interface ClusterRow {
  setup: Setup
  step: FanoutStep
  run: StepRun
  deliveredPerSecond: number
  deliveredFraction: number
  /** CPU over the window per 1,000 deliveries, by group: the sync servers, PostgreSQL, Redis. */
  cpuPer1000: { servers: number; postgres: number; redis: number }
  /** Group commits and updates stored a second, summed over the servers. */
  commitsPerSecond: number
  updatesPerSecond: number
  /** PostgreSQL's write-ahead log written over the window, bytes a second. */
  walBytesPerSecond: number
  /** Commands Redis processed a second (publishes, stream writes, reads). */
  redisOpsPerSecond: number
}

const walPosition = async (url: string): Promise<bigint> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ bytes: string }>("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS bytes")
    return BigInt(rows[0]!.bytes)
  } finally {
    await client.end()
  }
}

const measure = async (setup: Setup, step: FanoutStep, ctx: BenchContext, postgres: TestPostgres, redis: BenchRedis, seed: number): Promise<ClusterRow> => {
  const database = setup.store === 'postgres' ? await postgres.createDatabase() : null
  const args = [...(database === null ? [] : ['--postgres', database]), ...(setup.redis ? ['--redis', redis.url] : [])]
  const servers: RunningPeer[] = []
  try {
    for (let i = 0; i < setup.instances; i++) servers.push(await startPeer('ours', { args }))
    const timing = fanoutTiming(ctx.quick)
    const wal0 = database === null ? 0n : await walPosition(database)
    const ops0 = setup.redis ? await redis.commandsProcessed() : 0
    const metrics0 = await Promise.all(servers.map((s) => s.metrics()))
    const run = await runFanoutStep(
      {
        urls: servers.map((s) => s.url),
        client: 'y-websocket',
        sample: () => ({
          servers: sampleProcesses(servers.map((s) => s.pid)),
          postgres: database === null ? sampleProcesses([]) : sampleProcesses(postgresPids(postgres.dataDir)),
          redis: setup.redis ? sampleProcesses([redis.pid]) : sampleProcesses([]),
        }),
      },
      step,
      timing,
      ctx.token,
      seed,
    )
    const metrics1 = await Promise.all(servers.map((s) => s.metrics()))
    const wal1 = database === null ? 0n : await walPosition(database)
    const ops1 = setup.redis ? await redis.commandsProcessed() : 0
    const seconds = (run.end.servers!.at - run.start.servers!.at) / 1000
    const sum = (texts: string[], read: (text: string) => number) => texts.reduce((n, t) => n + read(t), 0)
    const commits = sum(metrics1, (t) => commitTimes(t).count) - sum(metrics0, (t) => commitTimes(t).count)
    const updates = sum(metrics1, (t) => metricValue(t, 'minutes_updates_in_total')) - sum(metrics0, (t) => metricValue(t, 'minutes_updates_in_total'))
    const per1000 = (group: string) => (run.result.delivered === 0 ? Number.NaN : ((run.end[group]!.cpuMs - run.start[group]!.cpuMs) / run.result.delivered) * 1000)
    return {
      setup,
      step,
      run,
      deliveredPerSecond: run.result.delivered / run.result.seconds,
      deliveredFraction: run.result.expected === 0 ? Number.NaN : run.result.delivered / run.result.expected,
      cpuPer1000: { servers: per1000('servers'), postgres: per1000('postgres'), redis: per1000('redis') },
      commitsPerSecond: commits / seconds,
      updatesPerSecond: updates / seconds,
      walBytesPerSecond: Number(wal1 - wal0) / seconds,
      redisOpsPerSecond: (ops1 - ops0) / seconds,
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()))
  }
}

/**
 * Benchmark 13: one sync server against two and three behind PostgreSQL and Redis, under the
 * fan-out load of benchmark 1, each room's attendees spread over the servers.
 */
export const runClusterBench = async (ctx: BenchContext): Promise<{ section: Section; rows: ClusterRow[] }> => {
  const steps = ctx.quick ? QUICK_STEPS : FULL_STEPS
  progress('cluster: starting PostgreSQL and Redis')
  const postgres = await startTestPostgres()
  const redis = await startBenchRedis()
  const rows: ClusterRow[] = []
  try {
    for (const [i, step] of steps.entries()) {
      // Alternate the order per step, so drift over the run does not favour one setup.
      const order = i % 2 === 0 ? SETUPS : [...SETUPS].reverse()
      for (const setup of order) {
        progress(`cluster ${stepLabel(step)} (${fmt(offeredDeliveries(step), 0)} deliveries/s offered): ${setup.label}`)
        const row = await measure(setup, step, ctx, postgres, redis, 1300 + i)
        rows.push(row)
        progress(
          `  delivered ${fmt(row.deliveredPerSecond, 0)}/s (${fmt(row.deliveredFraction * 100)} %), p50 ${fmt(row.run.result.latencyMs.p50)} ms, p99 ${fmt(row.run.result.latencyMs.p99)} ms; CPU/1,000: servers ${fmt(row.cpuPer1000.servers)} ms, PostgreSQL ${fmt(row.cpuPer1000.postgres)} ms, Redis ${fmt(row.cpuPer1000.redis)} ms`,
        )
      }
    }
  } finally {
    await redis.stop()
    await postgres.remove()
  }
  const byStep = (step: FanoutStep) => rows.filter((r) => r.step === step)
  const body = steps.flatMap((step) =>
    byStep(step).map((r) => [
      stepLabel(step),
      r.setup.label,
      fmt(r.deliveredPerSecond, 0),
      `${fmt(r.deliveredFraction * 100)} %`,
      fmt(r.run.result.latencyMs.p50),
      Number.isFinite(r.run.result.latencyMs.p99) ? fmt(r.run.result.latencyMs.p99) : 'lost',
      fmt(r.cpuPer1000.servers),
      r.setup.store === 'postgres' ? fmt(r.cpuPer1000.postgres) : '',
      r.setup.redis ? fmt(r.cpuPer1000.redis) : '',
      fmt(r.cpuPer1000.servers + (r.setup.store === 'postgres' ? r.cpuPer1000.postgres : 0) + (r.setup.redis ? r.cpuPer1000.redis : 0)),
      fmt(r.commitsPerSecond, 0),
      fmt(r.updatesPerSecond, 0),
      r.setup.store === 'postgres' ? fmt(r.walBytesPerSecond / 1024, 0) : '',
      r.setup.redis ? fmt(r.redisOpsPerSecond, 0) : '',
    ]),
  )
  const light = byStep(steps[0]!)
  const find = (id: string) => light.find((r) => r.setup.id === id)
  const lightAllDelivered = light.every((r) => r.deliveredFraction >= 0.99)
  const costs = (() => {
    const [sqlite, pg1, c1, c2] = [find('sqlite-1'), find('pg-1'), find('cluster-1'), find('cluster-2')]
    if (sqlite === undefined || pg1 === undefined || c1 === undefined || c2 === undefined) return []
    return [
      `PostgreSQL instead of SQLite: p50 ${fmt(sqlite.run.result.latencyMs.p50)} → ${fmt(pg1.run.result.latencyMs.p50)} ms, server CPU ${fmt(sqlite.cpuPer1000.servers)} → ${fmt(pg1.cpuPer1000.servers)} ms per 1,000 deliveries plus ${fmt(pg1.cpuPer1000.postgres)} ms in PostgreSQL (${fmt((pg1.cpuPer1000.postgres * pg1.run.result.delivered) / 1000 / Math.max(1, pg1.commitsPerSecond * pg1.run.result.seconds), 2)} ms of PostgreSQL CPU per group commit)`,
      `publishing to Redis (one server): p50 ${fmt(pg1.run.result.latencyMs.p50)} → ${fmt(c1.run.result.latencyMs.p50)} ms, ${fmt(c1.cpuPer1000.redis)} ms of Redis CPU per 1,000 deliveries`,
      `the Redis hop (two servers, half the deliveries cross): p50 ${fmt(c1.run.result.latencyMs.p50)} → ${fmt(c2.run.result.latencyMs.p50)} ms, p99 ${fmt(c1.run.result.latencyMs.p99)} → ${fmt(c2.run.result.latencyMs.p99)} ms, all CPU per 1,000 deliveries ${fmt(c1.cpuPer1000.servers + c1.cpuPer1000.postgres + c1.cpuPer1000.redis)} → ${fmt(c2.cpuPer1000.servers + c2.cpuPer1000.postgres + c2.cpuPer1000.redis)} ms`,
    ]
  })()
  return {
    rows,
    section: {
      id: 'cluster',
      title: '13. Several servers: PostgreSQL and Redis',
      method:
        'The fan-out load of benchmark 1 (stock y-websocket clients typing a real trace, one update a keystroke, cursors at 5 Hz) against one server with SQLite, one with PostgreSQL, and one, two and three in cluster mode (`--postgres` and `--redis`), attendee c of each room on server c mod n, so deliveries between attendees on different servers cross Redis. PostgreSQL (a throwaway cluster, `synchronous_commit = on`, fsync on) and Redis (no persistence) run on the same 2 cores as the servers and the load process: more servers cannot add cores here, so the rows show what each hop costs, not how far it scales. CPU is read from /proc for each group of processes over the typing window; the WAL from `pg_current_wal_lsn()`; Redis operations from its `INFO stats`.',
      tables: [
        table(
          ['offered load', 'setup', 'delivered/s', 'delivered', 'p50 ms', 'p99 ms', 'servers CPU ms / 1,000', 'PostgreSQL CPU ms / 1,000', 'Redis CPU ms / 1,000', 'all CPU ms / 1,000', 'group commits/s', 'updates stored/s', 'WAL KiB/s', 'Redis ops/s'],
          body,
        ),
      ],
      goals: [
        {
          text: 'every setup delivers everything at the light step, whichever server each attendee is on',
          ok: lightAllDelivered,
          detail: light.map((r) => `${r.setup.id} ${fmt(r.deliveredFraction * 100)} %`).join(', '),
        },
      ],
      notes: [...costs, 'The capacity calculation for 100,000 attendees takes these figures as inputs: docs/benchmarks/cluster-capacity.md.'],
      chart: {
        file: 'cluster.svg',
        svg: barChart(
          `CPU per 1,000 deliveries at ${stepLabel(steps[0]!)} (ms)`,
          'CPU ms / 1,000 deliveries',
          light.map((r) => r.setup.id),
          [
            { name: 'sync servers', values: light.map((r) => r.cpuPer1000.servers) },
            { name: 'PostgreSQL', values: light.map((r) => (r.setup.store === 'postgres' ? r.cpuPer1000.postgres : 0)) },
            { name: 'Redis', values: light.map((r) => (r.setup.redis ? r.cpuPer1000.redis : 0)) },
          ],
        ),
      },
    },
  }
}

/**
 * The benchmark harness (issue 5): `npm run bench` (full, under 15 minutes) or
 * `npm run bench -- --quick` (under 2). Writes docs/benchmarks/README.md and one SVG per
 * benchmark; raw data (profiles, JSON) goes to docs/benchmarks/raw/ (gitignored).
 * `--only fanout,presence` runs a subset (the report then holds only those); with
 * `--keep-others` the subset's sections replace their namesakes in the existing report and
 * every other section (and its goals) stays as it was.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runCalibration } from './benchmarks/calibration'
import { runClusterBench } from './benchmarks/cluster'
import { runColdLoadBench } from './benchmarks/cold-load'
import { runDurabilityBench } from './benchmarks/durability'
import { runFanoutBench } from './benchmarks/fanout'
import { runHostileBench } from './benchmarks/hostile'
import { runIdleBench } from './benchmarks/idle'
import { runManyRoomsBench } from './benchmarks/many-rooms'
import { runPanelBenches } from './benchmarks/panel'
import { runPresenceBench } from './benchmarks/presence'
import { runReplicationBench } from './benchmarks/replication'
import { runSearchBench } from './benchmarks/search'
import { killAll, killChildrenOnExit } from './lib/children'
import { progress } from './lib/progress'
import { type BenchContext, type Goal, type Section } from './lib/report'
import { benchToken, ROOT } from './lib/servers'
import { fmt, mark } from './lib/stats'

const BENCHES = ['calibration', 'fanout', 'durability', 'idle', 'cold-load', 'many-rooms', 'presence', 'panel', 'hostile', 'replication', 'search', 'cluster'] as const
type BenchId = (typeof BENCHES)[number]

const OUT_DIR = join(ROOT, 'docs', 'benchmarks')

const versionOf = (pkg: string): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version

const machine = (): string => {
  const cpuInfo = readFileSync('/proc/cpuinfo', 'utf8')
  const model = /model name\s*:\s*(.*)/.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? 'unknown'
  return `${cpus().length} cores (${model}), ${fmt(totalmem() / 2 ** 30, 1)} GiB memory, Linux ${process.platform === 'linux' ? readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim() : ''}`
}

const renderSection = (section: Section): string => {
  const lines = [`## ${section.title}`, '', section.method, '']
  if (section.goals.length > 0) {
    lines.push('Goals:', '')
    for (const goal of section.goals) lines.push(`- ${mark(goal.ok)} ${goal.text}: ${goal.detail}`)
    lines.push('')
  }
  for (const t of section.tables) lines.push(t, '')
  for (const note of section.notes) lines.push(`- ${note}`)
  if (section.notes.length > 0) lines.push('')
  if (section.chart) lines.push(`![${section.title}](${section.chart.file})`, '')
  return lines.join('\n')
}

const goalRow = (g: { section: string } & Goal): string => `| ${g.section.replace(/\|/g, '/')} | ${g.text} | ${g.detail.replace(/\|/g, '/')} | ${mark(g.ok)} |`

/**
 * `--keep-others`: the report at `existing` with `sections` put in place of the sections of the
 * same title (new ones at the end), their goal rows likewise, and a line saying when they ran.
 */
const mergeReport = (existing: string, sections: Section[], ranLine: string): string => {
  const [head, ...blocks] = existing.split(/^(?=## )/m)
  const titleOf = (block: string) => /^## (.*)$/m.exec(block)![1]!.trim()
  const goalsBlock = blocks.find((b) => titleOf(b) === 'Goals') ?? '## Goals\n'
  const fresh = new Map(sections.map((s) => [s.title, s]))
  const order = blocks.map(titleOf).filter((t) => t !== 'Goals')
  for (const s of sections) if (!order.includes(s.title)) order.push(s.title)
  const oldRows = goalsBlock.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark |') && !l.startsWith('| ---'))
  const rowTitle = (row: string) => row.slice(2, row.indexOf(' | '))
  const rows: string[] = []
  for (const title of order) {
    const section = fresh.get(title)
    if (section !== undefined) rows.push(...section.goals.map((g) => goalRow({ section: title, ...g })))
    else rows.push(...oldRows.filter((r) => rowTitle(r) === title.replace(/\|/g, '/')))
  }
  const headLines = head!.trimEnd().split('\n').filter((l) => !(l.startsWith('- Re-run') && sections.some((s) => l.includes(s.title))))
  const body = order.map((title) => (fresh.has(title) ? `${renderSection(fresh.get(title)!)}` : blocks.find((b) => titleOf(b) === title)!.trimEnd() + '\n'))
  return [...headLines, ranLine, '', '## Goals', '', '| benchmark | goal | result | |', '| --- | --- | --- | --- |', ...rows, '', ...body].join('\n')
}

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, 'keep-others': { type: 'boolean' } }, strict: true })
  const only = values.only === undefined ? [...BENCHES] : (values.only.split(',') as BenchId[])
  for (const id of only) if (!BENCHES.includes(id)) throw new Error(`--only: unknown benchmark "${id}" (known: ${BENCHES.join(', ')})`)
  killChildrenOnExit()
  const quick = values.quick === true
  const started = Date.now()
  const rawDir = join(OUT_DIR, 'raw')
  mkdirSync(rawDir, { recursive: true })
  const ctx: BenchContext = { quick, rawDir, token: await benchToken() }
  progress(`${quick ? 'quick' : 'full'} run: ${only.join(', ')}`)

  const sections: Section[] = []
  let factor: { low: number; high: number } | undefined
  const runs: Record<BenchId, () => Promise<void>> = {
    calibration: async () => {
      progress('calibration: B4 replay of sequential-automerge-paper')
      const result = runCalibration()
      factor = result.factor
      sections.push(result.section)
      progress(`  ${result.section.goals[0]!.detail}, factor ${fmt(factor.low, 2)}–${fmt(factor.high, 2)}×`)
    },
    fanout: async () => void sections.push((await runFanoutBench(ctx)).section),
    durability: async () => void sections.push(await runDurabilityBench(ctx)),
    idle: async () => void sections.push(await runIdleBench(ctx)),
    'cold-load': async () => void sections.push(await runColdLoadBench(ctx)),
    'many-rooms': async () => void sections.push(await runManyRoomsBench(ctx)),
    presence: async () => void sections.push(await runPresenceBench(ctx)),
    panel: async () => void sections.push(...(await runPanelBenches(ctx))),
    hostile: async () => void sections.push(await runHostileBench(ctx)),
    replication: async () => void sections.push(await runReplicationBench(ctx)),
    search: async () => void sections.push(await runSearchBench(ctx)),
    cluster: async () => void sections.push((await runClusterBench(ctx)).section),
  }
  for (const id of only) await runs[id]()

  const elapsed = (Date.now() - started) / 1000
  for (const section of sections) if (section.chart) writeFileSync(join(OUT_DIR, section.chart.file), `${section.chart.svg}\n`)
  writeFileSync(join(rawDir, `sections-${quick ? 'quick' : 'full'}.json`), JSON.stringify(sections, null, 2))
  const goals = sections.flatMap((s) => s.goals.map((g) => ({ section: s.title, ...g })))
  const reportFile = join(OUT_DIR, 'README.md')
  if (values['keep-others'] === true && existsSync(reportFile)) {
    const when = new Date().toISOString().slice(0, 16).replace('T', ' ')
    const ranLine = `- Re-run by \`npm run bench -- --only ${only.join(',')} --keep-others${quick ? ' --quick' : ''}\` on ${when} UTC (Node ${process.versions.node}): ${sections.map((s) => s.title).join('; ')}. The other sections are from the run above.`
    writeFileSync(reportFile, mergeReport(readFileSync(reportFile, 'utf8'), sections, ranLine))
    progress(`merged ${sections.length} sections into docs/benchmarks/README.md in ${fmt(elapsed, 0)} s`)
    return
  }
  const report = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${fmt(elapsed / 60, 1)} minutes${quick ? ' (quick: fewer and shorter steps; run the full benchmark for the figures to quote)' : ''}.`,
    '',
    `- Machine: ${machine()}. Shared: other work (tests, builds) may have run at the same time; absolute figures drift, ratios measured in the same run hold better.`,
    `- Versions: Node ${process.versions.node}, yjs ${versionOf('yjs')}, y-websocket client ${versionOf('y-websocket')}, ws ${versionOf('ws')}, @hocuspocus/server ${versionOf('@hocuspocus/server')} (+ extension-sqlite ${versionOf('@hocuspocus/extension-sqlite')}, provider ${versionOf('@hocuspocus/provider')}), @y/websocket-server ${versionOf('@y/websocket-server')}, better-sqlite3 ${versionOf('better-sqlite3')}, Chromium (panel): see section 7.`,
    factor === undefined ? '' : `- Machine factor (B4 calibration, below): this machine took ${fmt(factor.low, 2)}–${fmt(factor.high, 2)}× the published B4 time; divide by it before comparing with published figures.`,
    '- Every server runs in its own process on 127.0.0.1, started and stopped by the harness; the clients run in a separate load process. Ratios are ours / peer (below 1 is better for times, CPU and memory).',
    '',
    '## Goals',
    '',
    '| benchmark | goal | result | |',
    '| --- | --- | --- | --- |',
    ...goals.map(goalRow),
    '',
    ...sections.map(renderSection),
  ].join('\n')
  writeFileSync(reportFile, report)
  progress(`wrote docs/benchmarks/README.md and ${sections.filter((s) => s.chart).length} charts in ${fmt(elapsed, 0)} s`)
}

main().then(
  () => {
    killAll()
    process.exit(0)
  },
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    killAll()
    process.exit(1)
  },
)

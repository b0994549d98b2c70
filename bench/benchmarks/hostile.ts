import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { signToken } from '../../sync-server/tokens'
import { ATTACKS, EXPECTED } from '../load/attacks'
import { checkStored, hostileRooms, type StoredCheck } from '../load/hostile'
import type { AttackersResult, BurnResult, HostileResult, HostileTask, WorkerMessage } from '../load/task'
import { isRunning, stopChild } from '../lib/children'
import { startLoad, type LoadProcess } from '../lib/load'
import { progress } from '../lib/progress'
import { table, type BenchContext, type Section } from '../lib/report'
import { BENCH_SECRET, startPeer } from '../lib/servers'
import { fmt, ratio } from '../lib/stats'

const MiB = 2 ** 20
const ROOMS = 10
const CLIENTS_PER_ROOM = 5
const KEYS_PER_SECOND = 3
const ATTACKERS = 10
const RSS_BOUND_MB = 300
/** A 1 MiB message limit (the byte rate's burst and the reply budget follow it) and a 1 MiB big room: every attack reaches its limit within its turn. */
const MAX_MESSAGE_BYTES = MiB
const TOKEN_MAX_CONNECTIONS = 100
const SERVER_ARGS = [
  '--max-message-bytes', String(MAX_MESSAGE_BYTES),
  '--token-max-connections', String(TOKEN_MAX_CONNECTIONS),
  // Every client here shares 127.0.0.1, as behind a reverse proxy (SPEC H9).
  '--address-max-connections', '1000',
]

interface HostileRun {
  attacked: boolean
  result: HostileResult
  /** The calm run with a process burning the attackers' CPU next to it. */
  burning: boolean
  /** The server's CPU time in each phase (sampled at the load process's phase marks), milliseconds. */
  serverCpuMsByPhase: number[]
  /** The CPU time of the attackers' process (or the burner) in each phase, milliseconds. */
  besideCpuMsByPhase: number[]
  peakRssMb: number
  alive: boolean
  stored: StoredCheck
}

/**
 * One run: our server on a fresh data directory, the honest load process and, if `attackers`
 * is non-empty, the attackers' own load process (or, with `burnMsByPhase`, a process that only
 * burns that much CPU a phase: the calm run with the attackers' CPU next to it), then kill -9, a
 * restart on the same directory and the check of every acknowledged or forwarded keystroke
 * against the store.
 */
export const runOnce = async (
  ctx: BenchContext,
  attackers: HostileTask['attackers'],
  options: { attacks?: HostileTask['attacks']; burnMsByPhase?: number[] } = {},
): Promise<HostileRun> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'minutes-bench-hostile-'))
  try {
    const server = await startPeer('ours', { dataDir, args: SERVER_ARGS })
    const durationMs = ctx.quick ? 10_000 : 60_000
    const attacks = options.attacks ?? [...ATTACKS]
    const task: HostileTask = {
      kind: 'hostile',
      client: 'y-websocket',
      url: server.url,
      token: ctx.token,
      rooms: ROOMS,
      clientsPerRoom: CLIENTS_PER_ROOM,
      keysPerSecond: KEYS_PER_SECOND,
      durationMs,
      drainMs: 2_000,
      bigRoomBytes: MiB,
      attackers,
      attacks,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      tokenMaxConnections: TOKEN_MAX_CONNECTIONS,
      holdMs: ctx.quick ? 1_000 : 2_000,
      seed: 12,
      attackersApart: true,
    }
    const rooms = hostileRooms(task)
    const timeoutMs = durationMs + 180_000
    // The second process starts its phases when the honest one starts typing.
    let typingStarted!: () => void
    const typing = new Promise<void>((resolve) => (typingStarted = resolve))
    const waitForTyping = (name: string) => (name === 'ready' ? typing : undefined)
    const beside: LoadProcess<AttackersResult | BurnResult> | null =
      attackers.length > 0
        ? startLoad<AttackersResult>(
            { kind: 'attackers', url: server.url, rooms, bigRoom: rooms[0]!, attackers, attacks, durationMs, maxMessageBytes: MAX_MESSAGE_BYTES, tokenMaxConnections: TOKEN_MAX_CONNECTIONS, holdMs: task.holdMs, seed: task.seed },
            waitForTyping,
            timeoutMs,
          )
        : options.burnMsByPhase !== undefined
          ? startLoad<BurnResult>({ kind: 'burn', durationMs, cpuMsByPhase: options.burnMsByPhase }, waitForTyping, timeoutMs)
          : null
    const besideDone = beside?.result.then((r) => r, (error: unknown) => error as Error)
    const phaseMarks: number[] = []
    const onMark = async (name: string) => {
      if (name === 'typing-start') typingStarted()
      if (name.startsWith('phase:') || name === 'phases-end') phaseMarks.push(server.sample().cpuMs)
      if (name === 'attacks-end') {
        const done = await besideDone
        return { episodes: done !== undefined && !(done instanceof Error) && done.kind === 'attackers' ? done.episodes : [] }
      }
      return undefined
    }
    const relay = (message: WorkerMessage) => {
      if (message.type === 'honest') beside?.send(message)
    }
    let result: HostileResult
    let besideResult: AttackersResult | BurnResult | undefined
    try {
      result = await startLoad<HostileResult>(task, onMark, timeoutMs, relay).result
      const done = await besideDone
      if (done instanceof Error) throw done
      besideResult = done
    } catch (error) {
      await server.stop()
      throw error
    }
    const alive = isRunning(server.child) && (await fetch(`http://127.0.0.1:${server.port}/healthz`).then((r) => r.status === 200, () => false))
    const peakRssMb = alive ? server.sample().peakRssBytes / MiB : Number.NaN
    await stopChild(server.child, 'SIGKILL')
    const restarted = await startPeer('ours', { dataDir, args: SERVER_ARGS })
    try {
      const serverCpuMsByPhase = phaseMarks.slice(1).map((cpuMs, i) => cpuMs - phaseMarks[i]!)
      return {
        attacked: attackers.length > 0,
        burning: options.burnMsByPhase !== undefined && attackers.length === 0,
        result,
        serverCpuMsByPhase,
        besideCpuMsByPhase: besideResult?.cpuMsByPhase ?? attacks.map(() => 0),
        peakRssMb,
        alive,
        stored: await checkStored(restarted.url, ctx.token, result.honest),
      }
    } finally {
      await restarted.stop()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const runName = (run: HostileRun): string => (run.attacked ? `${ATTACKERS} attackers` : run.burning ? "no attackers, a burner of the attackers' CPU" : 'no attackers')

const outcomesText = (outcomes: Record<string, number>): string =>
  Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([outcome, n]) => `${outcome} ×${fmt(n, 0)}`)
    .join(', ')

const disconnects = (r: HostileResult): number => Object.values(r.honestCloses).reduce((a, b) => a + b, 0)

/** Benchmark 10 (issue 12): honest typing with and without hostile connections next to it. */
export const runHostileBench = async (ctx: BenchContext): Promise<Section> => {
  progress(`hostile: ${ROOMS}×${CLIENTS_PER_ROOM} honest attendees @${KEYS_PER_SECOND}/s, no attackers`)
  const calm = await runOnce(ctx, [])
  const attackers = await Promise.all(
    Array.from({ length: ATTACKERS }, async (_, i) => ({
      editor: await signToken(BENCH_SECRET, { room: '*', role: 'editor', name: `attacker ${i}`, ttlSeconds: 3600 }),
      viewer: await signToken(BENCH_SECRET, { room: '*', role: 'viewer', name: `attacker ${i} viewer`, ttlSeconds: 3600 }),
    })),
  )
  progress(`hostile: the same with ${ATTACKERS} hostile connections running the attacks in turn`)
  const attacked = await runOnce(ctx, attackers)
  progress(`hostile: no attackers, a process burning the attackers' CPU (${fmt(attacked.besideCpuMsByPhase.reduce((a, b) => a + b, 0), 0)} ms) beside`)
  const burning = await runOnce(ctx, [], { burnMsByPhase: attacked.besideCpuMsByPhase })
  const runs = [calm, attacked, burning]
  for (const run of runs) {
    const r = run.result
    progress(
      `  ${runName(run)}: p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms, peak RSS ${fmt(run.peakRssMb, 0)} MB, ` +
        `alive ${run.alive}, stored ${JSON.stringify(run.stored)}, honest closes ${JSON.stringify(r.honestCloses)}, unexpected ${r.unexpected.length}`,
    )
  }

  for (const [i, phase] of attacked.result.phases.entries()) {
    progress(
      `  ${phase.attack}: p99 ${fmt(calm.result.phases[i]!.latencyMs.p99)} calm, ${fmt(phase.latencyMs.p99)} attacked, ${fmt(burning.result.phases[i]!.latencyMs.p99)} burning; ` +
        `server CPU ${fmt(calm.serverCpuMsByPhase[i], 0)} / ${fmt(attacked.serverCpuMsByPhase[i], 0)} / ${fmt(burning.serverCpuMsByPhase[i], 0)} ms; attackers' CPU ${fmt(attacked.besideCpuMsByPhase[i], 0)} ms`,
    )
  }

  const phaseRatios = attacked.result.phases.map((phase, i) => phase.latencyMs.p99 / calm.result.phases[i]!.latencyMs.p99)
  const worstAt = phaseRatios.indexOf(Math.max(...phaseRatios))
  const worst = attacked.result.phases[worstAt]!
  const lost = (run: HostileRun) => run.stored.missing + run.stored.replaced
  const p99Ratio = attacked.result.latencyMs.p99 / calm.result.latencyMs.p99
  const runRows = runs.map((run) => {
    const r = run.result
    return [
      runName(run),
      fmt(r.keystrokes, 0),
      `${fmt((r.delivered / Math.max(1, r.expected)) * 100)} %`,
      fmt(r.latencyMs.p50),
      fmt(r.latencyMs.p99),
      fmt(r.latencyMs.max),
      fmt(run.peakRssMb, 0),
      run.alive ? 'yes' : 'no',
      disconnects(r) === 0 ? '0' : `${disconnects(r)} (${outcomesText(r.honestCloses)})`,
      `${fmt(run.stored.checked, 0)} checked, ${fmt(run.stored.missing, 0)} missing, ${fmt(run.stored.replaced, 0)} replaced`,
    ]
  })
  const phaseRows = attacked.result.phases.map((phase, i) => {
    const calmPhase = calm.result.phases[i]!
    const burningPhase = burning.result.phases[i]!
    return [
      `${i + 1}. ${phase.attack}`,
      fmt(calmPhase.latencyMs.p99),
      fmt(phase.latencyMs.p99),
      ratio(phase.latencyMs.p99, calmPhase.latencyMs.p99),
      fmt(burningPhase.latencyMs.p99),
      ratio(phase.latencyMs.p99, burningPhase.latencyMs.p99),
      `${fmt(calm.serverCpuMsByPhase[i], 0)} / ${fmt(attacked.serverCpuMsByPhase[i], 0)} / ${fmt(burning.serverCpuMsByPhase[i], 0)}`,
      fmt(attacked.besideCpuMsByPhase[i], 0),
      `${fmt(calmPhase.loadCpuMs, 0)} / ${fmt(phase.loadCpuMs, 0)}`,
      `${fmt(calmPhase.loadLoopDelayMs.p99)} / ${fmt(phase.loadLoopDelayMs.p99)}`,
      fmt(attacked.result.byAttack[phase.attack].episodes, 0),
    ]
  })
  const attackRows = ATTACKS.map((attack) => {
    const a = attacked.result.byAttack[attack]
    return [
      attack,
      fmt(a.episodes, 0),
      EXPECTED[attack].join(', '),
      outcomesText(a.outcomes),
      Object.entries(a.variants)
        .map(([variant, outcomes]) => `${variant}: ${outcomesText(outcomes)}`)
        .join('; '),
    ]
  })
  const unexpected = attacked.result.unexpected
  return {
    id: 'hostile',
    title: '10. Hostile load: honest typing next to attackers',
    method:
      `${ROOMS} rooms × ${CLIENTS_PER_ROOM} honest stock y-websocket clients (\`?ack=1\`) typing ${KEYS_PER_SECOND} keystrokes a second each for ${fmt(attacked.result.seconds, 0)} s, ` +
      `first alone, then next to ${ATTACKERS} hostile connections (each with its own tokens) running the attacks of bench/load/attacks.ts in turn, ` +
      `all ${ATTACKERS} on one attack for a fifth of the run, each reconnecting as soon as its last episode ended: ` +
      '(a) a socket that stops reading (its TCP socket paused) and floods sync step 1s on room 0, which holds 1 MiB of text; ' +
      '(b) presence floods: hundreds of client ids, a 70 KiB state, honest attendees\' ids claimed with clock 2^40; ' +
      `(c) one viewer token opening ${TOKEN_MAX_CONNECTIONS} + 3–10 connections to one room; ` +
      '(d) a frame claiming one byte over the message limit, reserved bits, a text frame, bytes that are not the protocol, a truncated update; ' +
      '(e) an update whose left neighbour the room never received, at a fresh client id or at an honest attendee\'s own id a little ahead of its clock. ' +
      'Latency is keystroke to every other attendee of the room, measured in the honest load process; the attackers run in a load process of their own, so their work is not on the event loop that times the keystrokes, ' +
      'but on a 2-core machine they take CPU from the server and the honest process; a third run without attackers puts a process beside it that burns, phase by phase, the CPU the attackers\' process used. ' +
      'A keystroke counts in the phase it was typed in, in every run. After each run the server is killed (-9), restarted on the same data directory, ' +
      'and every keystroke below the clock an attendee saw acknowledged (P5) or saw reach another attendee (D1) is looked up, with its character, in the restarted store.',
    goals: [
      {
        text: 'honest p99 latency within 2× of the run without attackers',
        ok: Number.isFinite(p99Ratio) ? p99Ratio <= 2 : false,
        detail:
          `${fmt(attacked.result.latencyMs.p99)} ms vs ${fmt(calm.result.latencyMs.p99)} ms (${ratio(attacked.result.latencyMs.p99, calm.result.latencyMs.p99)}); p50 ${fmt(attacked.result.latencyMs.p50)} vs ${fmt(calm.result.latencyMs.p50)} ms; ` +
          `against the calm run with a process burning the attackers' CPU beside it ${fmt(burning.result.latencyMs.p99)} ms (${ratio(attacked.result.latencyMs.p99, burning.result.latencyMs.p99)}); ` +
          `worst phase ${worst.attack} ${fmt(worst.latencyMs.p99)} vs ${fmt(calm.result.phases[worstAt]!.latencyMs.p99)} ms (${ratio(worst.latencyMs.p99, calm.result.phases[worstAt]!.latencyMs.p99)})`,
      },
      {
        text: `server peak RSS under ${RSS_BOUND_MB} MB while attacked`,
        ok: attacked.peakRssMb < RSS_BOUND_MB,
        detail: `${fmt(attacked.peakRssMb, 0)} MB (${fmt(calm.peakRssMb, 0)} MB without attackers; VmHWM)`,
      },
      { text: 'no crash: the server is alive and healthy at the end', ok: runs.every((run) => run.alive), detail: attacked.alive ? 'alive, /healthz 200' : 'not alive' },
      {
        text: 'no honest keystroke lost after kill -9 and restart',
        ok: runs.every((run) => lost(run) === 0),
        detail: `${fmt(attacked.stored.checked, 0)} checked: ${fmt(attacked.stored.missing, 0)} missing, ${fmt(attacked.stored.replaced, 0)} with other content (without attackers: ${fmt(lost(calm), 0)} of ${fmt(calm.stored.checked, 0)})`,
      },
      {
        text: 'every hostile connection ends with the close code its attack meets, honest ones stay connected',
        ok: unexpected.length === 0 && disconnects(attacked.result) === 0 && attacked.result.presenceTakenOver === 0,
        detail:
          `${unexpected.length === 0 ? 'no unexpected outcome' : `unexpected: ${unexpected.slice(0, 5).map((u) => `${u.attack} (${u.variant}) → ${u.outcome}`).join('; ')}`}; ` +
          `honest disconnects ${disconnects(attacked.result)}; honest presence taken over ${attacked.result.presenceTakenOver}`,
      },
    ],
    tables: [
      table(
        [
          'phase (all attackers on it)',
          'p99 ms calm',
          'p99 ms attacked',
          'attacked / calm',
          'p99 ms calm + burner',
          'attacked / calm + burner',
          'server CPU ms calm / attacked / burner',
          "attackers' process CPU ms",
          'honest load process CPU ms calm / attacked',
          'its event-loop delay p99 ms calm / attacked',
          'episodes',
        ],
        phaseRows,
      ),
      table(['run', 'honest keystrokes', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'peak RSS MB', 'alive', 'honest disconnects', 'after kill -9 + restart'], runRows),
      table(['attack', 'episodes', 'expected outcomes', 'outcomes (close code or kept open, × connections)', 'by variant'], attackRows),
    ],
    notes: [
      `Server flags: ${SERVER_ARGS.join(' ')} (else the defaults). A 1 MiB message limit makes the reply budget (H7c) 1 MiB/s with 1 MiB of burst, so a non-reader asking again for the 1 MiB room after its first reply went out closes with 4429; one whose step 1s all arrived before that reply left is held with that one reply outstanding (H7b, shown as kept open) — as every non-reader would be with the default 8 MiB limit until its unsent output passed 16 MiB (4504).`,
      '"Kept open" is a connection the server had no reason to close: a non-reader held as above, a filler socket within its token\'s share of the room, a pending struct under `--max-pending-bytes` (H6 stores and forwards it). The attacker closed those itself.',
      `Pending structs planted at an honest attendee's id: ${attacked.result.planted.length}. One that fits in when the attendee's clock reaches it takes that clock in the room; Yjs then gives the attendee's document a new client id (it saw its own id advanced by a remote update), or, if the attendee typed that clock before it applied the planted struct, the room keeps the planted character and drops the attendee's (counted as "replaced" above).`,
      'Server CPU by phase is read from /proc at the honest process\'s phase marks; the attackers\' CPU by their own process. Other engineers\' work shares this machine: a calm run\'s p99 moved between 6 ms and 170 ms from one run to the next while the server\'s CPU by phase stayed within about 20 %, so the CPU columns are the steadier measure of what an attack costs the server.',
      'The stock y-websocket 3.1 client throws from `destroy()` after Yjs changed its document\'s id (its awareness keeps the old id): a client-side consequence of (e), caught in the load process.',
    ],
  }
}

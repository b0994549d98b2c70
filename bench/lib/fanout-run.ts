import type { FanoutResult } from '../load/task'
import { runLoad } from './load'
import type { ProcSample } from './proc-stats'
import { clientKindOf, startPeer, type PeerKind, type PeerOptions } from './servers'

/** One offered load: R rooms × C attendees, each typing k keystrokes a second. */
export interface FanoutStep {
  rooms: number
  clients: number
  keysPerSecond: number
}

export const stepLabel = (s: FanoutStep): string => `${s.rooms}×${s.clients} @${s.keysPerSecond}/s`

/** Keystroke deliveries a second this step asks for (every keystroke to every other attendee). */
export const offeredDeliveries = (s: FanoutStep): number => s.rooms * s.clients * s.keysPerSecond * (s.clients - 1)

export interface FanoutRow {
  peer: PeerKind
  step: FanoutStep
  result: FanoutResult
  /** Keystroke deliveries a second that arrived (within the drain). */
  deliveredPerSecond: number
  deliveredFraction: number
  /** Server CPU (user + system) over the typing window and drain, per 1,000 deliveries. */
  cpuMsPer1000: number
  /** The kernel's part of that CPU (system time / all). */
  systemShare: number
  /** Server CPU as a share of one core over the window. */
  cpuCoreShare: number
  rssMb: number
  /** Ours only: the group commits of the step, from the server's `minutes_persist_seconds` histogram. */
  commits?: CommitTimes
}

/** How many group commits a step made, and how many took longer than 1, 2 and 5 ms. */
export interface CommitTimes {
  count: number
  over1ms: number
  over2ms: number
  over5ms: number
}

export const commitTimes = (metrics: string): CommitTimes => {
  const bucket = (le: string) => Number(new RegExp(`^minutes_persist_seconds_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? Number.NaN)
  const count = bucket('+Inf')
  return { count, over1ms: count - bucket('0.001'), over2ms: count - bucket('0.002'), over5ms: count - bucket('0.005') }
}

export interface FanoutTiming {
  durationMs: number
  drainMs: number
  cursorHz: number
}

/** CPU and memory of each group of processes that serve a step (one server; or a cluster's instances, PostgreSQL, Redis). */
export type ProcGroups = Record<string, ProcSample>

/** One step against servers already running: the load, and each group's samples at the window's edges. */
export interface StepRun {
  result: FanoutResult
  start: ProcGroups
  end: ProcGroups
}

/**
 * Runs one step in a load process against `urls` (several: each room's attendees spread over
 * them), sampling every group at the edges of the typing window.
 */
export const runFanoutStep = async (
  target: { urls: string[]; client: 'y-websocket' | 'hocuspocus'; sample: () => ProcGroups },
  step: FanoutStep,
  timing: FanoutTiming,
  token: string,
  seed: number,
): Promise<StepRun> => {
  let start = target.sample()
  let end = start
  const result = await runLoad<FanoutResult>(
    {
      kind: 'fanout',
      client: target.client,
      url: target.urls[0]!,
      ...(target.urls.length > 1 ? { urls: target.urls } : {}),
      token,
      rooms: step.rooms,
      clientsPerRoom: step.clients,
      keysPerSecond: step.keysPerSecond,
      durationMs: timing.durationMs,
      drainMs: timing.drainMs,
      cursorHz: timing.cursorHz,
      seed,
    },
    (name) => {
      if (name === 'typing-start') start = target.sample()
      if (name === 'typing-end') end = target.sample()
    },
    timing.durationMs + timing.drainMs + 120_000,
  )
  return { result, start, end }
}

/** Starts `peer`, runs one step in a load process, samples the server at the window's edges, stops it. */
export const measureFanout = async (peer: PeerKind, step: FanoutStep, timing: FanoutTiming, token: string, seed: number, options: PeerOptions = {}): Promise<FanoutRow> => {
  const server = await startPeer(peer, options)
  try {
    const run = await runFanoutStep({ urls: [server.url], client: clientKindOf(peer), sample: () => ({ server: server.sample() }) }, step, timing, token, seed)
    const { result } = run
    const start = run.start.server!
    const end = run.end.server!
    const commits = peer === 'ours' || peer === 'ours-memory' ? commitTimes(await server.metrics()) : undefined
    const cpuMs = end.cpuMs - start.cpuMs
    const wallMs = end.at - start.at
    return {
      peer,
      step,
      result,
      deliveredPerSecond: result.delivered / result.seconds,
      deliveredFraction: result.expected === 0 ? Number.NaN : result.delivered / result.expected,
      cpuMsPer1000: result.delivered === 0 ? Number.NaN : (cpuMs / result.delivered) * 1000,
      systemShare: cpuMs === 0 ? Number.NaN : (end.systemMs - start.systemMs) / cpuMs,
      cpuCoreShare: cpuMs / wallMs,
      rssMb: end.rssBytes / 2 ** 20,
      commits,
    }
  } finally {
    await server.stop()
  }
}

/** A step counts as sustained when (nearly) everything arrived and p99 stayed within 100 ms. */
export const P99_LIMIT_MS = 100
export const sustained = (row: FanoutRow): boolean => row.deliveredFraction >= 0.99 && row.result.latencyMs.p99 <= P99_LIMIT_MS

/**
 * A step a server clearly cannot carry: deliveries lost or p99 over a second. The sweep goes on
 * past a p99 over 100 ms (on a shared 2-core machine one noisy step should not end it) and
 * stops there.
 */
export const overloaded = (row: FanoutRow): boolean => row.deliveredFraction < 0.99 || row.result.latencyMs.p99 > 1_000

import type { AttackKind, Episode, Outcome } from './attacks'
import type { ClientKind } from './clients'

/**
 * What the harness asks a load process to do, and what it answers. The load process sends
 * `mark` messages at the edges of its measuring windows and waits for `ack`, so the harness
 * samples the server's CPU and memory exactly there.
 */
interface Target {
  client: ClientKind
  url: string
  token: string
}

export interface FanoutTask extends Target {
  kind: 'fanout'
  /**
   * Several servers of one cluster: attendee c of every room connects to `urls[c % n]`, so each
   * room's attendees are spread over all of them (every delivery but 1 in n crosses servers).
   * Absent: everyone connects to `url`.
   */
  urls?: string[]
  rooms: number
  clientsPerRoom: number
  keysPerSecond: number
  durationMs: number
  drainMs: number
  /** Cursor (awareness) updates per second per typing client, sent with the keystrokes. */
  cursorHz: number
  seed: number
}

export interface FanoutResult {
  kind: 'fanout'
  /** Keystrokes typed (each one Yjs update), and those that inserted (measured for latency). */
  keystrokes: number
  measured: number
  /** Keystroke deliveries expected (measured × other clients in the room) and seen. */
  expected: number
  delivered: number
  /** Seconds of typing. */
  seconds: number
  latencyMs: { p50: number; p99: number; max: number }
  /** Frames sent and received by all clients. */
  frames: { sent: number; received: number }
}

export interface IdleTask extends Target {
  kind: 'idle'
  idleClients: number
  loadedRooms: number
  /** A V1 update every loaded room receives from its client (a realistic document). */
  roomContentBase64: string
  settleMs: number
}

export interface IdleResult {
  kind: 'idle'
}

export interface ManyRoomsTask extends Target {
  kind: 'many-rooms'
  rooms: number
  joinWindowMs: number
}

export interface ManyRoomsResult {
  kind: 'many-rooms'
  allSyncedMs: number
  syncedMs: { p50: number; p99: number; max: number }
  failed: number
}

export interface PresenceTask extends Target {
  kind: 'presence'
  attendees: number
  idleMs: number
  movingMs: number
  movers: number
  hz: number
}

export interface PresenceResult {
  kind: 'presence'
  idle: { inPerSecond: number; outPerSecond: number }
  moving: { inPerSecond: number; outPerSecond: number }
}

/** What an honest attendee's keystrokes must find in the store after a restart. */
export interface HonestRecord {
  room: string
  /**
   * Per client id it typed under (Yjs gives a document a new id when a remote update advances
   * its own, as a struct planted at its id does): the clock the server acknowledged (P5) or
   * forwarded to another attendee (D1). Everything below it must be stored.
   */
  required: Record<number, number>
  /** Its insertions: the client id and clock of the character, and the character. */
  keys: Array<[clientId: number, clock: number, char: string]>
}

export interface HostileTask extends Target {
  kind: 'hostile'
  rooms: number
  clientsPerRoom: number
  keysPerSecond: number
  durationMs: number
  drainMs: number
  /** Bytes of text in room 0 before the typing starts (what non-readers ask for). */
  bigRoomBytes: number
  /** One pair of tokens (its own identity) per hostile connection; none for the run without attackers. */
  attackers: Array<{ editor: string; viewer: string }>
  /** The attacks they take turns at (default: all of bench/load/attacks.ts). */
  attacks?: AttackKind[]
  /** The server's `--max-message-bytes` and `--token-max-connections`, which the attacks aim past. */
  maxMessageBytes: number
  tokenMaxConnections: number
  holdMs: number
  seed: number
  /**
   * The attackers run in a load process of their own (bench/load/attacks-worker.ts) the harness
   * starts next to this one, so their work is never on the event loop that times honest
   * keystrokes; without it (the test) they run here.
   */
  attackersApart?: boolean
}

/** The attackers' own load process: what they need of the honest one comes over IPC. */
export interface AttackersTask {
  kind: 'attackers'
  url: string
  rooms: string[]
  bigRoom: string
  attackers: HostileTask['attackers']
  attacks: AttackKind[]
  durationMs: number
  maxMessageBytes: number
  tokenMaxConnections: number
  holdMs: number
  seed: number
}

export interface AttackersResult {
  kind: 'attackers'
  episodes: Episode[]
  /** This process's CPU time by phase, milliseconds. */
  cpuMsByPhase: number[]
}

/** The calm hostile run's stand-in for the attackers' process: as much CPU a phase, and nothing else. */
export interface BurnTask {
  kind: 'burn'
  durationMs: number
  cpuMsByPhase: number[]
}

export interface BurnResult {
  kind: 'burn'
  cpuMsByPhase: number[]
}

/** Who the honest attendees of each room are, as attacks aimed at them need it (AttackTarget.honest). */
export type HonestSnapshot = Record<string, Array<{ clientId: number; clock: number; presenceId: number }>>

/** One phase of the hostile run: the attack every attacker ran (in the run without attackers, the one it would have run). */
export interface HostilePhase {
  attack: AttackKind
  /** Deliveries of keystrokes typed in this phase (expected ones: a missing one counts as infinitely late). */
  deliveries: number
  latencyMs: { p50: number; p99: number; max: number }
  /** The load process's own CPU time and event-loop delay in this phase. */
  loadCpuMs: number
  loadLoopDelayMs: { p99: number; max: number }
}

export interface HostileResult {
  kind: 'hostile'
  /** Honest keystrokes that inserted; deliveries expected (× other attendees) and seen. */
  keystrokes: number
  expected: number
  delivered: number
  seconds: number
  latencyMs: { p50: number; p99: number; max: number }
  /** The same, by phase (one per attack, in the order they ran). */
  phases: HostilePhase[]
  /** Close codes honest connections saw during the run (the stock client reconnects). */
  honestCloses: Record<string, number>
  /** Of them, before the typing (and the attacks) started. */
  honestClosesBefore: number
  /** Per attack: episodes, outcomes counted, and outcomes by variant (counts in a variant's name shown as `n`). */
  byAttack: Record<AttackKind, { episodes: number; outcomes: Record<string, number>; variants: Record<string, Record<string, number>> }>
  unexpected: Array<{ attack: AttackKind; variant: string; outcome: Outcome }>
  /** (honest client id, clock) where a pending struct was planted at an honest id. */
  planted: Array<[number, number]>
  /** Presence entries of honest ids that showed a squatter's state at the end. */
  presenceTakenOver: number
  honest: HonestRecord[]
}

export type LoadTask = FanoutTask | IdleTask | ManyRoomsTask | PresenceTask | HostileTask | AttackersTask | BurnTask
export type LoadResult = FanoutResult | IdleResult | ManyRoomsResult | PresenceResult | HostileResult | AttackersResult | BurnResult

/** `honest`: the hostile load's attendees, relayed by the harness to the attackers' process. */
export type WorkerMessage =
  | { type: 'mark'; name: string }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; message: string }
  | { type: 'honest'; honest: HonestSnapshot }
/** The `ack` of the mark `name`; it may carry what the mark waited for (the attackers' episodes, for the hostile load). */
export type HarnessMessage = { type: 'ack'; name: string; episodes?: Episode[] } | { type: 'honest'; honest: HonestSnapshot }

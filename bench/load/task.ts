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

export type LoadTask = FanoutTask | IdleTask | ManyRoomsTask | PresenceTask
export type LoadResult = FanoutResult | IdleResult | ManyRoomsResult | PresenceResult

export type WorkerMessage = { type: 'mark'; name: string } | { type: 'result'; result: LoadResult } | { type: 'error'; message: string }
export type HarnessMessage = { type: 'ack' }
